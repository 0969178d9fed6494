-- Administrative places: the city, its townships/subdistricts (乡镇/街道) and administrative
-- villages (行政村/社区), keyed by the 12-digit statistical division code (GB/T 2260 county
-- prefix + 3-digit township + 3-digit village).
CREATE TABLE region (
    code        TEXT PRIMARY KEY
                CHECK (length(code) = 12 AND code NOT GLOB '*[^0-9]*'),
    parent_code TEXT REFERENCES region (code),
    level       TEXT NOT NULL CHECK (level IN ('city', 'township', 'village')),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    CHECK ((level = 'city') = (parent_code IS NULL))
) STRICT;

CREATE INDEX region_parent ON region (parent_code);
CREATE INDEX region_level_name ON region (level, name);
