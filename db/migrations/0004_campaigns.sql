-- The monthly campaign calendar (recurring every year) and the librarian's broadcasts.

-- A campaign comes back every year on its day and month. seed_key names the campaigns of the
-- built-in calendar so that seeding at start-up adds each of them once; the librarian's own
-- campaigns have none. audience is a code read by bot.core.campaigns.parse_audience.
CREATE TABLE campaign (
    id         INTEGER PRIMARY KEY,
    seed_key   TEXT    UNIQUE,
    day        INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    month      INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    title      TEXT    NOT NULL,
    message    TEXT    NOT NULL DEFAULT '',
    audience   TEXT    NOT NULL DEFAULT 'classes',
    send_time  TEXT    NOT NULL DEFAULT '07:30',
    lead_days  INTEGER NOT NULL DEFAULT 3 CHECK (lead_days BETWEEN 1 AND 30),
    status     TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE campaign_book (
    campaign_id INTEGER NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    title_id    INTEGER NOT NULL REFERENCES title (id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, title_id)
) WITHOUT ROWID;

-- One year's sending of a campaign: the preview went to the librarian ('previewed'), who
-- approved or skipped it; an approved run is enqueued at its send time ('sending') and the
-- librarian gets a report once its outbox batch is delivered ('sent').
CREATE TABLE campaign_run (
    campaign_id  INTEGER NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    year         INTEGER NOT NULL,
    status       TEXT    NOT NULL
                 CHECK (status IN ('previewed', 'approved', 'skipped', 'sending', 'sent')),
    decided_by   INTEGER,
    updated_at   TEXT    NOT NULL,
    batch        TEXT    NOT NULL DEFAULT '',
    recipients   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, year)
) WITHOUT ROWID;

CREATE INDEX campaign_run_status ON campaign_run (status);

-- A broadcast: now or at send_at (UTC, the outbox's fixed-width text), to an audience code;
-- kind 'book' is a one-tap introduction of one title card.
CREATE TABLE broadcast (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'book')),
    audience    TEXT    NOT NULL,
    text        TEXT    NOT NULL DEFAULT '',
    photo       TEXT,
    send_at     TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'scheduled'
                CHECK (status IN ('scheduled', 'sending', 'done', 'cancelled')),
    created_by  INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    recipients  INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX broadcast_status ON broadcast (status, send_at);

CREATE TABLE broadcast_book (
    broadcast_id INTEGER NOT NULL REFERENCES broadcast (id) ON DELETE CASCADE,
    title_id     INTEGER NOT NULL REFERENCES title (id),
    position     INTEGER NOT NULL,
    PRIMARY KEY (broadcast_id, title_id)
) WITHOUT ROWID;
