-- Public pages kept while nothing they show has changed.
--
-- The server keeps the pages it has rendered for visitors (server::page_cache) and sends them
-- again while the counter of 0010 stays where it was. Until now the counter moved only with the
-- dashboard's summaries; from here every table a public page reads moves it too, in the writing
-- transaction, in this process or any other (the CLI import, a second server): a kept page is
-- never older than the database. Only the sessions, the login throttle, the audit log, the
-- server's secret and the derived name index (it changes with `member`) leave it still.
-- Statement-level triggers: one bump per statement, however many rows it writes.
CREATE TRIGGER region_changed AFTER INSERT OR UPDATE OR DELETE ON region
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER household_changed AFTER INSERT OR UPDATE OR DELETE ON household
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER member_changed AFTER INSERT OR UPDATE OR DELETE ON member
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER household_cause_changed AFTER INSERT OR UPDATE OR DELETE ON household_cause
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER household_income_changed AFTER INSERT OR UPDATE OR DELETE ON household_income
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER housing_changed AFTER INSERT OR UPDATE OR DELETE ON housing
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER measure_changed AFTER INSERT OR UPDATE OR DELETE ON measure
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER pairing_changed AFTER INSERT OR UPDATE OR DELETE ON pairing
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER cadre_changed AFTER INSERT OR UPDATE OR DELETE ON cadre
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER work_team_changed AFTER INSERT OR UPDATE OR DELETE ON work_team
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER work_team_member_changed AFTER INSERT OR UPDATE OR DELETE ON work_team_member
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER visit_changed AFTER INSERT OR UPDATE OR DELETE ON visit
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE ON policy
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER poverty_line_changed AFTER INSERT OR UPDATE OR DELETE ON poverty_line
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER assistance_changed AFTER INSERT OR UPDATE OR DELETE ON assistance
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER notice_changed AFTER INSERT OR UPDATE OR DELETE ON notice
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER notice_entry_changed AFTER INSERT OR UPDATE OR DELETE ON notice_entry
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER notice_setting_changed AFTER INSERT OR UPDATE OR DELETE ON notice_setting
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER objection_changed AFTER INSERT OR UPDATE OR DELETE ON objection
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER work_update_changed AFTER INSERT OR UPDATE OR DELETE ON work_update
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER work_update_revision_changed AFTER INSERT OR UPDATE OR DELETE ON work_update_revision
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
CREATE TRIGGER staff_user_changed AFTER INSERT OR UPDATE OR DELETE ON staff_user
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
