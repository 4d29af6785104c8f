-- Which version of the indexing rules (bot.core.search.INDEX_RULES) built title_fts and
-- title_key: db.search rebuilds both from the title table when its rules are newer.
CREATE TABLE title_fts_rules (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO title_fts_rules (id, version) VALUES (1, 0);
