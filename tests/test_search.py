"""Catalog search: the pure query builder, then search over a small real catalog."""

import sqlite3
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import db.search
from bot.core.search import (
    INDEX_RULES,
    MAX_TOKEN_LENGTH,
    MAX_TOKENS,
    Alternative,
    Candidate,
    Outcome,
    Vocabulary,
    accession_candidates,
    edit_distance,
    fts_expression,
    index_text,
    isbn_candidates,
    keyboard_variants,
    parse_query,
    plan_query,
    query_tokens,
    rank_candidates,
    series_order,
    series_sort_key,
    single_edits,
    slip_rank,
    volume_of,
)
from db.connection import Database
from db.search import SearchResult, reindex_titles, search_titles

WORDS = {
    "dac": 1,
    "nhan": 3,
    "tam": 2,
    "de": 1,
    "men": 1,
    "me": 4,
    "phieu": 1,
    "luu": 1,
    "ky": 2,
    "harry": 2,
    "potter": 2,
    "poster": 1,
    "christian": 1,
    "toan": 5,
    "anh": 9,
}


def fts5_accepts(expression: str) -> bool:
    """Run expression as a MATCH on an FTS5 table like title_fts; False if SQLite rejects it."""
    with sqlite3.connect(":memory:") as conn:
        conn.execute(
            "CREATE VIRTUAL TABLE t USING fts5 (title, author, subject,"
            " tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3')"
        )
        conn.execute("INSERT INTO t VALUES ('dac nhan tam', 'dale carnegie', 'ky nang song')")
        try:
            conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
        except sqlite3.Error:
            return False
    return True


# The pure query builder.


def test_tokens_are_folded_without_accents_case_or_punctuation() -> None:
    assert query_tokens("  ĐẮC Nhân-Tâm!! ") == ("dac", "nhan", "tam")


def test_decomposed_input_gives_the_same_tokens() -> None:
    assert query_tokens(unicodedata.normalize("NFD", "Đắc nhân tâm")) == ("dac", "nhan", "tam")


def test_tokens_are_capped_in_number_and_length() -> None:
    tokens = query_tokens(" ".join(f"w{i}" for i in range(40)) + " " + "x" * 500)
    assert len(tokens) == MAX_TOKENS
    assert query_tokens("y" * 500) == ("y" * MAX_TOKEN_LENGTH,)


@pytest.mark.parametrize("text", ["", "   \n\t", "!!! ??? ...", "🙂🎉", "“”«»"])
def test_text_without_letters_or_digits_is_empty(text: str) -> None:
    assert parse_query(text).outcome is Outcome.EMPTY


def test_one_letter_is_too_short_and_two_are_enough() -> None:
    assert parse_query("đ").outcome is Outcome.TOO_SHORT
    assert parse_query("de").outcome is None


def test_accession_candidates_include_the_padded_forms() -> None:
    found = accession_candidates(" stk-12 ")
    assert found[0] == "STK-12"
    assert {"STK-00012", "STK00012", "STK-0012"} <= set(found)
    assert accession_candidates("STK-00012")[0] == "STK-00012"


def test_words_and_bare_numbers_are_no_padded_accessions() -> None:
    assert accession_candidates("dac nhan tam") == ()
    assert accession_candidates("1984") == ("1984",)


def test_isbn_with_or_without_hyphens_gives_both_forms() -> None:
    assert isbn_candidates("978-0-306-40615-7") == ("9780306406157", "0306406152")
    assert isbn_candidates("0-306-40615-2") == ("0306406152", "9780306406157")
    assert isbn_candidates("ISBN 9780306406157")[0] == "9780306406157"
    assert isbn_candidates("12345") == ()
    assert isbn_candidates("harry potter") == ()


def test_edit_distance_counts_a_transposition_as_one() -> None:
    assert edit_distance("christian", "christain", 2) == 1
    assert edit_distance("poter", "potter", 2) == 1
    assert edit_distance("abc", "xyz", 1) == 2


def test_single_edits_cover_deletion_insertion_substitution_and_transposition() -> None:
    edits = single_edits("kyy")
    assert {"ky", "kyya", "kya", "yky"} <= edits
    assert "kyy" not in edits


