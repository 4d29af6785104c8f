-- Class and team groups the library posts into, and the reminders already sent per loan.

-- A group chat registered to receive the library's posts: a class group (kind 'class',
-- with its class and grade) or the collaborator team's group (kind 'team').
CREATE TABLE chat_group (
    chat_id       INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('class', 'team')),
    class_name    TEXT    NOT NULL DEFAULT '',
    grade         INTEGER CHECK (grade BETWEEN 6 AND 9),
    title         TEXT    NOT NULL DEFAULT '',
    registered_by INTEGER NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    registered_at TEXT    NOT NULL,
    CHECK ((kind = 'class') = (class_name <> '' AND grade IS NOT NULL))
);

CREATE INDEX chat_group_kind ON chat_group (kind, active, grade, class_name);

-- A group that answers 403 (the bot was removed while it was away) stops receiving posts.
CREATE TRIGGER chat_group_blocked AFTER UPDATE OF status ON outbox
WHEN NEW.status = 'blocked' AND NEW.chat_id < 0
BEGIN
    UPDATE chat_group SET active = 0 WHERE chat_id = NEW.chat_id;
END;

-- Every reminder step sent for a loan and its due date at the time; step 100 records that the
-- loan was reported to the homeroom teacher. A renewal moves the due date, so steps restart.
CREATE TABLE reminder_sent (
    loan_id INTEGER NOT NULL REFERENCES loan (id),
    due_on  TEXT    NOT NULL,
    step    INTEGER NOT NULL CHECK (step > 0),
    sent_on TEXT    NOT NULL,
    PRIMARY KEY (loan_id, due_on, step)
) WITHOUT ROWID;
