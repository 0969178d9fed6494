-- Households of a village, or of every village of a township (their codes share the first nine
-- digits), in a stable order straight from the index: search by place, village pages.
CREATE INDEX household_village_id ON household (village_code, id);
