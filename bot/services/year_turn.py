"""The school year turns: preview and apply promotions and leavers, and the year-end recall.

Channel-neutral: plain arguments in, a TurnReport or RecallReport out. One year turn is one
transaction holding every reader change, the group moves and the notices they cause.
"""

import asyncio
import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

import aiosqlite

from bot import texts
from bot.circulation import message
from bot.config import Config
from bot.core.class_list import STUDENT, ReaderEntry
from bot.core.register import RegisterError
from bot.core.reminders import deliver_at, pages
from bot.core.year_turn import (
    LAST_GRADE,
    Move,
    StudentTurn,
    TurnPlan,
    YearCheck,
    check_year,
    grade_of,
    plan_year_turn,
    recall_running,
)
from bot.register_years import parse_school_year
from db import accounts, outbox, readers
from db import reminders as reminder_store
from db import year_turn as store
from db.connection import Database
from db.outbox import NewMessage
from db.readers import reader_code_key
from db.year_turn import HeldLoan, Teacher, TurnStudent

TITLE_LENGTH = 60


class TurnOutcome(StrEnum):
    """How a year turn request ended."""

    PREVIEW = "preview"
    APPLIED = "applied"
    ALREADY = "already"
    EARLIER = "earlier"
    FUTURE = "future"
    PAST = "past"
    BAD_YEAR = "bad_year"
    BAD_LISTS = "bad_lists"
    STALE = "stale"
    NO_STUDENTS = "no_students"


_REFUSALS = {
    YearCheck.ALREADY: TurnOutcome.ALREADY,
    YearCheck.EARLIER: TurnOutcome.EARLIER,
    YearCheck.FUTURE: TurnOutcome.FUTURE,
    YearCheck.PAST: TurnOutcome.PAST,
}


@dataclass
class TurnReport:
    """What a year turn would do (a preview) or did, or why it may not run."""

    outcome: TurnOutcome
    year: str = ""
    start_year: int = 0
    current_year: str = ""
    last_year: str = ""
    text: str = ""
    plan: TurnPlan = field(default_factory=lambda: TurnPlan(()))
    students: dict[int, TurnStudent] = field(default_factory=dict)
    leaver_loans: list[HeldLoan] = field(default_factory=list)
    newcomers: int = 0
    returning: int = 0
    homerooms_now: int = 0
    homerooms_listed: int | None = None
    requests_to_cancel: int = 0
    deadline: date | None = None
    problems: list[str] = field(default_factory=list)
    notices: int = 0

    @property
    def digest(self) -> str:
        return self.plan.digest(self.year)

    @property
    def changes_made(self) -> bool:
        return self.outcome is TurnOutcome.APPLIED


@dataclass(frozen=True)
class NewLists:
    """Class and staff lists given with the turn: their readers and what is wrong in them."""

    entries: list[ReaderEntry]
    problems: list[str]


async def read_lists(paths: Sequence[Path]) -> NewLists:
    """Read the new year's class and staff lists with the reader import's own reader."""
    # openpyxl loads with the reader import, on the first year turn given lists.
    from bot.reader_import import read_reader_list

    entries: list[ReaderEntry] = []
    problems: list[str] = []
    for path in paths:
        try:
            found = await asyncio.to_thread(read_reader_list, path)
        except RegisterError as exc:
            problems.append(texts.YEAR_TURN_LIST_PROBLEM.format(name=path.name, problem=exc))
            continue
        entries += found.entries
        problems += [
            texts.YEAR_TURN_LIST_PROBLEM.format(name=path.name, problem=problem)
            for problem in found.problems
        ]
    return NewLists(entries, problems)


def _loan_key(loan: HeldLoan) -> tuple[str, str, int]:
    return (loan.class_name, loan.reader_name, loan.loan_id)


