-- The school year turns: each applied year turn once, and who left with it.

-- A year turn applied (promotions, leavers); its year is applied at most once.
CREATE TABLE year_turn (
    year       TEXT    PRIMARY KEY,
    start_year INTEGER NOT NULL UNIQUE,
    applied_at TEXT    NOT NULL,
    applied_by INTEGER,
    promoted   INTEGER NOT NULL,
    repeated   INTEGER NOT NULL,
    left_count INTEGER NOT NULL,
    newcomers  INTEGER NOT NULL
);

-- A leaver of a year turn and the homeroom teacher of their last class at that moment,
-- who is told, and at the year-end recall reminded, what must still come back.
CREATE TABLE year_turn_leaver (
    reader_id   INTEGER PRIMARY KEY REFERENCES reader (id),
    year        TEXT    NOT NULL REFERENCES year_turn (year),
    homeroom_id INTEGER REFERENCES reader (id)
);

CREATE INDEX reader_left ON reader (left_on) WHERE left_on IS NOT NULL;
