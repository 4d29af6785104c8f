-- Which version of the indexing rules (bot.core.search.INDEX_RULES) built title_fts and
-- title_key: db.search rebuilds both from the title table when its rules are newer. A
-- database that already holds titles was indexed by the rules before version 1; an empty
-- one will be indexed by version 1 from its first import.
CREATE TABLE title_fts_rules (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO title_fts_rules (id, version)
SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM title) THEN 0 ELSE 1 END;