async def _plan(
    conn: aiosqlite.Connection, config: Config, start_year: int, today: date, lists: NewLists
) -> TurnReport:
    """Work out the turn on the data as it is now; nothing is written."""
    calendar = config.calendar
    current = calendar.school_year_of(today)
    year = f"{start_year}-{start_year + 1}"
    last = await store.last_applied(conn)
    report = TurnReport(
        TurnOutcome.PREVIEW,
        year=year,
        start_year=start_year,
        current_year=current.name,
        last_year=f"{last}-{last + 1}" if last is not None else "",
    )
    check = check_year(start_year, current, last)
    if check is not YearCheck.OK:
        report.outcome = _REFUSALS[check]
        return report
    students = await store.current_students(conn)
    if not students and not lists.entries:
        report.outcome = TurnOutcome.NO_STUDENTS
        return report
    report.students = {student.id: student for student in students}
    listed: dict[int, str] | None = None
    newcomer_classes: list[str] = []
    if lists.entries:
        from bot.reader_import import plan_readers

        existing = await readers.load_readers_by_code(conn)
        imported = plan_readers(lists.entries, existing)
        report.problems += [str(problem) for problem in imported.problems]
        by_id = {record.id: record for record in existing.values()}
        listed = {}
        for reader_id, data in imported.changed:
            if data.category == STUDENT:
                listed[reader_id] = data.class_name
                report.returning += by_id[reader_id].left_on is not None
        for data in imported.unchanged:
            if data.category == STUDENT:
                listed[existing[reader_code_key(data.code)].id] = data.class_name
        newcomer_classes = [data.class_name for data in imported.new if data.category == STUDENT]
        report.newcomers = len(newcomer_classes)
        staff = [entry for entry in lists.entries if entry.category != STUDENT]
        if any("homeroom_class" in entry.given for entry in staff):
            report.homerooms_listed = sum(1 for entry in staff if entry.homeroom_class)
        newcomer_classes += [listed[rid] for rid in listed if rid not in report.students]
    report.plan = plan_year_turn(
        [(student.id, student.class_name) for student in students],
        await store.class_groups(conn),
        listed=listed,
        newcomer_classes=newcomer_classes,
    )
    leaver_ids = [turn.reader_id for turn in report.plan.leavers]
    report.leaver_loans = sorted(await store.open_loans_of(conn, leaver_ids), key=_loan_key)
    report.homerooms_now = len(await store.homeroom_teachers(conn))
    report.requests_to_cancel = await _count_requests(conn, leaver_ids)
    report.deadline = calendar.year_end_deadline(calendar.school_year_of(today))
    return report


async def _count_requests(conn: aiosqlite.Connection, reader_ids: Sequence[int]) -> int:
    total = 0
    for start in range(0, len(reader_ids), 400):
        chunk = tuple(reader_ids[start : start + 400])
        marks = ", ".join("?" * len(chunk))
        async with conn.execute(
            "SELECT count(*) FROM request WHERE status IN ('pending', 'waiting')"
            f" AND reader_id IN ({marks})",
            chunk,
        ) as cursor:
            row = await cursor.fetchone()
        total += int(row[0]) if row else 0
    return total


def _parse_year(text: str) -> int | None:
    try:
        return parse_school_year(text)
    except ValueError:
        return None


async def preview_turn(
    db: Database, config: Config, year_text: str, today: date, paths: Sequence[Path] = ()
) -> TurnReport:
    """Say what turning into the school year year_text would do; change nothing."""
    start_year = _parse_year(year_text)
    if start_year is None:
        return TurnReport(TurnOutcome.BAD_YEAR, text=year_text.strip()[:40])
    lists = await read_lists(paths)
    if lists.problems:
        return TurnReport(TurnOutcome.BAD_LISTS, problems=lists.problems)
    report = await _plan(db.conn, config, start_year, today, lists)
    if report.problems:
        report.outcome = TurnOutcome.BAD_LISTS
    return report