def test_keyboard_leftovers_of_telex_and_vni_are_read_back() -> None:
    assert keyboard_variants("ddawcs") == {"dac"}
    assert keyboard_variants("nhaan") == {"nhan"}
    assert keyboard_variants("truwowngf") == {"truong"}
    assert keyboard_variants("d9a81c") == {"dac"}
    assert keyboard_variants("harry") == set()
    assert keyboard_variants("stk12") == set()


def test_near_finds_one_typo_and_two_in_long_words() -> None:
    vocabulary = Vocabulary(WORDS)
    assert ("ky", 1) in vocabulary.near("kyy")
    assert vocabulary.near("poter")[0] in {("potter", 1), ("poster", 1)}
    assert vocabulary.near("khristiam") == [("christian", 2)]
    assert vocabulary.near("xx") == []


def test_near_puts_a_doubled_key_before_a_wrong_one() -> None:
    vocabulary = Vocabulary({"tuyen": 1, "truyen": 50})
    assert [term for term, _ in vocabulary.near("ttuyen")] == ["tuyen", "truyen"]


@pytest.mark.parametrize(
    ("typed", "word", "rank"),
    [("kyy", "ky", 0), ("hrary", "harry", 1), ("hary", "harry", 2), ("harrt", "harry", 3)],
)
def test_slip_rank_orders_the_likely_slips(typed: str, word: str, rank: int) -> None:
    assert slip_rank(typed, word) == rank


def test_near_puts_the_more_common_word_first() -> None:
    assert [term for term, _ in Vocabulary(WORDS).near("poter")] == ["potter", "poster"]


def test_last_token_is_a_prefix_and_earlier_ones_whole_words() -> None:
    plan = plan_query(("de", "me"), Vocabulary(WORDS))
    assert plan is not None
    assert plan.expression == '"de" AND "me"*'
    assert not plan.corrected


def test_unknown_earlier_word_is_replaced_by_its_typo_neighbours() -> None:
    plan = plan_query(("harri", "potter"), Vocabulary(WORDS))
    assert plan is not None
    assert plan.tokens[0].alternatives == (Alternative("harry", distance=1),)
    assert plan.corrected


def test_a_word_nothing_resembles_makes_no_plan() -> None:
    assert plan_query(("dac", "zzzzqqq"), Vocabulary(WORDS)) is None
    assert plan_query((), Vocabulary(WORDS)) is None


def test_relaxed_plan_adds_neighbours_of_known_words() -> None:
    strict = plan_query(("poster",), Vocabulary(WORDS))
    relaxed = plan_query(("poster",), Vocabulary(WORDS), relaxed=True)
    assert strict is not None and relaxed is not None
    assert strict.expression == '"poster"*'
    assert relaxed.expression == '("poster"* OR "potter")'


def test_estimate_is_at_most_the_rarest_token() -> None:
    vocabulary = Vocabulary(WORDS)
    plan = plan_query(("anh", "t"), vocabulary)
    assert plan is not None
    assert vocabulary.estimate(plan) == WORDS["tam"] + WORDS["toan"]


def test_estimate_shrinks_with_independent_common_words() -> None:
    vocabulary = Vocabulary({"a1": 1_000, "b1": 1_000, "c1": 1_000}, titles=100_000)
    plan = plan_query(("a1", "b1", "c1"), vocabulary)
    assert plan is not None
    assert 5 <= vocabulary.estimate(plan) <= 6


def test_title_starts_are_what_was_typed_or_the_guesses() -> None:
    plan = plan_query(("harri", "poter"), Vocabulary(WORDS))
    assert plan is not None
    assert plan.title_starts == ["harry potter", "harry poster"]


@pytest.mark.parametrize(
    "text",
    [
        'dac "nhan" tam',
        "-x title:x",
        "NEAR( a b",
        "dac AND ( nhan",
        "c++ *",
        "'; DROP TABLE title; --",
        "{title}: ^ dac",
        "toan OR NOT anh",
    ],
)
def test_expressions_built_from_hostile_text_are_valid_fts5(text: str) -> None:
    vocabulary = Vocabulary(WORDS)
    tokens = query_tokens(text)
    for relaxed in (False, True):
        plan = plan_query(tokens, vocabulary, relaxed=relaxed)
        if plan is not None:
            assert fts5_accepts(plan.expression)
    if tokens:
        assert fts5_accepts(fts_expression(tokens))


def _candidate(title_id: int, title: str, author: str = "", on_shelf: int = 1) -> Candidate:
    return Candidate(title_id, -1.0, title.split(), author.split(), [], on_shelf)


