"""Accession numbers as people type them: the pure parser and the one catalogue look-up."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.accession import parse_accession, split_accession_list, take_accession
from bot.core.inventory import is_accession_like, looks_like_accessions
from bot.services.desk import Standing, standing_of
from db.catalog import find_copies, resolve_accessions
from db.connection import Database


@pytest.mark.parametrize(
    ("typed", "prefix", "number"),
    [
        ("TN-00159", "TN", 159),
        ("tn00159", "TN", 159),
        ("TN 00159", "TN", 159),
        ("  tn-159 ", "TN", 159),
        ("tn.159", "TN", 159),
        ("Tn #159", "TN", 159),
        ("159", "", 159),
        ("00159", "", 159),
    ],
)
def test_the_shapes_people_type_read_as_prefix_and_number(
    typed: str, prefix: str, number: int
) -> None:
    parsed = parse_accession(typed)
    assert parsed is not None and (parsed.prefix, parsed.number) == (prefix, number)


@pytest.mark.parametrize("typed", ["", "   ", "toán 6", "!!!", "🙂", "x" * 41, "abc"])
def test_what_cannot_be_an_accession_number_is_none(typed: str) -> None:
    assert parse_accession(typed) is None


def test_a_number_matches_its_copies_whatever_the_padding_or_separator() -> None:
    typed = parse_accession("tn-159")
    assert typed is not None
    assert typed.matches("TN-00159") and typed.matches("TN00159") and typed.matches("tn 159")
    assert not typed.matches("SGK-00159") and not typed.matches("TN-01159")
    bare = parse_accession("159")
    assert bare is not None and bare.bare
    assert bare.matches("SGK-00159") and bare.matches("TN-00159") and not bare.matches("TN-1159")


def test_an_unusual_number_matches_without_its_separators() -> None:
    typed = parse_accession("stk 2021 005")
    assert typed is not None and typed.number is None
    assert typed.matches("STK-2021-005") and not typed.matches("STK-2021-006")


def test_spellings_pad_the_number_as_registers_do() -> None:
    typed = parse_accession("tn159")
    assert typed is not None
    assert {"TN159", "TN-00159", "TN00159", "TN-0159"} <= set(typed.spellings())
    bare = parse_accession("159")
    assert bare is not None and bare.spellings() == ("159",)


def test_a_typed_list_keeps_a_prefix_with_its_number() -> None:
    assert split_accession_list("TN 00159, stk-3\nSGK 12;tn5") == [
        "TN 00159",
        "stk-3",
        "SGK 12",
        "tn5",
    ]
    # A grade after a word is a search, not copy TIN-6.
    assert split_accession_list("tin 6") == ["tin", "6"]
    assert not looks_like_accessions("tin 6")
    assert looks_like_accessions("TN 00159 159")
    assert not is_accession_like("12") and is_accession_like("159") and is_accession_like("a1")
    # A new number (a donation's) is one word, as the register writes it.
    assert not is_accession_like("TN 00159")


def test_a_command_splits_into_the_number_and_its_note() -> None:
    assert take_accession(["tn", "159", "rách", "bìa"]) == ("tn 159", ["rách", "bìa"])
    assert take_accession(["TN-00159", "rách"]) == ("TN-00159", ["rách"])
    assert take_accession(["159"]) == ("159", [])
    assert take_accession([]) == ("", [])


@pytest.mark.parametrize(
    ("status", "loan", "standing"),
    [
        ("on_shelf", None, Standing.FREE),
        ("on_loan", "open", Standing.ON_LOAN),
        ("held", "held", Standing.HELD),
        ("lost", None, Standing.UNAVAILABLE),
        ("damaged", None, Standing.UNAVAILABLE),
        ("withdrawn", None, Standing.UNAVAILABLE),
        ("rotated_out", None, Standing.UNAVAILABLE),
    ],
)
def test_where_a_copy_stands_for_a_new_loan(
    status: str, loan: str | None, standing: Standing
) -> None:
    assert standing_of(status, loan) is standing


@pytest.fixture
async def copies(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "copies.db") as db:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO title (id, title, group_key) VALUES (1, 'Sách', 'k')")
            await conn.executemany(
                "INSERT INTO copy (accession, title_id) VALUES (?, 1)",
                [(a,) for a in ("TN-00159", "SGK-00159", "TN-00300", "1984", "STK-2021-005")],
            )
        yield db


async def accessions(db: Database, typed: str) -> list[str]:
    return [copy.accession for copy in await find_copies(db, typed)]


async def test_the_look_up_finds_one_copy_or_the_candidates(copies: Database) -> None:
    for typed in ("tn00159", "TN 00159", "tn-159", "TN-00159"):
        assert await accessions(copies, typed) == ["TN-00159"], typed
    assert await accessions(copies, "159") == ["SGK-00159", "TN-00159"]
    assert await accessions(copies, "300") == ["TN-00300"]
    assert await accessions(copies, "1984") == ["1984"]
    assert await accessions(copies, "stk 2021 005") == ["STK-2021-005"]
    assert await accessions(copies, "999") == []
    assert await accessions(copies, "'; DROP TABLE copy; --") == []
    assert await accessions(copies, "%") == []


async def test_a_list_is_resolved_entry_by_entry(copies: Database) -> None:
    resolved = await resolve_accessions(copies, ["TN-00300", "tn 159", "159", "ZZ-1"])
    assert [[c.accession for c in found] for found in resolved] == [
        ["TN-00300"],
        ["TN-00159"],
        ["SGK-00159", "TN-00159"],
        [],
    ]
