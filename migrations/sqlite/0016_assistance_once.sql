-- An enrolment is its household, kind, person (none: the whole household) and start: the import
-- already treats these as one enrolment, and two writers adding the same one at once (two imports,
-- or an import and the record form, on PostgreSQL's READ COMMITTED) must not both succeed.
CREATE UNIQUE INDEX assistance_once ON assistance (household_id, kind, COALESCE(member_id, 0), start_on);