async def apply_turn(
    db: Database,
    config: Config,
    year_text: str,
    now: datetime,
    *,
    applied_by: int | None = None,
    paths: Sequence[Path] = (),
    digest: str | None = None,
) -> TurnReport:
    """Turn into the school year year_text in one transaction, or change nothing.

    digest: the fingerprint of the preview a librarian confirmed; when the plan no longer
    matches it (the data changed, or the button was forged) nothing is applied.
    """
    start_year = _parse_year(year_text)
    if start_year is None:
        return TurnReport(TurnOutcome.BAD_YEAR, text=year_text.strip()[:40])
    lists = await read_lists(paths)
    if lists.problems:
        return TurnReport(TurnOutcome.BAD_LISTS, problems=lists.problems)
    today = now.date()
    async with db.transaction() as conn:
        report = await _plan(conn, config, start_year, today, lists)
        if report.problems:
            report.outcome = TurnOutcome.BAD_LISTS
        if report.outcome is not TurnOutcome.PREVIEW:
            return report
        if digest is not None and digest != report.digest:
            report.outcome = TurnOutcome.STALE
            return report
        plan = report.plan
        counts = _counts(report)
        recorded = await store.record_turn(
            conn,
            year=report.year,
            start_year=start_year,
            applied_at=now.isoformat(timespec="seconds"),
            applied_by=applied_by,
            counts=(counts["promoted"], counts["repeated"], counts["left"], report.newcomers),
        )
        if not recorded:
            report.outcome = TurnOutcome.ALREADY
            return report
        teachers = await store.homeroom_teachers(conn)
        await store.move_students(
            conn, [(turn.reader_id, turn.new_class) for turn in plan.staying]
        )
        first_teacher = _first_teacher_by_class(teachers)
        await store.mark_leavers(
            conn,
            [
                (turn.reader_id, _teacher_id(first_teacher.get(turn.old_class.upper())))
                for turn in plan.leavers
            ],
            year=report.year,
            left_on=today,
        )
        await store.cancel_requests_of(
            conn,
            [turn.reader_id for turn in plan.leavers],
            now_iso=now.isoformat(timespec="seconds"),
            reason=texts.YEAR_TURN_REQUEST_REASON,
        )
        await store.clear_homerooms(conn)
        if lists.entries:
            from bot.reader_import import plan_readers

            imported = plan_readers(lists.entries, await readers.load_readers_by_code(conn))
            await readers.insert_readers(conn, imported.new)
            await readers.update_readers(conn, imported.changed)
        for group in plan.groups:
            if group.new_class is None:
                await store.retire_group(conn, group.chat_id)
            else:
                assert group.grade is not None
                await store.move_group(conn, group.chat_id, group.new_class, group.grade)
        notices = _turn_notices(report, teachers)
        notices += await _librarian_notices(conn, config, report, counts)
        # A turn run from the command line at night reaches nobody's phone before morning.
        later = _quiet_until(now, config)
        report.notices = await outbox.enqueue_many(
            conn, [replace(notice, not_before=later) for notice in notices]
        )
    report.outcome = TurnOutcome.APPLIED
    return report


def _first_teacher_by_class(teachers: Sequence[Teacher]) -> dict[str, Teacher]:
    found: dict[str, Teacher] = {}
    for teacher in teachers:
        found.setdefault(teacher.homeroom_class.upper(), teacher)
    return found


def _teacher_id(teacher: Teacher | None) -> int | None:
    return None if teacher is None else teacher.reader_id


def _counts(report: TurnReport) -> Counter[str]:
    plan = report.plan
    return Counter(
        promoted=len(plan.of(Move.PROMOTED, Move.MOVED)),
        repeated=len(plan.of(Move.REPEATED)),
        left=len(plan.leavers),
    )


def _short(text: str) -> str:
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1] + "…"


def _notice_line(loan: HeldLoan, *, own: bool = False) -> str:
    values = {
        "reader": html.escape(loan.reader_name),
        "title": html.escape(_short(loan.title)),
        "accession": html.escape(loan.accession),
        "due": texts.format_date(loan.due_on),
    }
    return (texts.YEAR_TURN_NOTICE_OWN_LINE if own else texts.YEAR_TURN_NOTICE_LINE).format(
        **values
    )


def _paged(
    key: str, chat_id: int, header: str, lines: list[str], not_before: datetime | None = None
) -> list[NewMessage]:
    return [
        NewMessage(key + (f":{number}" if number > 1 else ""), chat_id, message(page), not_before)
        for number, page in enumerate(pages(header, lines), 1)
    ]


def _quiet_until(now: datetime, config: Config) -> datetime | None:
    """When a push made now may go out: None at once, else the end of the quiet hours."""
    held_until = deliver_at(now, config.reminders)
    return held_until if held_until != now else None


