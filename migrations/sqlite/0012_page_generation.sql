-- Public pages kept while nothing they show has changed.
--
-- The server keeps the pages it has rendered for visitors (server::page_cache) and sends them
-- again while the counter of 0010 stays where it was. Until now the counter moved only with the
-- dashboard's summaries; from here every table a public page reads moves it too, in the writing
-- transaction, in this process or any other (the CLI import, a second server): a kept page is
-- never older than the database. Only the sessions, the login throttle, the audit log, the
-- server's secret and the derived name index (it changes with `member`) leave it still.
CREATE TRIGGER region_insert_gen AFTER INSERT ON region BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER region_update_gen AFTER UPDATE ON region BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER region_delete_gen AFTER DELETE ON region BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER household_insert_gen AFTER INSERT ON household BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER household_update_gen AFTER UPDATE ON household BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER household_delete_gen AFTER DELETE ON household BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER member_insert_gen AFTER INSERT ON member BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER member_update_gen AFTER UPDATE ON member BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER member_delete_gen AFTER DELETE ON member BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER household_cause_insert_gen AFTER INSERT ON household_cause BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER household_cause_update_gen AFTER UPDATE ON household_cause BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER household_cause_delete_gen AFTER DELETE ON household_cause BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER household_income_insert_gen AFTER INSERT ON household_income BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER household_income_update_gen AFTER UPDATE ON household_income BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER household_income_delete_gen AFTER DELETE ON household_income BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER housing_insert_gen AFTER INSERT ON housing BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER housing_update_gen AFTER UPDATE ON housing BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER housing_delete_gen AFTER DELETE ON housing BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER measure_insert_gen AFTER INSERT ON measure BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER measure_update_gen AFTER UPDATE ON measure BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER measure_delete_gen AFTER DELETE ON measure BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER pairing_insert_gen AFTER INSERT ON pairing BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER pairing_update_gen AFTER UPDATE ON pairing BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER pairing_delete_gen AFTER DELETE ON pairing BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER cadre_insert_gen AFTER INSERT ON cadre BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER cadre_update_gen AFTER UPDATE ON cadre BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER cadre_delete_gen AFTER DELETE ON cadre BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER work_team_insert_gen AFTER INSERT ON work_team BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER work_team_update_gen AFTER UPDATE ON work_team BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER work_team_delete_gen AFTER DELETE ON work_team BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER work_team_member_insert_gen AFTER INSERT ON work_team_member BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER work_team_member_update_gen AFTER UPDATE ON work_team_member BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER work_team_member_delete_gen AFTER DELETE ON work_team_member BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER visit_insert_gen AFTER INSERT ON visit BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER visit_update_gen AFTER UPDATE ON visit BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER visit_delete_gen AFTER DELETE ON visit BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER policy_insert_gen AFTER INSERT ON policy BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER policy_update_gen AFTER UPDATE ON policy BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER policy_delete_gen AFTER DELETE ON policy BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER poverty_line_insert_gen AFTER INSERT ON poverty_line BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER poverty_line_update_gen AFTER UPDATE ON poverty_line BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER poverty_line_delete_gen AFTER DELETE ON poverty_line BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER assistance_insert_gen AFTER INSERT ON assistance BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER assistance_update_gen AFTER UPDATE ON assistance BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER assistance_delete_gen AFTER DELETE ON assistance BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER notice_insert_gen AFTER INSERT ON notice BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER notice_update_gen AFTER UPDATE ON notice BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER notice_delete_gen AFTER DELETE ON notice BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER notice_entry_insert_gen AFTER INSERT ON notice_entry BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER notice_entry_update_gen AFTER UPDATE ON notice_entry BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER notice_entry_delete_gen AFTER DELETE ON notice_entry BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER notice_setting_insert_gen AFTER INSERT ON notice_setting BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER notice_setting_update_gen AFTER UPDATE ON notice_setting BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER notice_setting_delete_gen AFTER DELETE ON notice_setting BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER objection_insert_gen AFTER INSERT ON objection BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER objection_update_gen AFTER UPDATE ON objection BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER objection_delete_gen AFTER DELETE ON objection BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER work_update_insert_gen AFTER INSERT ON work_update BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER work_update_update_gen AFTER UPDATE ON work_update BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER work_update_delete_gen AFTER DELETE ON work_update BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER work_update_revision_insert_gen AFTER INSERT ON work_update_revision BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER work_update_revision_update_gen AFTER UPDATE ON work_update_revision BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER work_update_revision_delete_gen AFTER DELETE ON work_update_revision BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER staff_user_insert_gen AFTER INSERT ON staff_user BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER staff_user_update_gen AFTER UPDATE ON staff_user BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER staff_user_delete_gen AFTER DELETE ON staff_user BEGIN UPDATE stats_generation SET n = n + 1; END;
