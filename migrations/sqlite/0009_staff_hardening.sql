-- Staff hardening: sessions end for good when an account is disabled or its password changes,
-- and expired login-throttle rows can be purged cheaply.
--
-- The session lookup already refuses an inactive account, but without deleting its sessions a
-- cookie from before would work again once the account is enabled; and a password change (after
-- a theft) must log out whoever holds an old cookie.
CREATE TRIGGER staff_user_end_sessions
AFTER UPDATE OF active, password_hash ON staff_user
FOR EACH ROW
WHEN (OLD.active = 1 AND NEW.active = 0) OR OLD.password_hash <> NEW.password_hash
BEGIN
    DELETE FROM staff_session WHERE staff_id = NEW.id;
END;

-- Sessions of accounts disabled before this migration would come back the same way.
DELETE FROM staff_session WHERE staff_id IN (SELECT id FROM staff_user WHERE active = 0);

-- Every login attempt deletes the rows whose window and lock are over (window_start < now - window).
CREATE INDEX login_throttle_window ON login_throttle (window_start);