def _turn_notices(report: TurnReport, teachers: Sequence[Teacher]) -> list[NewMessage]:
    """The notices of an applied turn to old homeroom teachers, leavers and class groups."""
    year = report.year
    assert report.deadline is not None
    deadline = texts.format_date(report.deadline)
    found: list[NewMessage] = []
    by_class: dict[str, list[HeldLoan]] = {}
    by_reader: dict[int, list[HeldLoan]] = {}
    for loan in report.leaver_loans:
        by_class.setdefault(loan.class_name.upper(), []).append(loan)
        by_reader.setdefault(loan.reader_id, []).append(loan)
    for teacher in teachers:
        loans = by_class.get(teacher.homeroom_class.upper())
        if not loans or teacher.chat_id is None:
            continue
        header = texts.YEAR_TURN_HOMEROOM_NOTICE.format(
            year=year, class_name=html.escape(loans[0].class_name), deadline=deadline
        )
        found += _paged(
            f"yearturn:{year}:homeroom:{teacher.reader_id}:{teacher.chat_id}",
            teacher.chat_id,
            header,
            [_notice_line(loan) for loan in loans],
        )
    for reader_id, loans in by_reader.items():
        chat_id = loans[0].chat_id
        if chat_id is None:
            continue
        header = texts.YEAR_TURN_LEAVER_NOTICE.format(
            name=html.escape(loans[0].reader_name), deadline=deadline
        )
        found += _paged(
            f"yearturn:{year}:leaver:{reader_id}",
            chat_id,
            header,
            [_notice_line(loan, own=True) for loan in loans],
        )
    for group in report.plan.groups:
        old = html.escape(group.old_class)
        text = (
            texts.YEAR_TURN_GROUP_RETIRED.format(year=year, old=old)
            if group.new_class is None
            else texts.YEAR_TURN_GROUP_MOVED.format(
                year=year, old=old, new=html.escape(group.new_class)
            )
        )
        found.append(
            NewMessage(f"yearturn:{year}:group:{group.chat_id}", group.chat_id, message(text))
        )
    return found


async def _librarian_notices(
    conn: aiosqlite.Connection, config: Config, report: TurnReport, counts: Counter[str]
) -> list[NewMessage]:
    assert report.deadline is not None
    values = {
        "year": report.year,
        "promoted": counts["promoted"],
        "repeated": counts["repeated"],
        "left": counts["left"],
        "newcomers": report.newcomers,
        "count": len(report.leaver_loans),
        "deadline": texts.format_date(report.deadline),
    }
    if report.leaver_loans:
        header = texts.YEAR_TURN_LIBRARIAN_NOTICE.format(**values)
        lines = [_leaver_line(loan) for loan in report.leaver_loans]
    else:
        header, lines = texts.YEAR_TURN_LIBRARIAN_NOTHING.format(**values), []
    found: list[NewMessage] = []
    for chat_id in await accounts.librarian_chats(conn, config.library.librarians):
        found += _paged(f"yearturn:{report.year}:librarian:{chat_id}", chat_id, header, lines)
    return found


def _leaver_line(loan: HeldLoan) -> str:
    return texts.RECALL_LEAVER_LINE.format(
        class_name=html.escape(loan.class_name or "—"),
        reader=html.escape(loan.reader_name),
        accession=html.escape(loan.accession),
        title=html.escape(_short(loan.title)),
    )


# --- what a person reads about a turn: plain text, for the chat (escaped) and the CLI ------


def refusal_text(report: TurnReport) -> str:
    """Say why a year turn did not run (or, for ALREADY, that it changes nothing more)."""
    outcome = report.outcome
    if outcome is TurnOutcome.BAD_YEAR:
        return texts.YEAR_TURN_BAD_YEAR.format(text=report.text)
    if outcome is TurnOutcome.BAD_LISTS:
        return "\n".join([texts.YEAR_TURN_LISTS_REFUSED, *report.problems[:30]])
    if outcome is TurnOutcome.STALE:
        return texts.YEAR_TURN_STALE
    if outcome is TurnOutcome.NO_STUDENTS:
        return texts.YEAR_TURN_NO_STUDENTS
    template = {
        TurnOutcome.ALREADY: texts.YEAR_TURN_ALREADY,
        TurnOutcome.EARLIER: texts.YEAR_TURN_EARLIER,
        TurnOutcome.FUTURE: texts.YEAR_TURN_FUTURE,
        TurnOutcome.PAST: texts.YEAR_TURN_PAST,
    }[outcome]
    return template.format(year=report.year, last=report.last_year, current=report.current_year)


