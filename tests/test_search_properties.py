"""Properties of catalog search: no text a person types raises or builds an invalid MATCH."""

import asyncio
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.search import Outcome, Vocabulary, fts_expression, parse_query, plan_query
from db.connection import Database
from db.search import SearchResult, reindex_titles, search_titles

FTS_SYNTAX = [
    '"',
    "'",
    "*",
    "-",
    "+",
    ":",
    "^",
    "(",
    ")",
    "{",
    "}",
    "AND",
    "OR",
    "NOT",
    "NEAR(",
    "title:",
    "{title author}:",
    "c++",
    "--",
    ";",
    "DROP TABLE title",
    "\x00",
    "\u200b",
]
WORDS = ["dac", "nhân", "Tâm", "dế", "mèn", "phieu", "luu", "kyy", "harry", "poter", "toán"]
VOCABULARY = Vocabulary(
    {
        "dac": 1,
        "nhan": 2,
        "tam": 1,
        "de": 1,
        "men": 1,
        "phieu": 1,
        "luu": 1,
        "ky": 1,
        "harry": 2,
        "potter": 2,
        "toan": 3,
        "christian": 1,
    }
)
typed = st.one_of(
    st.text(),
    st.text(st.characters(codec="utf-8"), max_size=200),
    st.lists(st.sampled_from(FTS_SYNTAX + WORDS), max_size=20).map(" ".join),
    st.lists(st.sampled_from(FTS_SYNTAX + WORDS), max_size=20).map("".join),
    st.builds(
        lambda text, times: text * times, st.text(min_size=1, max_size=20), st.integers(1, 400)
    ),
)


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    """An FTS5 table declared like title_fts, holding a few folded titles."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE title_fts USING fts5 (title, author, subject,"
        " tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3')"
    )
    conn.executemany(
        "INSERT INTO title_fts VALUES (?, ?, ?)",
        [
            ("dac nhan tam", "dale carnegie", "ky nang song stk"),
            ("de men phieu luu ky", "to hoai", "van hoc viet nam truyen"),
            ("harry potter va hon da phu thuy", "j k rowling", "truyen"),
        ],
    )
    return conn


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=typed)
def test_every_plan_is_an_expression_sqlite_accepts(fts: sqlite3.Connection, text: str) -> None:
    tokens = parse_query(text).tokens
    expressions = [fts_expression(tokens)] if tokens else []
    for relaxed in (False, True):
        plan = plan_query(tokens, VOCABULARY, relaxed=relaxed)
        if plan is not None:
            expressions.append(plan.expression)
    for expression in expressions:
        fts.execute(
            "SELECT rowid, rank FROM title_fts WHERE title_fts MATCH ? ORDER BY rank",
            (expression,),
        ).fetchall()


def test_search_never_raises_whatever_is_typed(tmp_path: Path) -> None:
    with asyncio.Runner() as runner:
        database = Database(tmp_path / "catalog.db")
        runner.run(database.open())
        runner.run(_fill(database))

        @settings(max_examples=200, deadline=None)
        @given(text=typed, offset=st.integers(-5, 30), limit=st.integers(-1, 200))
        def search_anything(text: str, offset: int, limit: int) -> None:
            result = runner.run(search_titles(database, text, limit=limit, offset=offset))
            assert isinstance(result, SearchResult)
            assert result.query == text
            assert isinstance(result.outcome, Outcome)
            assert (result.outcome is Outcome.OK) == (result.total > 0)
            assert len(result.hits) <= max(limit, 1)

        try:
            search_anything()
        finally:
            runner.run(database.close())


async def _fill(database: Database) -> None:
    titles = [
        (1, "Đắc nhân tâm", "Dale Carnegie", "STK", "Kỹ năng sống"),
        (2, "Dế Mèn phiêu lưu ký", "Tô Hoài", "Truyện", "Văn học Việt Nam"),
        (3, "Harry Potter và hòn đá phù thủy", "J. K. Rowling", "Truyện", ""),
        (4, "Toán 6 - Tập một", "Hà Huy Khoái", "SGK", "Toán"),
    ]
    async with database.transaction() as conn:
        await conn.executemany(
            "INSERT INTO title (id, title, author, kind, subject, group_key)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(*row, f"key{row[0]}") for row in titles],
        )
        await conn.executemany(
            "INSERT INTO copy (accession, title_id) VALUES (?, ?)",
            [("STK-00012", 1), ("TN-00001", 2), ("TN-00002", 3), ("SGK-00001", 4)],
        )
        await reindex_titles(conn, [row[0] for row in titles])
