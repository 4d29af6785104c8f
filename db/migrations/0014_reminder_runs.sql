-- The days the daily reminders ran (a start-up catch-up counts): a digest day that passed
-- without a run, after days with one, was missed while the bot was down, and the weekly digest
-- goes out late the next morning. ran_at is the first run's moment (UTC, ISO 8601).
CREATE TABLE reminder_run (
    day    TEXT NOT NULL PRIMARY KEY,
    ran_at TEXT NOT NULL
) WITHOUT ROWID;