def summary_text(report: TurnReport) -> str:
    """Counts of a previewed or applied turn, short enough for one chat message."""
    plan = report.plan
    title = (
        texts.YEAR_TURN_TITLE_APPLIED
        if report.outcome is TurnOutcome.APPLIED
        else texts.YEAR_TURN_TITLE_PREVIEW
    )
    promoted = plan.of(Move.PROMOTED)
    steps = Counter((grade_of(turn.old_class), grade_of(turn.new_class)) for turn in promoted)
    grades = ", ".join(
        texts.YEAR_TURN_GRADE_STEP.format(old=old, new=new, count=count)
        for (old, new), count in sorted(steps.items(), key=lambda item: str(item[0]))
    )
    lines = [
        title.format(year=report.year),
        texts.YEAR_TURN_STUDENTS.format(count=len(plan.students)),
        texts.YEAR_TURN_PROMOTED.format(
            count=len(promoted), grades=f" ({grades})" if grades else ""
        ),
    ]
    if moved := plan.of(Move.MOVED):
        lines.append(texts.YEAR_TURN_MOVED.format(count=len(moved)))
    if repeated := plan.of(Move.REPEATED):
        lines.append(texts.YEAR_TURN_REPEATED.format(count=len(repeated)))
    lines.append(
        texts.YEAR_TURN_LEFT.format(
            count=len(plan.leavers),
            last=LAST_GRADE,
            final=len(plan.of(Move.LEFT_FINAL)),
            absent=len(plan.of(Move.LEFT_ABSENT)),
        )
    )
    if report.leaver_loans:
        lines.append(
            texts.YEAR_TURN_LEFT_HOLDING.format(
                readers=len({loan.reader_id for loan in report.leaver_loans}),
                loans=len(report.leaver_loans),
                whole_year=sum(1 for loan in report.leaver_loans if loan.whole_year),
            )
        )
    if unreadable := plan.of(Move.UNREADABLE):
        lines.append(texts.YEAR_TURN_UNREADABLE.format(count=len(unreadable)))
    if plan.covered_grades:
        covered = ", ".join(str(grade) for grade in sorted(plan.covered_grades))
        lines.append(texts.YEAR_TURN_COVERED.format(grades=covered))
    if report.newcomers:
        lines.append(texts.YEAR_TURN_NEWCOMERS.format(count=report.newcomers))
    if report.returning:
        lines.append(texts.YEAR_TURN_RETURNING.format(count=report.returning))
    if report.homerooms_listed is None:
        lines.append(texts.YEAR_TURN_HOMEROOM_CLEARED.format(count=report.homerooms_now))
    else:
        lines.append(
            texts.YEAR_TURN_HOMEROOM_LISTED.format(
                count=report.homerooms_now, listed=report.homerooms_listed
            )
        )
    if plan.groups:
        retired = sum(1 for group in plan.groups if group.new_class is None)
        lines.append(
            texts.YEAR_TURN_GROUPS.format(moved=len(plan.groups) - retired, retired=retired)
        )
    if report.requests_to_cancel:
        lines.append(texts.YEAR_TURN_REQUESTS.format(count=report.requests_to_cancel))
    if report.outcome is TurnOutcome.APPLIED and report.notices:
        lines.append(texts.YEAR_TURN_NOTICES)
    return "\n".join(lines)


def _move_line(report: TurnReport, turn: StudentTurn) -> str:
    student = report.students[turn.reader_id]
    return texts.YEAR_TURN_DETAIL_MOVE.format(
        code=student.code, name=student.full_name, old=turn.old_class, new=turn.new_class
    )


