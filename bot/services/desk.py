"""At the desk: whether a copy can be lent now, and to whom, before the reader is asked for."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from db import catalog, loans, readers
from db.catalog import CopyRecord
from db.connection import Database
from db.readers import ReaderRecord


class Standing(StrEnum):
    """Where a copy stands for a new loan."""

    FREE = "free"
    ON_LOAN = "on_loan"
    HELD = "held"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class CopyStanding:
    """A copy's standing with the reader who has it or waits for it, and until when."""

    standing: Standing
    status: str
    reader: ReaderRecord | None = None
    due_on: date | None = None
    held_until: date | None = None


def standing_of(status: str, loan_state: str | None) -> Standing:
    """Decide whether a copy with this status and open loan or hold ('open', 'held') may go out.

    A held copy goes only to the reader it is held for; lost, damaged, withdrawn or rotated-out
    copies not at all.
    """
    if loan_state == "open" or (loan_state is None and status == "on_loan"):
        return Standing.ON_LOAN
    if loan_state == "held":
        return Standing.HELD
    return Standing.FREE if status == "on_shelf" else Standing.UNAVAILABLE


async def copy_standing(db: Database, copy: CopyRecord) -> CopyStanding:
    """Return where the copy stands for a new loan, with who has it or waits for it."""
    async with db.transaction() as conn:
        active = await loans.active_loan_of_copy(conn, copy.id)
    standing = standing_of(copy.status, active.state if active else None)
    if active is None:
        return CopyStanding(standing, copy.status)
    return CopyStanding(
        standing,
        copy.status,
        reader=await readers.get_reader(db, active.reader_id),
        due_on=active.due_on if active.state == "open" else None,
        held_until=active.held_until if active.state == "held" else None,
    )


@dataclass(frozen=True)
class TypedList:
    """A typed list of accession numbers read against the catalogue.

    accessions: the stored numbers of those that name one copy, and those that name none as
    typed (the caller reports them unknown); ambiguous: each bare number several copies
    carry, with those copies.
    """

    accessions: list[str]
    ambiguous: list[tuple[str, list[CopyRecord]]]


async def read_typed_list(db: Database, typed: Sequence[str]) -> TypedList:
    """Read typed accession numbers as people type them (tn159, TN 00159, 159)."""
    accessions: list[str] = []
    ambiguous: list[tuple[str, list[CopyRecord]]] = []
    for text, copies in zip(typed, await catalog.resolve_accessions(db, typed), strict=True):
        if len(copies) > 1:
            ambiguous.append((text, copies))
        else:
            accessions.append(copies[0].accession if copies else text)
    return TypedList(accessions, ambiguous)
