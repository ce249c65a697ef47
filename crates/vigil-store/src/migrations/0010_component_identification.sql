-- How each component's identity was established: `exact` (the artifact names the package) or
-- `manifest` (read off a jar's MANIFEST.MF through a curated table). Rows stored before this
-- came from exact identifications only, or from a manifest's Implementation-Vendor-Id.
ALTER TABLE components ADD COLUMN identified_by TEXT NOT NULL DEFAULT 'exact';