def details_text(report: TurnReport) -> str:
    """Every student's move, every leaver and what they hold, every group: for a file."""
    plan = report.plan
    sections: list[tuple[str, list[str]]] = [
        (
            texts.YEAR_TURN_DETAILS_PROMOTED,
            [_move_line(report, turn) for turn in plan.of(Move.PROMOTED)],
        ),
        (texts.YEAR_TURN_DETAILS_MOVED, [_move_line(report, t) for t in plan.of(Move.MOVED)]),
        (
            texts.YEAR_TURN_DETAILS_REPEATED,
            [_move_line(report, turn) for turn in plan.of(Move.REPEATED)],
        ),
    ]
    left = []
    for turn in plan.leavers:
        student = report.students[turn.reader_id]
        why = (
            texts.YEAR_TURN_WHY_FINAL.format(last=LAST_GRADE)
            if turn.move is Move.LEFT_FINAL
            else texts.YEAR_TURN_WHY_ABSENT
        )
        left.append(
            texts.YEAR_TURN_DETAIL_LEFT.format(
                code=student.code, name=student.full_name, old=turn.old_class, why=why
            )
        )
    sections.append((texts.YEAR_TURN_DETAILS_LEFT, left))
    sections.append(
        (
            texts.YEAR_TURN_DETAILS_HOLDING,
            [
                texts.YEAR_TURN_DETAIL_LOAN.format(
                    class_name=loan.class_name,
                    name=loan.reader_name,
                    accession=loan.accession,
                    title=loan.title,
                    due=texts.format_date(loan.due_on),
                    whole_year=texts.YEAR_TURN_WHOLE_YEAR_MARK if loan.whole_year else "",
                )
                for loan in report.leaver_loans
            ],
        )
    )
    sections.append(
        (
            texts.YEAR_TURN_DETAILS_UNREADABLE,
            [
                texts.YEAR_TURN_DETAIL_KEPT.format(
                    code=report.students[turn.reader_id].code,
                    name=report.students[turn.reader_id].full_name,
                    old=turn.old_class,
                )
                for turn in plan.of(Move.UNREADABLE)
            ],
        )
    )
    sections.append(
        (
            texts.YEAR_TURN_DETAILS_GROUPS,
            [
                texts.YEAR_TURN_DETAIL_GROUP_RETIRED.format(old=group.old_class)
                if group.new_class is None
                else texts.YEAR_TURN_DETAIL_GROUP_MOVED.format(
                    old=group.old_class, new=group.new_class
                )
                for group in plan.groups
            ],
        )
    )
    lines = [summary_text(report)]
    for heading, items in sections:
        if items:
            lines += ["", f"{heading} ({len(items)})", *(f"• {item}" for item in items)]
    return "\n".join(lines) + "\n"


# --- the year-end recall ----------------------------------------------------------------


@dataclass(frozen=True)
class RecallReport:
    """What one recall run enqueued (nothing outside the recall's days)."""

    running: bool
    readers: int = 0
    teachers: int = 0
    librarians: int = 0


def _reader_header(year: str, loans: list[HeldLoan], deadline: str) -> str:
    first = loans[0]
    if first.left:
        template = texts.RECALL_READER_LEAVER
    elif first.category == STUDENT:
        template = texts.RECALL_READER_STUDENT
    else:
        template = texts.RECALL_READER_TEACHER
    return template.format(year=year, name=html.escape(first.reader_name), deadline=deadline)


async def run_recall(db: Database, config: Config, now: datetime) -> RecallReport:
    """From the recall's first day to the year's end, ask back the whole-year textbooks and
    the leavers' books: each reader, homeroom teacher and librarian once a school year."""
    calendar = config.calendar
    today = now.date()
    school_year = calendar.school_year_of(today)
    if not recall_running(school_year, config.year.recall_from, today):
        return RecallReport(running=False)
    year = school_year.name
    deadline_day = calendar.year_end_deadline(school_year)
    deadline = texts.format_date(deadline_day)
    not_before = _quiet_until(now, config)
    async with db.transaction() as conn:
        loans = await store.recall_loans(conn, deadline_day)
        wanted: list[tuple[str, str, int, str, list[str]]] = []
        by_reader: dict[int, list[HeldLoan]] = {}
        for loan in loans:
            by_reader.setdefault(loan.reader_id, []).append(loan)
        for reader_id, items in by_reader.items():
            chat_id = items[0].chat_id
            if chat_id is not None:
                wanted.append(
                    (
                        "reader",
                        f"recall:{year}:reader:{reader_id}",
                        chat_id,
                        _reader_header(year, items, deadline),
                        [_notice_line(loan, own=True) for loan in items],
                    )
                )
        wanted += await _recall_teacher_pages(conn, year, deadline, loans)
        wanted += await _recall_librarian_pages(conn, config, year, deadline, loans, by_reader)
        done = await reminder_store.existing_keys(conn, [item[1] for item in wanted])
        new = [item for item in wanted if item[1] not in done]
        await outbox.enqueue_many(
            conn,
            [
                page
                for _, key, chat_id, header, lines in new
                for page in _paged(key, chat_id, header, lines, not_before)
            ],
        )
    kinds = Counter(item[0] for item in new)
    return RecallReport(
        running=True,
        readers=kinds["reader"],
        teachers=kinds["teacher"],
        librarians=kinds["librarian"],
    )


