-- Purchase suggestions (đề xuất mua sách), the donation drive ("Góp một cuốn sách nhỏ, đọc ngàn
-- cuốn sách hay") and book rotation (luân chuyển sách) to class book corners or other libraries.

-- A book readers want the library to buy; similar suggestions are merged into one row.
CREATE TABLE suggestion (
    id         INTEGER PRIMARY KEY,
    title      TEXT    NOT NULL,
    author     TEXT    NOT NULL DEFAULT '',
    status     TEXT    NOT NULL DEFAULT 'open'
               CHECK (status IN ('open', 'ordered', 'later', 'declined')),
    created_at TEXT    NOT NULL,
    decided_at TEXT,
    decided_by INTEGER
);

CREATE INDEX suggestion_status ON suggestion (status);

-- One reader counts once per suggestion, whatever spelling they typed.
CREATE TABLE suggestion_vote (
    suggestion_id INTEGER NOT NULL REFERENCES suggestion (id),
    reader_id     INTEGER NOT NULL REFERENCES reader (id),
    typed_title   TEXT    NOT NULL,
    reason        TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (suggestion_id, reader_id)
) WITHOUT ROWID;

-- A donation drive: from starts_on to ends_on (local dates, inclusive).
CREATE TABLE donation_drive (
    id         INTEGER PRIMARY KEY,
    starts_on  TEXT    NOT NULL,
    ends_on    TEXT    NOT NULL,
    started_by INTEGER NOT NULL,
    ended_by   INTEGER,
    CHECK (starts_on <= ends_on)
);

-- Who gave a donated copy: a reader (then the class is theirs) or a name typed by the librarian.
CREATE TABLE donation (
    copy_id     INTEGER PRIMARY KEY REFERENCES copy (id),
    reader_id   INTEGER REFERENCES reader (id),
    donor_name  TEXT    NOT NULL,
    class_name  TEXT    NOT NULL DEFAULT '',
    donated_on  TEXT    NOT NULL,
    recorded_by INTEGER NOT NULL
);

CREATE INDEX donation_day ON donation (donated_on);

-- A batch of copies lent to a class book corner or another library until return_on.
-- 'open': being filled (copies still on the shelf); 'out': handed over (copies rotated_out);
-- 'returned': every copy is back.
CREATE TABLE rotation_batch (
    id          INTEGER PRIMARY KEY,
    destination TEXT    NOT NULL,
    class_name  TEXT    NOT NULL DEFAULT '',
    return_on   TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'out', 'returned')),
    created_by  INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    sent_on     TEXT,
    closed_on   TEXT
);

CREATE INDEX rotation_batch_status ON rotation_batch (status, return_on);

CREATE TABLE rotation_item (
    batch_id    INTEGER NOT NULL REFERENCES rotation_batch (id),
    copy_id     INTEGER NOT NULL REFERENCES copy (id),
    added_at    TEXT    NOT NULL,
    returned_on TEXT,
    PRIMARY KEY (batch_id, copy_id)
) WITHOUT ROWID;

-- A copy is in at most one batch that has not brought it back.
CREATE UNIQUE INDEX rotation_item_one_batch ON rotation_item (copy_id) WHERE returned_on IS NULL;
