-- Package names in `affected` are keyed as each ecosystem compares them. Rows imported before
-- an ecosystem's rule existed (NuGet, crates.io, Go, Packagist) are re-keyed by the Rust step.
SELECT 1;
