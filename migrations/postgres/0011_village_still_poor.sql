-- A village's households still in poverty, in the order its page lists them (by group, then
-- household): the page's first hundred are read off this index instead of sorting all of a large
-- village's poor households first.
CREATE INDEX household_village_still_poor ON household (village_code, group_no, id)
    WHERE status IN ('poor', 'relapsed');
