-- Public search over persons' names: full pinyin and initials (computed by the application,
-- with surnames read as surnames), and the characters after the first, so that a given name
-- alone or any part of a name finds the person through an index. Names compare by code point
-- (COLLATE "C"), as on SQLite, so a prefix is a plain index range.
ALTER TABLE member ALTER COLUMN name TYPE TEXT COLLATE "C";
ALTER TABLE member ADD COLUMN name_pinyin TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE member ADD COLUMN name_initials TEXT COLLATE "C" NOT NULL DEFAULT '';

CREATE INDEX member_name ON member (name, household_id) WHERE active;
CREATE INDEX member_name_pinyin ON member (name_pinyin, household_id) WHERE active;
CREATE INDEX member_name_initials ON member (name_initials, household_id) WHERE active;

-- Every 1- and 2-character piece of a name that starts after its first character (张建国 →
-- 建, 国, 建国). Derived from member.name by the application in the same transaction as the
-- name itself; it is an index, so it carries no data of its own.
CREATE TABLE name_token (
    token       TEXT COLLATE "C" NOT NULL,
    member_id   BIGINT NOT NULL,
    PRIMARY KEY (token, member_id)
);
CREATE INDEX name_token_member ON name_token (member_id);