async def _recall_teacher_pages(
    conn: aiosqlite.Connection, year: str, deadline: str, loans: list[HeldLoan]
) -> list[tuple[str, str, int, str, list[str]]]:
    """The class lists for this year's homeroom teachers, the leavers' for their last one."""
    found: list[tuple[str, str, int, str, list[str]]] = []
    by_class: dict[str, list[HeldLoan]] = {}
    by_teacher: dict[int, list[HeldLoan]] = {}
    for loan in loans:
        if loan.left:
            if loan.homeroom_id is not None:
                by_teacher.setdefault(loan.homeroom_id, []).append(loan)
        elif loan.category == STUDENT and loan.class_name:
            by_class.setdefault(loan.class_name.upper(), []).append(loan)
    chats = await reminder_store.homeroom_chats(conn)
    for class_name, items in sorted(by_class.items()):
        header = texts.RECALL_HOMEROOM.format(
            year=year,
            class_name=html.escape(items[0].class_name),
            deadline=deadline,
            count=len(items),
        )
        lines = [_notice_line(loan) for loan in items]
        for chat_id in chats.get(class_name, []):
            found.append(
                (
                    "teacher",
                    f"recall:{year}:homeroom:{class_name}:{chat_id}",
                    chat_id,
                    header,
                    lines,
                )
            )
    teachers = await store.teachers_by_id(conn, sorted(by_teacher))
    for teacher_id, items in sorted(by_teacher.items()):
        teacher = teachers.get(teacher_id)
        if teacher is None or teacher.chat_id is None:
            continue
        header = texts.RECALL_HOMEROOM_LEAVERS.format(
            year=year, deadline=deadline, count=len(items)
        )
        found.append(
            (
                "teacher",
                f"recall:{year}:leavers:{teacher_id}:{teacher.chat_id}",
                teacher.chat_id,
                header,
                [_notice_line(loan) for loan in items],
            )
        )
    return found


async def _recall_librarian_pages(
    conn: aiosqlite.Connection,
    config: Config,
    year: str,
    deadline: str,
    loans: list[HeldLoan],
    by_reader: dict[int, list[HeldLoan]],
) -> list[tuple[str, str, int, str, list[str]]]:
    leavers = [loan for loan in loans if loan.left]
    header = texts.RECALL_LIBRARIAN.format(
        year=year,
        deadline=deadline,
        whole_year=sum(1 for loan in loans if loan.whole_year and not loan.left),
        readers=sum(1 for items in by_reader.values() if items[0].chat_id is not None),
        leaver_loans=len(leavers),
        colon=":" if leavers else ".",
    )
    lines = [_leaver_line(loan) for loan in leavers]
    return [
        ("librarian", f"recall:{year}:librarian:{chat_id}", chat_id, header, lines)
        for chat_id in await accounts.librarian_chats(conn, config.library.librarians)
    ]


async def leavers_recall_lines(db: Database) -> list[str]:
    """The /thuhoi section of books leavers still hold (empty when none)."""
    loans = await store.leavers_loans(db)
    if not loans:
        return []
    return [
        texts.RECALL_LEAVERS_HEADER.format(count=len(loans)),
        *(_leaver_line(loan) for loan in loans),
    ]