def _ranked_ids(
    words: dict[str, int], tokens: tuple[str, ...], *candidates: Candidate
) -> list[int]:
    plan = plan_query(tokens, Vocabulary(words))
    assert plan is not None
    return [c.title_id for c in rank_candidates(plan, candidates)]


def test_ranking_puts_title_matches_over_author_matches() -> None:
    # bm25 weighs the title column 2.5 times the author one.
    author_only = Candidate(1, -1.0, ["de", "men"], ["to", "hoai"], [], 1)
    in_title = Candidate(2, -2.5, ["nho", "to", "hoai"], ["van", "thanh"], [], 1)
    assert _ranked_ids({"to": 2, "hoai": 2}, ("to", "hoai"), author_only, in_title) == [2, 1]


def test_ranking_puts_the_exact_title_first() -> None:
    longer = Candidate(1, -9.0, ["doi", "mat", "biec"], [], [], 1)
    exact = _candidate(2, "mat biec", on_shelf=0)
    assert _ranked_ids({"mat": 3, "biec": 3}, ("mat", "bie"), longer, exact) == [2, 1]


def test_ranking_prefers_words_in_order_then_copies_on_the_shelf() -> None:
    words = {"hon": 3, "da": 3}
    shuffled = _candidate(1, "da xanh hon")
    unshelved = _candidate(2, "hon da xanh", on_shelf=0)
    shelved = _candidate(3, "hon da xanh")
    assert _ranked_ids(words, ("hon", "da"), shuffled, unshelved, shelved) == [3, 2, 1]


def test_ranking_puts_a_name_typed_whole_above_its_words_scattered() -> None:
    scattered = Candidate(1, -2.0, ["anh", "trang", "buon"], ["ta", "van", "an"], [], 1)
    by_author = Candidate(2, -1.0, ["bong", "hoa"], ["ta", "trang"], [], 1)
    assert _ranked_ids({"ta": 9, "trang": 9}, ("ta", "trang"), scattered, by_author) == [2, 1]


def test_relaxed_plan_looks_further_for_typo_guesses() -> None:
    vocabulary = Vocabulary({f"vux{c}": 1 for c in "abcdefghjklmnop"} | {"x": 1})
    strict = plan_query(("vuxi", "x"), vocabulary)
    relaxed = plan_query(("vuxi", "x"), vocabulary, relaxed=True)
    assert strict is not None and relaxed is not None
    assert [len(plan.tokens[0].alternatives) for plan in (strict, relaxed)] == [5, 12]


def test_one_word_in_the_author_is_no_name_typed_whole() -> None:
    by_author = Candidate(1, -1.0, ["sherlock", "holmes"], ["arthur", "conan", "doyle"], [], 1)
    in_title = Candidate(2, -2.5, ["tham", "tu", "conan"], ["aoyama", "gosho"], [], 1)
    assert _ranked_ids({"conan": 2}, ("conan",), by_author, in_title) == [2, 1]


def test_ranking_prefers_the_typed_word_over_a_guess() -> None:
    plan = plan_query(("poter",), Vocabulary({"poter": 1, "potter": 1}), relaxed=True)
    assert plan is not None
    guessed, typed = _candidate(1, "harry potter"), _candidate(2, "harry poter")
    assert [c.title_id for c in rank_candidates(plan, [guessed, typed])] == [2, 1]


def test_a_guessed_word_fits_less_than_the_typed_one() -> None:
    assert Alternative("poter").closeness("poter") == 1.0
    assert Alternative("potter", distance=1).closeness("potter") < 1.0
    assert Alternative("pot", prefix=True).closeness("potter") < 1.0
    assert not Alternative("pot", prefix=True).matches("harry")


# Search over a small real catalog.

