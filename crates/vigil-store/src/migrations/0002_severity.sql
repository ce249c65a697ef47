-- The severity policies see (vigil_advisories::severity::assess), as JSON; NULL when the record
-- says nothing about severity. Filled for existing rows from `raw` by the Rust step of this
-- migration.
ALTER TABLE advisories ADD COLUMN severity TEXT;
