-- Reading-room visits: a linked reader's desk-QR scan (at most one a day), and readers
-- without an account counted by the librarian, class by class.
CREATE TABLE visit (
    id         INTEGER PRIMARY KEY,
    reader_id  INTEGER NOT NULL REFERENCES reader (id),
    day        TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    UNIQUE (reader_id, day)
);

CREATE INDEX visit_day ON visit (day, reader_id);

CREATE TABLE visit_count (
    id          INTEGER PRIMARY KEY,
    day         TEXT    NOT NULL,
    class_name  TEXT    NOT NULL,
    visitors    INTEGER NOT NULL CHECK (visitors BETWEEN 1 AND 200),
    recorded_by INTEGER NOT NULL,
    created_at  TEXT    NOT NULL
);

CREATE INDEX visit_count_day ON visit_count (day);

-- A loan or a return is also a visit of its reader that day, and the figures count loans and
-- returns by date: these ranges must not scan the whole loans table.
CREATE INDEX loan_loaned_on ON loan (loaned_on, reader_id) WHERE loaned_on IS NOT NULL;
CREATE INDEX loan_returned_on ON loan (returned_on, reader_id) WHERE returned_on IS NOT NULL;