TITLES = [
    (1, "Đắc nhân tâm", "Dale Carnegie", "STK", "Kỹ năng sống", "9780306406157"),
    (2, "Dế Mèn phiêu lưu ký", "Tô Hoài", "Truyện", "Văn học Việt Nam", ""),
    (3, "Mắt biếc", "Nguyễn Nhật Ánh", "Truyện", "Văn học Việt Nam", ""),
    (4, "Cho tôi xin một vé đi tuổi thơ", "Nguyễn Nhật Ánh", "Truyện", "Văn học Việt Nam", ""),
    (5, "Harry Potter và hòn đá phù thủy", "J. K. Rowling", "Truyện", "Văn học nước ngoài", ""),
    (6, "Harry Potter và phòng chứa bí mật", "J. K. Rowling", "Truyện", "Văn học nước ngoài", ""),
    (7, "Tô Hoài, nhà văn của tuổi thơ", "Vân Thanh", "STK", "Nghiên cứu văn học", ""),
    (8, "Toán 6 - Tập một", "Hà Huy Khoái", "SGK", "Toán", ""),
    (9, "1984", "George Orwell", "Truyện", "Văn học nước ngoài", ""),
    (10, "Đôi mắt biếc của mèo con", "Nhiều tác giả", "Truyện", "Thiếu nhi", ""),
]
COPIES = [
    ("STK-00012", 1, "on_shelf"),
    ("STK-00013", 1, "on_loan"),
    ("STK-00014", 1, "withdrawn"),
    ("TN-00001", 2, "on_shelf"),
    ("TN-00002", 2, "on_shelf"),
    ("TN-00003", 2, "lost"),
    ("TN-00004", 3, "on_loan"),
    ("TN-00005", 4, "on_shelf"),
    ("TN-00006", 5, "on_shelf"),
    ("TN-00007", 6, "held"),
    ("STK-00015", 7, "on_shelf"),
    ("SGK-00001", 8, "on_shelf"),
    ("1984", 8, "on_shelf"),
    ("TN-00008", 9, "damaged"),
    ("TN-00009", 10, "on_shelf"),
]


async def add_titles(db: Database, titles: list[tuple[int, str, str, str, str, str]]) -> None:
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO title (id, title, author, kind, subject, isbn, group_key)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*row, f"key{row[0]}") for row in titles],
        )
        await reindex_titles(conn, [row[0] for row in titles])


@pytest.fixture
async def catalog(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "catalog.db") as database:
        await add_titles(database, TITLES)
        async with database.transaction() as conn:
            await conn.executemany(
                "INSERT INTO copy (accession, title_id, status) VALUES (?, ?, ?)", COPIES
            )
        yield database


async def first_title(db: Database, query: str) -> str | None:
    result = await search_titles(db, query)
    return result.hits[0].title if result.hits else None


async def test_a_student_without_accents_finds_dac_nhan_tam(catalog: Database) -> None:
    result = await search_titles(catalog, "dac nhan tam")
    assert result.outcome is Outcome.OK
    assert [hit.title for hit in result.hits] == ["Đắc nhân tâm"]
    assert not result.corrected


@pytest.mark.parametrize(
    "query",
    ["ĐẮC NHÂN TÂM", unicodedata.normalize("NFD", "Đắc nhân tâm"), "Dac Nhan Tam", "đắc nhân"],
)
async def test_case_accents_and_decomposed_input_do_not_matter(
    catalog: Database, query: str
) -> None:
    assert await first_title(catalog, query) == "Đắc nhân tâm"


async def test_the_last_word_may_be_unfinished(catalog: Database) -> None:
    assert await first_title(catalog, "de me") == "Dế Mèn phiêu lưu ký"
    assert await first_title(catalog, "harry potter va ho") == "Harry Potter và hòn đá phù thủy"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("de men phieu luu kyy", {"Dế Mèn phiêu lưu ký"}),
        ("de mne phieu luu ky", {"Dế Mèn phiêu lưu ký"}),
        ("nguyen nhat anhh", {"Mắt biếc", "Cho tôi xin một vé đi tuổi thơ"}),
        (
            "harry poter",
            {"Harry Potter và hòn đá phù thủy", "Harry Potter và phòng chứa bí mật"},
        ),
        ("ddawcs nhaan taam", {"Đắc nhân tâm"}),
    ],
)
async def test_small_typos_still_find_the_title(
    catalog: Database, query: str, expected: set[str]
) -> None:
    result = await search_titles(catalog, query)
    assert {hit.title for hit in result.hits} == expected
    assert result.corrected


async def test_a_known_word_that_finds_nothing_is_corrected_on_a_second_try(
    catalog: Database,
) -> None:
    result = await search_titles(catalog, "cho toi xin mat ve")
    assert result.corrected
    assert [hit.title for hit in result.hits] == ["Cho tôi xin một vé đi tuổi thơ"]


async def test_subject_and_kind_are_searched_too(catalog: Database) -> None:
    assert await first_title(catalog, "ky nang song") == "Đắc nhân tâm"
    assert await first_title(catalog, "sgk") == "Toán 6 - Tập một"


