-- npm names and Go module paths keep their case in purls now (`pkg:npm/JSONStream@1.3.5`,
-- `pkg:golang/github.com/BurntSushi/toml@v1.4.0`); scans stored before kept the real name in
-- `components.name` but a lowercased purl. The Rust step writes each such purl again from the
-- name, and moves the violations recorded under the old purl to the new one.
SELECT 1;
