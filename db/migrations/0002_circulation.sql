-- Readers, chat accounts and roles, link tokens, borrow requests, loans and holds, the outbox.
CREATE TABLE reader (
    id             INTEGER PRIMARY KEY,
    code           TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    full_name      TEXT    NOT NULL,
    folded_name    TEXT    NOT NULL,
    category       TEXT    NOT NULL CHECK (category IN ('student', 'teacher', 'staff')),
    class_name     TEXT    NOT NULL DEFAULT '',
    birth_date     TEXT,
    gender         TEXT    NOT NULL DEFAULT '',
    disadvantaged  INTEGER NOT NULL DEFAULT 0 CHECK (disadvantaged IN (0, 1)),
    subject        TEXT    NOT NULL DEFAULT '',
    position       TEXT    NOT NULL DEFAULT '',
    homeroom_class TEXT    NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE INDEX reader_class ON reader (class_name, folded_name);

-- A chat identity; linked to at most one reader, and a reader to at most one account.
CREATE TABLE account (
    id         INTEGER PRIMARY KEY,
    channel    TEXT    NOT NULL DEFAULT 'telegram',
    user_id    INTEGER NOT NULL,
    chat_id    INTEGER NOT NULL,
    name       TEXT    NOT NULL DEFAULT '',
    reader_id  INTEGER UNIQUE REFERENCES reader (id),
    linked_at  TEXT,
    blocked    INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (channel, user_id)
);

-- Roles beyond what the reader record implies; librarians also come from the config.
CREATE TABLE role_grant (
    account_id INTEGER NOT NULL REFERENCES account (id),
    role       TEXT    NOT NULL CHECK (role IN ('teacher', 'librarian', 'collaborator', 'principal')),
    granted_by INTEGER,
    granted_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (account_id, role)
);

CREATE TABLE link_token (
    token      TEXT    PRIMARY KEY,
    reader_id  INTEGER NOT NULL REFERENCES reader (id),
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    used_at    TEXT,
    account_id INTEGER REFERENCES account (id)
);

CREATE INDEX link_token_reader ON link_token (reader_id);

-- A borrow request, or a place in the waiting line for a title.
CREATE TABLE request (
    id         INTEGER PRIMARY KEY,
    reader_id  INTEGER NOT NULL REFERENCES reader (id),
    title_id   INTEGER NOT NULL REFERENCES title (id),
    status     TEXT    NOT NULL
               CHECK (status IN ('pending', 'waiting', 'held', 'fulfilled', 'refused',
                                 'cancelled', 'expired')),
    created_at TEXT    NOT NULL,
    decided_at TEXT,
    decided_by INTEGER,
    reason     TEXT    NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX request_one_active ON request (reader_id, title_id)
    WHERE status IN ('pending', 'waiting', 'held');
CREATE INDEX request_line ON request (title_id, status, id);

-- A hold (copy kept for pickup) or a loan; the partial unique index is the invariant
-- "a copy is on at most one open loan or hold".
CREATE TABLE loan (
    id          INTEGER PRIMARY KEY,
    copy_id     INTEGER NOT NULL REFERENCES copy (id),
    reader_id   INTEGER NOT NULL REFERENCES reader (id),
    request_id  INTEGER REFERENCES request (id),
    state       TEXT    NOT NULL
                CHECK (state IN ('held', 'open', 'returned', 'expired', 'cancelled', 'lost')),
    held_until  TEXT,
    loaned_on   TEXT,
    due_on      TEXT,
    returned_on TEXT,
    renewals    INTEGER NOT NULL DEFAULT 0,
    whole_year  INTEGER NOT NULL DEFAULT 0 CHECK (whole_year IN (0, 1)),
    late_days   INTEGER,
    lent_by     INTEGER,
    note        TEXT    NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX loan_one_open_per_copy ON loan (copy_id) WHERE state IN ('held', 'open');
CREATE INDEX loan_reader ON loan (reader_id, state);
CREATE INDEX loan_due ON loan (due_on) WHERE state = 'open';

-- Every push message: one row per recipient and purpose, sent at most once by its key.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    key        TEXT    NOT NULL UNIQUE,
    chat_id    INTEGER NOT NULL,
    payload    TEXT    NOT NULL,
    not_before TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT    NOT NULL DEFAULT '',
    batch      TEXT    NOT NULL DEFAULT '',
    message_id INTEGER,
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    sent_at    TEXT
);

CREATE INDEX outbox_due ON outbox (status, not_before);
CREATE INDEX outbox_batch ON outbox (batch) WHERE batch <> '';