async def test_a_title_match_ranks_above_an_author_match(catalog: Database) -> None:
    result = await search_titles(catalog, "to hoai")
    assert [hit.title for hit in result.hits] == [
        "Tô Hoài, nhà văn của tuổi thơ",
        "Dế Mèn phiêu lưu ký",
    ]


async def test_titles_starting_with_the_words_come_first_the_shortest_first(
    tmp_path: Path,
) -> None:
    async with Database(tmp_path / "starts.db") as database:
        await add_titles(
            database,
            [
                (1, "Toán 6 - Sách giáo viên", "Hà Huy Khoái", "SGV", "Toán", ""),
                (2, "Bài tập Toán 6", "Hà Huy Khoái", "STK", "Toán", ""),
                (3, "Toán 6 - Tập một", "Hà Huy Khoái", "SGK", "Toán", ""),
            ],
        )
        result = await search_titles(database, "toan 6")
    assert [hit.title_id for hit in result.hits] == [3, 1, 2]


async def test_the_exact_title_comes_first(catalog: Database) -> None:
    result = await search_titles(catalog, "mat biec")
    assert [hit.title for hit in result.hits] == ["Mắt biếc", "Đôi mắt biếc của mèo con"]


async def test_hits_show_copies_on_the_shelf_out_of_those_not_lost_or_withdrawn(
    catalog: Database,
) -> None:
    (tam,) = (await search_titles(catalog, "dac nhan tam")).hits
    assert (tam.on_shelf, tam.total) == (1, 2)
    (men,) = (await search_titles(catalog, "de men")).hits
    assert (men.on_shelf, men.total, men.author, men.kind) == (2, 2, "Tô Hoài", "Truyện")


async def test_an_accession_number_puts_its_title_first(catalog: Database) -> None:
    for typed in ("STK-00012", "stk-00012", " STK-00012 ", "stk-12", "STK 12", "stk12"):
        result = await search_titles(catalog, typed)
        assert result.exact_copy == "STK-00012", typed
        assert [hit.title for hit in result.hits] == ["Đắc nhân tâm"], typed
        assert result.total == 1


async def test_an_accession_that_is_also_a_title_word_shows_both(catalog: Database) -> None:
    result = await search_titles(catalog, "1984")
    assert result.exact_copy == "1984"
    assert [hit.title for hit in result.hits] == ["Toán 6 - Tập một", "1984"]
    assert result.total == 2
    second_page = await search_titles(catalog, "1984", limit=1, offset=1)
    assert [hit.title for hit in second_page.hits] == ["1984"]
    assert second_page.total == 2


@pytest.mark.parametrize("typed", ["978-0-306-40615-7", "9780306406157", "0-306-40615-2"])
async def test_an_isbn_finds_its_title(catalog: Database, typed: str) -> None:
    result = await search_titles(catalog, typed)
    assert [hit.title for hit in result.hits] == ["Đắc nhân tâm"]
    assert result.exact_copy is None


@pytest.mark.parametrize(
    ("query", "outcome"),
    [
        ("", Outcome.EMPTY),
        ("    ", Outcome.EMPTY),
        ("?!...", Outcome.EMPTY),
        ("🙂🙂", Outcome.EMPTY),
        ("a", Outcome.TOO_SHORT),
        ("xyzzyq wqwq", Outcome.NOTHING_FOUND),
        ('"', Outcome.EMPTY),
        ("-x", Outcome.TOO_SHORT),
        ("title:x", Outcome.NOTHING_FOUND),
        ("NEAR(", Outcome.NOTHING_FOUND),
        ("dac AND (", Outcome.NOTHING_FOUND),
        ("c++", Outcome.NOTHING_FOUND),
        ("*", Outcome.EMPTY),
        ("'; DROP TABLE title; --", Outcome.NOTHING_FOUND),
        ("dac nhan tam " * 400, Outcome.OK),
        ("\x00\x1b[31m", Outcome.NOTHING_FOUND),
    ],
)
async def test_odd_input_gets_an_outcome_never_an_error(
    catalog: Database, query: str, outcome: Outcome
) -> None:
    result = await search_titles(catalog, query)
    assert isinstance(result, SearchResult)
    assert result.outcome is outcome
    assert result.query == query
    assert await catalog.fetchval("SELECT count(*) FROM title") == len(TITLES)


