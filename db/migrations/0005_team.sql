-- The collaborator team: its monthly meetings, members' answers, and the clean-up roster.

-- One meeting per month, written down the first time a notice goes out or the librarian opens
-- it; until then the rule of bot.core.team says when it is. day is the local date, at the
-- local "HH:MM". revision counts changes of time (each restarts the notices); notified is the
-- last step (bot.core.team.Step) sent for the current revision, 0 for none.
CREATE TABLE team_meeting (
    id         INTEGER PRIMARY KEY,
    month      TEXT    NOT NULL UNIQUE,
    day        TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    agenda     TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled')),
    revision   INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0),
    notified   INTEGER NOT NULL DEFAULT 0 CHECK (notified BETWEEN 0 AND 3),
    changed_by INTEGER,
    updated_at TEXT    NOT NULL
);

-- A member's own answer to a meeting notice; a change of the meeting's time clears them.
CREATE TABLE team_answer (
    meeting_id  INTEGER NOT NULL REFERENCES team_meeting (id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES account (id),
    answer      TEXT    NOT NULL CHECK (answer IN ('present', 'absent')),
    answered_at TEXT    NOT NULL,
    PRIMARY KEY (meeting_id, account_id)
) WITHOUT ROWID;

-- Who was posted as on duty for a clean-up day (week = its ISO week, e.g. 2026-W48); the
-- rotation goes on after the last member posted. name is the name as it was posted.
CREATE TABLE team_duty (
    week       TEXT    NOT NULL,
    day        TEXT    NOT NULL,
    position   INTEGER NOT NULL CHECK (position >= 0),
    account_id INTEGER NOT NULL REFERENCES account (id),
    name       TEXT    NOT NULL,
    PRIMARY KEY (week, position)
) WITHOUT ROWID;

CREATE INDEX team_duty_day ON team_duty (day, position);
