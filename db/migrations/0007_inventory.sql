-- Inventory (kiểm kê) by scanning: a session, the copies seen in it, its helpers, and the
-- findings frozen when it ends. One open session per library: the partial unique index.
CREATE TABLE inventory_session (
    id            INTEGER PRIMARY KEY,
    scope_kind    TEXT    NOT NULL CHECK (scope_kind IN ('all', 'kind', 'prefix')),
    scope_value   TEXT    NOT NULL DEFAULT '',
    state         TEXT    NOT NULL DEFAULT 'open'
                  CHECK (state IN ('open', 'ended', 'cancelled')),
    started_by    INTEGER NOT NULL,
    starter_name  TEXT    NOT NULL DEFAULT '',
    started_at    TEXT    NOT NULL,
    -- copies catalogued after the start are not expected on the shelf (unless scanned)
    last_copy_id  INTEGER NOT NULL,
    closed_by     INTEGER,
    closed_at     TEXT,
    lost_marked   INTEGER,
    lost_marked_at TEXT
);

CREATE UNIQUE INDEX inventory_one_open ON inventory_session (state) WHERE state = 'open';

CREATE TABLE inventory_scan (
    session_id INTEGER NOT NULL REFERENCES inventory_session (id),
    copy_id    INTEGER NOT NULL REFERENCES copy (id),
    seen_at    TEXT    NOT NULL,
    seen_by    INTEGER NOT NULL,
    PRIMARY KEY (session_id, copy_id)
) WITHOUT ROWID;

-- Members of the inventory team (ban kiểm kê) for one session only.
CREATE TABLE inventory_helper (
    session_id INTEGER NOT NULL REFERENCES inventory_session (id),
    user_id    INTEGER NOT NULL,
    reader_id  INTEGER NOT NULL REFERENCES reader (id),
    added_by   INTEGER NOT NULL,
    added_at   TEXT    NOT NULL,
    PRIMARY KEY (session_id, user_id)
) WITHOUT ROWID;

-- What the session concluded about each copy in its scope, with the copy's status and open
-- loan at that moment, so the report and "mark missing as lost" never drift afterwards.
CREATE TABLE inventory_finding (
    session_id INTEGER NOT NULL REFERENCES inventory_session (id),
    copy_id    INTEGER NOT NULL REFERENCES copy (id),
    finding    TEXT    NOT NULL
               CHECK (finding IN ('found', 'missing', 'seen_written_off', 'away')),
    status     TEXT    NOT NULL,
    loan_id    INTEGER REFERENCES loan (id),
    PRIMARY KEY (session_id, copy_id)
) WITHOUT ROWID;

CREATE INDEX inventory_finding_kind ON inventory_finding (session_id, finding);
