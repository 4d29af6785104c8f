-- Parents' consent, the audit log of who saw whose data, and forgetting readers.

-- A parent's agreement that the library may link their child's chat account. source says how
-- it came: a class list's "Phụ huynh đồng ý" column, or recorded in chat by the librarian or
-- the homeroom teacher (recorded_by: their chat user id; NULL for a list). At most one
-- consent of a reader is current; a withdrawn one stays as the record of what happened.
CREATE TABLE parent_consent (
    id              INTEGER PRIMARY KEY,
    reader_id       INTEGER NOT NULL REFERENCES reader (id),
    given_on        TEXT    NOT NULL,
    source          TEXT    NOT NULL CHECK (source IN ('class_list', 'librarian', 'homeroom')),
    recorded_by     INTEGER,
    recorded_at     TEXT    NOT NULL,
    note            TEXT    NOT NULL DEFAULT '',
    withdrawn_at    TEXT,
    withdrawn_by    INTEGER,
    withdrawn_source TEXT   CHECK (withdrawn_source IN ('librarian', 'homeroom', 'cli'))
);

CREATE UNIQUE INDEX parent_consent_current ON parent_consent (reader_id)
    WHERE withdrawn_at IS NULL;

-- Who exported or viewed other people's personal data, when and what. done_by is the chat
-- user id (0 for the command line or the bot itself); via is telegram, cli or system.
-- key, when set, makes a repeated job write its line once.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT    NOT NULL,
    done_by   INTEGER NOT NULL,
    via       TEXT    NOT NULL CHECK (via IN ('telegram', 'cli', 'system')),
    actor     TEXT    NOT NULL DEFAULT '',
    action    TEXT    NOT NULL,
    detail    TEXT    NOT NULL DEFAULT '',
    reader_id INTEGER REFERENCES reader (id),
    key       TEXT    UNIQUE
);

CREATE INDEX audit_log_at ON audit_log (at);

-- The day a reader's personal data was erased; the row stays under an anonymous code so
-- that loans and visits still count.
ALTER TABLE reader ADD COLUMN forgotten_on TEXT;

-- The librarian was told on noticed_on that the leaver would be anonymised on due_on.
CREATE TABLE forget_notice (
    reader_id  INTEGER NOT NULL REFERENCES reader (id),
    due_on     TEXT    NOT NULL,
    noticed_on TEXT    NOT NULL,
    PRIMARY KEY (reader_id, due_on)
) WITHOUT ROWID;

-- The librarian postponed a leaver's anonymisation until a day, for a reason.
CREATE TABLE forget_postponement (
    id          INTEGER PRIMARY KEY,
    reader_id   INTEGER NOT NULL REFERENCES reader (id),
    until_on    TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    recorded_by INTEGER NOT NULL,
    recorded_at TEXT    NOT NULL
);

CREATE INDEX forget_postponement_reader ON forget_postponement (reader_id, until_on);
