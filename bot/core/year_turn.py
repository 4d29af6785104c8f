"""The school year turns: who moves up a grade, who repeats, who leaves, which groups retire."""

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.calendar import SchoolYear
from bot.core.class_list import normalize_class

# A lower-secondary school (THCS): its students leave after grade 9.
LAST_GRADE = 9
_GRADE = re.compile(r"^(\d{1,2})(.*)$")


class Move(StrEnum):
    """What the year turn does to one student."""

    PROMOTED = "promoted"
    MOVED = "moved"
    REPEATED = "repeated"
    LEFT_FINAL = "left_final"
    LEFT_ABSENT = "left_absent"
    UNREADABLE = "unreadable"


LEAVING = frozenset({Move.LEFT_FINAL, Move.LEFT_ABSENT})


class YearCheck(StrEnum):
    """Whether a year turn may run for a school year, as of today."""

    OK = "ok"
    ALREADY = "already"
    EARLIER = "earlier"
    FUTURE = "future"
    PAST = "past"


def grade_of(class_name: str) -> int | None:
    """Return the grade of a class ("6A1" → 6, "7/2" → 7, "8 A" → 8), None if unreadable."""
    found = normalize_class(class_name)
    match = _GRADE.match(found) if found else None
    return int(match[1]) if match else None


def promoted_class(class_name: str) -> str | None:
    """Return the class a class becomes next year (6A → 7A, 7/2 → 8/2, "8 a" → 9A).

    None for a last-grade class (its students leave) or a name that is not a class.
    """
    found = normalize_class(class_name)
    match = _GRADE.match(found) if found else None
    if match is None or int(match[1]) >= LAST_GRADE:
        return None
    return f"{int(match[1]) + 1}{match[2]}"


@dataclass(frozen=True)
class StudentTurn:
    """One student's move: their class now and next year (the same for leavers)."""

    reader_id: int
    old_class: str
    new_class: str
    move: Move


@dataclass(frozen=True)
class GroupTurn:
    """A class group's registration next year: its new class, or None when it retires."""

    chat_id: int
    old_class: str
    new_class: str | None

    @property
    def grade(self) -> int | None:
        """The new class's grade (None when the group retires)."""
        return grade_of(self.new_class) if self.new_class else None


@dataclass(frozen=True)
class TurnPlan:
    """Every student's move and every class group's fate for one year turn.

    covered_grades: the grades the new class lists hold (empty without lists); a student
    whose next grade is covered but who is on no list leaves.
    """

    students: tuple[StudentTurn, ...]
    groups: tuple[GroupTurn, ...] = ()
    covered_grades: frozenset[int] = frozenset()

    def of(self, *moves: Move) -> list[StudentTurn]:
        """The students with one of these moves, in the plan's order."""
        return [turn for turn in self.students if turn.move in moves]

    @property
    def leavers(self) -> list[StudentTurn]:
        return self.of(*LEAVING)

    @property
    def staying(self) -> list[StudentTurn]:
        return [turn for turn in self.students if turn.move not in LEAVING]

    def classes_after(self, newcomer_classes: Iterable[str] = ()) -> frozenset[str]:
        """The classes (upper case) that have students once the turn is applied."""
        names = {turn.new_class for turn in self.staying} | set(newcomer_classes)
        return frozenset(name.upper() for name in names if name)

    def digest(self, year: str) -> str:
        """A short fingerprint of the plan: a confirmation applies only the plan it saw."""
        parts = [year]
        parts += [f"{t.reader_id}:{t.new_class}:{t.move}" for t in self.students]
        parts += [f"g{g.chat_id}:{g.new_class}" for g in self.groups]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:10]


def _listed_move(old_class: str, new_class: str) -> Move:
    if grade_of(new_class) == grade_of(old_class):
        return Move.REPEATED
    default = promoted_class(old_class)
    if default is not None and default.upper() == new_class.upper():
        return Move.PROMOTED
    return Move.MOVED


def plan_students(
    students: Sequence[tuple[int, str]], listed: Mapping[int, str] | None = None
) -> tuple[tuple[StudentTurn, ...], frozenset[int]]:
    """Decide each current student's move: (reader id, class now) → their StudentTurn.

    listed: the class each student has on the new class lists, when lists are given. A
    listed student goes where the list says (the same grade: repeated). Otherwise a student
    moves up one grade keeping the class letter; a last-grade student leaves, and so does
    one whose next grade the lists cover but who is on none of them.
    """
    covered = frozenset(
        grade for grade in (grade_of(name) for name in (listed or {}).values()) if grade
    )
    turns = []
    for reader_id, old_class in students:
        if listed is not None and reader_id in listed:
            new_class = listed[reader_id]
            turns.append(
                StudentTurn(reader_id, old_class, new_class, _listed_move(old_class, new_class))
            )
            continue
        grade = grade_of(old_class)
        default = promoted_class(old_class)
        if grade is None:
            move, new_class = Move.UNREADABLE, old_class
        elif default is None:
            move, new_class = Move.LEFT_FINAL, old_class
        elif listed is not None and grade + 1 in covered:
            move, new_class = Move.LEFT_ABSENT, old_class
        else:
            move, new_class = Move.PROMOTED, default
        turns.append(StudentTurn(reader_id, old_class, new_class, move))
    return tuple(turns), covered


def plan_groups(
    groups: Sequence[tuple[int, str]], classes_after: frozenset[str]
) -> tuple[GroupTurn, ...]:
    """Move each class group (chat id, class) up with its class; retire it if none is left.

    A class group is its cohort's chat, so it follows the class up a grade; a last-grade
    group, or one whose next class has no student, retires.
    """
    turns = []
    for chat_id, old_class in groups:
        new_class = promoted_class(old_class)
        if new_class is not None and new_class.upper() not in classes_after:
            new_class = None
        turns.append(GroupTurn(chat_id, old_class, new_class))
    return tuple(turns)


def plan_year_turn(
    students: Sequence[tuple[int, str]],
    groups: Sequence[tuple[int, str]] = (),
    *,
    listed: Mapping[int, str] | None = None,
    newcomer_classes: Iterable[str] = (),
) -> TurnPlan:
    """Plan a whole year turn: students (reader id, class), class groups (chat id, class)."""
    turns, covered = plan_students(students, listed)
    plan = TurnPlan(turns, covered_grades=covered)
    groups_turn = plan_groups(groups, plan.classes_after(newcomer_classes))
    return TurnPlan(turns, groups_turn, covered)


def check_year(start_year: int, current: SchoolYear, last_applied: int | None) -> YearCheck:
    """Say whether the turn into the school year starting in start_year may run now.

    Only the current school year (a summer day belongs to the coming one) may be turned
    into, once, and never one before a year already turned into.
    """
    if last_applied is not None and start_year == last_applied:
        return YearCheck.ALREADY
    if last_applied is not None and start_year < last_applied:
        return YearCheck.EARLIER
    if start_year > current.start.year:
        return YearCheck.FUTURE
    if start_year < current.start.year:
        return YearCheck.PAST
    return YearCheck.OK


def recall_start(year: SchoolYear, recall_from: tuple[int, int]) -> date:
    """The day the year-end recall of a school year starts: recall_from (day, month) in its
    second calendar year, never after the year's last day."""
    day, month = recall_from
    return min(date(year.end.year, month, day), year.end)


def recall_running(year: SchoolYear, recall_from: tuple[int, int], today: date) -> bool:
    """Whether today lies between the recall's start and the end of the school year."""
    return recall_start(year, recall_from) <= today <= year.end