async def test_a_long_paste_uses_only_its_first_words(catalog: Database) -> None:
    result = await search_titles(catalog, "dac nhan tam " + "x" * 5_000)
    assert result.outcome is Outcome.NOTHING_FOUND
    result = await search_titles(catalog, "dac nhan " * 6 + "tam" + " dac" * 2_000)
    assert [hit.title for hit in result.hits] == ["Đắc nhân tâm"]


async def test_pages_are_stable_and_cover_every_hit_once(tmp_path: Path) -> None:
    async with Database(tmp_path / "pages.db") as database:
        await add_titles(
            database,
            [(i, f"Truyện cổ tích số {i}", "", "Truyện", "", "") for i in range(1, 13)],
        )
        pages = [
            await search_titles(database, "truyen co tich", limit=5, offset=offset)
            for offset in (0, 5, 10, 15)
        ]
        again = await search_titles(database, "truyen co tich", limit=5, offset=5)
    ids = [hit.title_id for page in pages for hit in page.hits]
    assert sorted(ids) == list(range(1, 13))
    assert [len(page.hits) for page in pages] == [5, 5, 2, 0]
    assert {page.total for page in pages} == {12}
    assert again.hits == pages[1].hits


async def test_a_very_broad_query_ranks_a_capped_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db.search, "MAX_RANKED", 5)
    async with Database(tmp_path / "broad.db") as database:
        await add_titles(
            database,
            [(i, f"Truyện số {i}", "", "Truyện", "Văn học", "") for i in range(1, 21)]
            + [(21, "Văn học và tuổi trẻ", "", "Báo, tạp chí", "", "")],
        )
        narrow = await search_titles(database, "van hoc va")
        broad = await search_titles(database, "tr", limit=10)
    assert narrow.capped
    assert narrow.total == 5
    assert narrow.hits[0].title == "Văn học và tuổi trẻ"
    assert {hit.title_id for hit in narrow.hits[1:]} == {17, 18, 19, 20}
    assert broad.capped
    assert broad.total == 5
    # The shortest first among the first keys: "truyen so 1" < "truyen so 10" < … < "truyen so 2".
    assert [hit.title for hit in broad.hits] == [f"Truyện số {n}" for n in (1, 10, 11, 12, 13)]


async def test_a_changed_title_is_found_by_its_new_words_only(catalog: Database) -> None:
    async with catalog.transaction() as conn:
        await conn.execute("UPDATE title SET title = 'Quẳng gánh lo đi' WHERE id = 1")
        await reindex_titles(conn, [1])
    assert await first_title(catalog, "dac nhan tam") is None
    assert await first_title(catalog, "quang ganh lo di") == "Quẳng gánh lo đi"
    assert await first_title(catalog, "quangg ganh") == "Quẳng gánh lo đi"


async def test_a_deleted_title_is_no_longer_found(catalog: Database) -> None:
    async with catalog.transaction() as conn:
        await conn.execute("DELETE FROM copy WHERE title_id = 3")
        await conn.execute("DELETE FROM title WHERE id = 3")
        await reindex_titles(conn, [3])
    result = await search_titles(catalog, "nguyen nhat anh")
    assert [hit.title for hit in result.hits] == ["Cho tôi xin một vé đi tuổi thơ"]


async def test_another_process_sees_new_words_after_a_reindex(
    catalog: Database, tmp_path: Path
) -> None:
    assert await first_title(catalog, "dac nhan tam") == "Đắc nhân tâm"
    async with Database(tmp_path / "catalog.db") as other:
        await add_titles(other, [(11, "Quẳng gánh lo đi mà vui sống", "", "STK", "", "")])
    assert await first_title(catalog, "quangg ganh") == "Quẳng gánh lo đi mà vui sống"


# Short queries, names and symbols.


@pytest.mark.parametrize(
    ("typed", "tokens", "names"),
    [
        ("c++", ("cplusplus",), {"cplusplus"}),
        ("C#", ("csharp",), {"csharp"}),
        ("Lập trình C++", ("lap", "trinh", "cplusplus"), {"cplusplus"}),
        ("X-Men", ("xmen",), {"xmen"}),
        ("Q&A", ("qa",), {"qa"}),
        ("Tin 6", ("tin", "6"), set()),
        ("Vật lí 9", ("vat", "li", "9"), set()),
        ("7 thói quen", ("7", "thoi", "quen"), set()),
        ("Nhân-Tâm", ("nhan", "tam"), set()),
        ("Tháng 11/2025", ("thang", "11", "2025"), set()),
    ],
)
def test_short_queries_keep_what_makes_them_a_title(
    typed: str, tokens: tuple[str, ...], names: set[str]
) -> None:
    parsed = parse_query(typed)
    assert parsed.tokens == tokens and parsed.names == names
    assert parsed.outcome is None


