-- What each UI user chose for themselves: the time zone every time is shown in (an IANA name such
-- as Europe/Berlin). No row, or a NULL zone, means "the browser's". Times stay UTC in storage.
CREATE TABLE user_preference (
    name       text        PRIMARY KEY REFERENCES app_user (name) ON DELETE CASCADE,
    time_zone  text,
    updated_at timestamptz NOT NULL
);
