-- Staff accounts, database sessions and login throttling.
-- A session row holds only the SHA-256 of the cookie's random token, so a copy of the database
-- gives no live session; every lookup joins staff_user, so a disabled account is out at once,
-- in every server process. Times are unix seconds.
CREATE TABLE staff_user (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE CHECK (username = lower(trim(username)) AND length(username) BETWEEN 2 AND 40),
    display_name    TEXT NOT NULL CHECK (length(trim(display_name)) BETWEEN 1 AND 40),
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('city_admin', 'township', 'village', 'cadre')),
    region_code     TEXT NOT NULL REFERENCES region (code),
    cadre_id        INTEGER REFERENCES cadre (id),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((role = 'cadre') = (cadre_id IS NOT NULL))
) STRICT;

CREATE TABLE staff_session (
    token_hash      BLOB PRIMARY KEY,
    staff_id        INTEGER NOT NULL REFERENCES staff_user (id),
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX staff_session_staff ON staff_session (staff_id);
CREATE INDEX staff_session_expires ON staff_session (expires_at);

-- Failed logins per account ('u:name') and per address ('ip:addr') in the current window.
CREATE TABLE login_throttle (
    key             TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    window_start    INTEGER NOT NULL,
    locked_until    INTEGER NOT NULL DEFAULT 0
) STRICT;