@pytest.mark.parametrize("typed", ["c", "X", "đ", "c ++", "+", "(a)"])
def test_a_lone_letter_is_too_short_and_punctuation_empty(typed: str) -> None:
    outcome = parse_query(typed).outcome
    assert outcome is (Outcome.EMPTY if typed == "+" else Outcome.TOO_SHORT)


def test_a_name_is_indexed_whole_and_as_its_words() -> None:
    assert index_text("X-Men: Thế hệ mới") == "x men xmen the he moi"
    assert index_text("Lập trình C++") == "lap trinh cplusplus"
    assert index_text("Ngôn ngữ C") == "ngon ngu c"


def test_a_name_is_never_guessed_at() -> None:
    vocabulary = Vocabulary({"men": 3, "x": 1, "cplus": 1})
    assert plan_query(("xmen",), vocabulary, relaxed=True, names={"xmen"}) is None
    assert plan_query(("cplusplus",), vocabulary, relaxed=True, names={"cplusplus"}) is None


async def test_c_plus_plus_finds_only_c_plus_plus(tmp_path: Path) -> None:
    async with Database(tmp_path / "c.db") as database:
        await add_titles(
            database,
            [
                (1, "Lập trình C++ cơ bản", "Phạm Văn Ất", "STK", "Tin học", ""),
                (2, "Ngôn ngữ lập trình C", "Quách Tuấn Ngọc", "STK", "Tin học", ""),
                (3, "C# cho người mới", "Nhiều tác giả", "STK", "Tin học", ""),
                (4, "Cá chép hóa rồng", "Nhiều tác giả", "Truyện", "Cổ tích", ""),
            ],
        )
        assert [h.title_id for h in (await search_titles(database, "c++")).hits] == [1]
        assert [h.title_id for h in (await search_titles(database, "c#")).hits] == [3]
        assert (await search_titles(database, "c")).outcome is Outcome.TOO_SHORT
        assert (await search_titles(database, "python++")).outcome is Outcome.NOTHING_FOUND


async def test_an_index_built_by_older_rules_is_rebuilt_on_first_search(tmp_path: Path) -> None:
    async with Database(tmp_path / "old.db") as database:
        await add_titles(database, [(1, "Lập trình C++", "Phạm Văn Ất", "STK", "", "")])
        async with database.transaction() as conn:
            # What the rules before names and symbols wrote.
            await conn.execute("UPDATE title_fts SET title = 'lap trinh c' WHERE rowid = 1")
            await conn.execute("UPDATE title_key SET key = 'lap trinh c'")
            await conn.execute("UPDATE title_fts_rules SET version = 0")
    async with Database(tmp_path / "old.db") as database:
        assert [h.title_id for h in (await search_titles(database, "c++")).hits] == [1]
        assert await database.fetchval("SELECT version FROM title_fts_rules") == INDEX_RULES
        assert await database.fetchval("SELECT key FROM title_key") == "lap trinh cplusplus"


# Numbered series.


@pytest.mark.parametrize(
    ("title", "number"),
    [
        ("Toán 6 - Tập một (Cánh Diều)", 1),
        ("Ngữ văn 6 - Sách giáo viên - Tập hai", 2),
        ("Bài tập Toán 6 - Tập ba", 3),
        ("Truyện Kiều - Tập bốn", 4),
        ("Doraemon - Tập 10", 10),
        ("Tuyển tập - Tập mười hai", 12),
        ("Thần đồng đất Việt T.2", 2),
        ("Lịch sử thế giới - Tập IV", 4),
        ("Đất rừng phương Nam - Quyển II", 2),
        ("Khoa học vui - Phần 3", 3),
        ("Harry Potter và hòn đá phù thủy - Tập 1", 1),
    ],
)
def test_the_series_number_is_read_in_words_digits_or_roman(title: str, number: int) -> None:
    volume = volume_of(index_text(title).split())
    assert volume is not None and volume.number == number


