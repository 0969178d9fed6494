-- Reads of the public portal at a county's scale.
--
-- A household's helpers (the public page lists every pairing, current and past): the only index
-- on pairing.household_id was the partial one for current pairings, so the page scanned the whole
-- table (1.15 M rows at a million households).
CREATE INDEX pairing_household ON pairing (household_id, start_on);

-- A counter that moves with every change to the dashboard's summaries (and its targets), so a
-- server may keep the computed dashboard while the counter stays where it was: a cache that a
-- write (in this process or any other: the CLI import, a second server) invalidates in the same
-- transaction, never a stale figure. `token` is random per database, so one process serving
-- several databases (the tests) never mistakes one's dashboard for another's.
CREATE TABLE stats_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT NOT NULL,
    n  BIGINT NOT NULL
);
INSERT INTO stats_generation (id, token, n) VALUES (1, md5(random()::text || clock_timestamp()::text), 0);

CREATE FUNCTION stats_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE stats_generation SET n = n + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER village_stats_changed AFTER INSERT OR UPDATE OR DELETE ON village_stats
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER exit_stats_changed AFTER INSERT OR UPDATE OR DELETE ON exit_stats
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER cause_stats_changed AFTER INSERT OR UPDATE OR DELETE ON cause_stats
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER measure_stats_changed AFTER INSERT OR UPDATE OR DELETE ON measure_stats
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER annual_target_changed AFTER INSERT OR UPDATE OR DELETE ON annual_target
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
