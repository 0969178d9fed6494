-- The search reads (household_id, id) of each matching person: carry id in the name indexes so
-- PostgreSQL answers from the index alone (SQLite's indexes hold the rowid already).
DROP INDEX member_name;
DROP INDEX member_name_pinyin;
DROP INDEX member_name_initials;
CREATE INDEX member_name ON member (name, household_id) INCLUDE (id) WHERE active;
CREATE INDEX member_name_pinyin ON member (name_pinyin, household_id) INCLUDE (id) WHERE active;
CREATE INDEX member_name_initials ON member (name_initials, household_id) INCLUDE (id) WHERE active;