@pytest.mark.parametrize(
    "title", ["Toán 6", "Bài tập Toán 6", "Phan Nam Dũng kể chuyện", "Đất rừng phương Nam"]
)
def test_a_grade_or_a_name_is_no_series_number(title: str) -> None:
    assert volume_of(index_text(title).split()) is None


def test_series_fill_their_places_in_number_order() -> None:
    titles = [
        "Toán 6 - Tập hai (Cánh Diều)",
        "Toán 6 - Sách giáo viên",
        "Toán 6 - Tập một (Cánh Diều)",
        "Toán 6 - Tập hai (Chân trời sáng tạo)",
        "Harry Potter và phòng chứa bí mật - Tập 2",
        "Toán 6 - Tập một (Chân trời sáng tạo)",
        "Harry Potter và hòn đá phù thủy - Tập 1",
    ]
    order = series_order([(i, index_text(title)) for i, title in enumerate(titles)])
    assert [titles[i] for i in order] == [
        "Toán 6 - Tập một (Cánh Diều)",
        "Toán 6 - Sách giáo viên",
        "Toán 6 - Tập hai (Cánh Diều)",
        "Toán 6 - Tập một (Chân trời sáng tạo)",
        "Harry Potter và hòn đá phù thủy - Tập 1",
        "Toán 6 - Tập hai (Chân trời sáng tạo)",
        "Harry Potter và phòng chứa bí mật - Tập 2",
    ]


async def test_search_lists_a_series_in_number_order(tmp_path: Path) -> None:
    async with Database(tmp_path / "series.db") as database:
        await add_titles(
            database,
            [
                (1, "Doraemon - Tập 10", "Fujiko F. Fujio", "Truyện", "", ""),
                (2, "Doraemon - Tập hai", "Fujiko F. Fujio", "Truyện", "", ""),
                (3, "Doraemon - Tập 1", "Fujiko F. Fujio", "Truyện", "", ""),
                (4, "Doraemon - Tập III", "Fujiko F. Fujio", "Truyện", "", ""),
            ],
        )
        result = await search_titles(database, "doraemon")
    assert [hit.title_id for hit in result.hits] == [3, 2, 4, 1]


# An author's name matching a word.


def test_a_title_holding_every_word_ranks_above_an_author_holding_one() -> None:
    plan = plan_query(("toan", "6"), Vocabulary({"toan": 3, "6": 3}))
    assert plan is not None
    civics = Candidate(
        1, -9.0, ["giao", "duc", "cong", "dan", "6"], ["nguyen", "thi", "toan"], [], 1
    )
    maths = Candidate(2, -1.0, ["bai", "tap", "nang", "cao", "toan", "lop", "6"], [], [], 1)
    assert [c.title_id for c in rank_candidates(plan, [civics, maths])] == [2, 1]


async def test_toan_6_puts_maths_titles_above_an_author_called_toan(tmp_path: Path) -> None:
    async with Database(tmp_path / "toan.db") as database:
        await add_titles(
            database,
            [
                (1, "Giáo dục công dân 6", "Nguyễn Thị Toan", "SGK", "Giáo dục công dân", ""),
                (
                    2,
                    "Bài tập nâng cao Toán lớp 6 cho học sinh khá giỏi",
                    "Vũ Hữu Bình",
                    "STK",
                    "",
                    "",
                ),
                (3, "Em học giỏi Toán 6", "Nhiều tác giả", "STK", "Toán", ""),
            ],
        )
        result = await search_titles(database, "toan 6")
    assert [hit.title_id for hit in result.hits][-1] == 1


async def test_a_new_database_is_indexed_by_the_current_rules_from_the_start(
    tmp_path: Path,
) -> None:
    async with Database(tmp_path / "new.db") as database:
        assert await database.fetchval("SELECT version FROM title_fts_rules") == INDEX_RULES
        assert not await db.search.rebuild_if_stale(database)


def test_the_sort_key_of_a_series_puts_its_volumes_side_by_side_in_order() -> None:
    titles = ["Doraemon - Tập 10", "Doraemon - Tập hai", "Doraemon", "Doraemon - Tập 1"]
    keys = sorted(titles, key=lambda title: series_sort_key(index_text(title)))
    assert keys == ["Doraemon", "Doraemon - Tập 1", "Doraemon - Tập hai", "Doraemon - Tập 10"]
