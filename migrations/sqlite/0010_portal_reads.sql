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
    n  INTEGER NOT NULL
) STRICT;
INSERT INTO stats_generation (id, token, n) VALUES (1, lower(hex(randomblob(16))), 0);

CREATE TRIGGER village_stats_ins AFTER INSERT ON village_stats BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER village_stats_del AFTER DELETE ON village_stats BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER village_stats_upd AFTER UPDATE ON village_stats BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER exit_stats_ins AFTER INSERT ON exit_stats BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER exit_stats_del AFTER DELETE ON exit_stats BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER exit_stats_upd AFTER UPDATE ON exit_stats BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER cause_stats_ins AFTER INSERT ON cause_stats BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER cause_stats_del AFTER DELETE ON cause_stats BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER cause_stats_upd AFTER UPDATE ON cause_stats BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER measure_stats_ins AFTER INSERT ON measure_stats BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER measure_stats_del AFTER DELETE ON measure_stats BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER measure_stats_upd AFTER UPDATE ON measure_stats BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER annual_target_ins AFTER INSERT ON annual_target BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER annual_target_del AFTER DELETE ON annual_target BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER annual_target_upd AFTER UPDATE ON annual_target BEGIN UPDATE stats_generation SET n = n + 1; END;
