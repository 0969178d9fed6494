-- Reads that a province's size made slow (measured at 1,000,000 households).
-- A household's members still there, counted from this index alone: the dashboard's persons
-- with social assistance, the village summaries.
CREATE INDEX member_active_household ON member (household_id) WHERE active;

-- A case's village, kept on the case: the desk of a township or village and the dashboard's
-- monitoring figures by township read the cases alone, instead of looking up each case's
-- household. A household never changes village (the record keeps it; the import refuses it),
-- so the village is set once, when the case is written, by this trigger for every writer.
ALTER TABLE monitoring_case ADD COLUMN village_code TEXT NOT NULL DEFAULT '';
UPDATE monitoring_case c SET village_code = h.village_code FROM household h
    WHERE h.id = c.household_id;
CREATE FUNCTION monitoring_case_village() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.village_code := (SELECT h.village_code FROM household h WHERE h.id = NEW.household_id);
    RETURN NEW;
END
$$;
CREATE TRIGGER monitoring_case_village BEFORE INSERT ON monitoring_case
    FOR EACH ROW EXECUTE FUNCTION monitoring_case_village();

-- The monitoring desk's order over the open cases: overdue first (theirs are the earliest
-- deadlines), then by deadline, cases without one last; the county's desk reads its first rows
-- in this order and stops.
CREATE INDEX monitoring_case_open_order ON monitoring_case ((due_on IS NULL), due_on, id)
    WHERE stage NOT IN ('cleared', 'closed');
-- The open cases of a township or village, with their deadlines (the desk's counts and rows).
CREATE INDEX monitoring_case_open_village ON monitoring_case (village_code, due_on)
    WHERE stage NOT IN ('cleared', 'closed');
