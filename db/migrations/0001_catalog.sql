-- Titles (đầu sách) and copies (bản sách, one per số ĐKCB), with the search index.
CREATE TABLE title (
    id             INTEGER PRIMARY KEY,
    title          TEXT    NOT NULL,
    author         TEXT    NOT NULL DEFAULT '',
    publisher      TEXT    NOT NULL DEFAULT '',
    year           INTEGER,
    isbn           TEXT    NOT NULL DEFAULT '',
    kind           TEXT    NOT NULL DEFAULT '',
    subject        TEXT    NOT NULL DEFAULT '',
    grade          INTEGER,
    classification TEXT    NOT NULL DEFAULT '',
    summary        TEXT    NOT NULL DEFAULT '',
    cover_file_id  TEXT,
    -- folded title|author|publisher|year: copies with the same key are one title
    group_key      TEXT    NOT NULL UNIQUE,
    created_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE INDEX title_isbn ON title (isbn) WHERE isbn <> '';

CREATE TABLE copy (
    id          INTEGER PRIMARY KEY,
    accession   TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    title_id    INTEGER NOT NULL REFERENCES title (id),
    status      TEXT    NOT NULL DEFAULT 'on_shelf'
                CHECK (status IN ('on_shelf', 'on_loan', 'held', 'lost', 'damaged',
                                  'rotated_out', 'withdrawn')),
    location    TEXT    NOT NULL DEFAULT '',
    acquired_on TEXT,
    price       INTEGER,
    source      TEXT    NOT NULL DEFAULT 'bought'
                CHECK (source IN ('bought', 'donated', 'rotated_in')),
    donor       TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX copy_title ON copy (title_id, status);

-- Folded (accent-free, đ→d, casefolded) words of each title; rowid = title.id.
-- Written only by db.search.reindex_titles (like title_key below); subject also holds
-- kind and classification.
CREATE VIRTUAL TABLE title_fts USING fts5 (
    title, author, subject,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3'
);

-- Every indexed word with its document count: the dictionary typo correction draws from.
CREATE VIRTUAL TABLE title_fts_vocab USING fts5vocab (title_fts, 'row');

-- The folded words of each title joined by single spaces: an index range over it finds the
-- titles that start with what a person typed, without scanning the full-text index.
CREATE TABLE title_key (
    title_id INTEGER PRIMARY KEY,
    key      TEXT    NOT NULL
);

CREATE INDEX title_key_key ON title_key (key, title_id);

-- Bumped by each reindex, so every process knows when its in-memory dictionary is stale.
CREATE TABLE title_fts_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO title_fts_generation (id, generation) VALUES (1, 0);
