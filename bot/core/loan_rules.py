"""Loan rules: who may borrow what, for how long, renewals, late days, holds, year-end recall."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.calendar import SchoolCalendar
from bot.core.textfold import normalize

STUDENT = "student"
TEACHER = "teacher"
STAFF = "staff"
CATEGORIES = (STUDENT, TEACHER, STAFF)

KIND_SGK = "SGK"
KIND_SGV = "SGV"
KIND_STK = "STK"
KIND_STORY = "Truyện"
KIND_PERIODICAL = "Báo, tạp chí"
KIND_PROFESSIONAL = "Nghiệp vụ"
KIND_OTHER = "Khác"
KINDS = (KIND_SGK, KIND_SGV, KIND_STK, KIND_STORY, KIND_PERIODICAL, KIND_PROFESSIONAL, KIND_OTHER)


class WholeYear(StrEnum):
    """When a loan of a kind runs for the whole school year instead of a period."""

    NEVER = "never"
    ALWAYS = "always"
    DISADVANTAGED = "disadvantaged"


class Code(StrEnum):
    """What a decision says; the handler turns it into a sentence."""

    OK = "ok"
    LEFT_SCHOOL = "left_school"
    READER_INACTIVE = "reader_inactive"
    NOT_LENDABLE = "not_lendable"
    OVERDUE = "overdue"
    KIND_LIMIT_REACHED = "kind_limit_reached"
    LIMIT_REACHED = "limit_reached"
    WHOLE_YEAR = "whole_year"
    NO_RENEWALS_LEFT = "no_renewals_left"
    SOMEONE_WAITING = "someone_waiting"
    YEAR_END = "year_end"


@dataclass(frozen=True)
class LoanRule:
    """How one category of reader borrows one kind of book.

    period_days and renewal_days count library (open) days. max_open_loans caps the
    reader's open loans of this kind; None leaves only the category's overall cap.
    """

    lendable: bool
    period_days: int
    renewals_allowed: int
    renewal_days: int
    max_open_loans: int | None = None
    whole_year: WholeYear = WholeYear.NEVER


@dataclass(frozen=True)
class CategoryRules:
    """The rules of one reader category: an overall cap and one rule per book kind.

    Whole-year loans (textbooks for the year) do not count against max_open_loans,
    only against their kind's own cap, so a full set of textbooks never blocks a reader.
    """

    max_open_loans: int
    rules: Mapping[str, LoanRule]


@dataclass(frozen=True)
class LoanPolicy:
    """Every loan rule of the library.

    block_when_overdue_days: a reader with a loan more than this many library days
    overdue may not borrow. renew_when_overdue_days: a loan more than this many days
    overdue may not be renewed. hold_days: library days a copy waits for pickup.
    end_loans_at_year_end: no loan runs past the year-end deadline (books come back
    for the inventory before the summer).
    """

    categories: Mapping[str, CategoryRules]
    block_when_overdue_days: int = 3
    renew_when_overdue_days: int = 0
    hold_days: int = 2
    end_loans_at_year_end: bool = True

    def rule_for(self, category: str, kind: str) -> LoanRule:
        """Return the rule for a reader category and a book kind (unknown kinds: "Khác")."""
        return self._category(category).rules[canonical_kind(kind)]

    def max_open_loans(self, category: str) -> int:
        """Return the overall cap on a category's open loans (whole-year loans excluded)."""
        return self._category(category).max_open_loans

    def _category(self, category: str) -> CategoryRules:
        try:
            return self.categories[category]
        except KeyError:
            raise ValueError(f"không biết loại bạn đọc '{category}'") from None


def canonical_kind(kind: str) -> str:
    """Return kind as one of KINDS; a title with no or an unknown kind counts as "Khác"."""
    kind = normalize(kind).strip()
    return kind if kind in KINDS else KIND_OTHER


def _category_rules(
    *,
    max_open_loans: int,
    period_days: int,
    renewals_allowed: int,
    renewal_days: int,
    not_lendable: Sequence[str] = (),
    whole_year: Mapping[str, WholeYear] | None = None,
) -> CategoryRules:
    whole_year = whole_year or {}
    return CategoryRules(
        max_open_loans=max_open_loans,
        rules={
            kind: LoanRule(
                lendable=kind not in not_lendable,
                period_days=period_days,
                renewals_allowed=renewals_allowed,
                renewal_days=renewal_days,
                whole_year=whole_year.get(kind, WholeYear.NEVER),
            )
            for kind in KINDS
        },
    )


# Students: about a week, as the school's plan has it; magazines are read in the room and
# teachers' books stay with teachers; textbooks go for the year to disadvantaged students.
# Teachers keep their textbooks and teacher's books for the year they teach.
DEFAULT_POLICY = LoanPolicy(
    categories={
        STUDENT: _category_rules(
            max_open_loans=3,
            period_days=7,
            renewals_allowed=1,
            renewal_days=7,
            not_lendable=(KIND_PERIODICAL, KIND_SGV, KIND_PROFESSIONAL),
            whole_year={KIND_SGK: WholeYear.DISADVANTAGED},
        ),
        TEACHER: _category_rules(
            max_open_loans=10,
            period_days=14,
            renewals_allowed=2,
            renewal_days=14,
            whole_year={KIND_SGK: WholeYear.ALWAYS, KIND_SGV: WholeYear.ALWAYS},
        ),
        STAFF: _category_rules(
            max_open_loans=5, period_days=14, renewals_allowed=1, renewal_days=14
        ),
    }
)


@dataclass(frozen=True)
class ReaderFacts:
    """What the rules need to know about a reader (left: they have left the school)."""

    category: str
    disadvantaged: bool = False
    active: bool = True
    class_name: str = ""
    left: bool = False


@dataclass(frozen=True)
class OpenLoanFacts:
    """What the rules need to know about an open loan (or a copy held for the reader)."""

    loan_id: int
    category: str
    kind: str
    loaned_on: date
    due_on: date
    renewals: int = 0
    whole_year: bool = False


@dataclass(frozen=True)
class LoanTerms:
    """The terms of a new loan: its due date, and whether it runs for the whole year.

    shortened: the usual period would have run past the year-end limit, so the due date
    was brought back to it.
    """

    due_on: date
    whole_year: bool
    shortened: bool = False


@dataclass(frozen=True)
class Decision:
    """The answer of a check: a code and the numbers its message needs.

    OK (borrow): due_on, whole_year. OK (renew): due_on is the new due date, count the
    renewals used after this one, limit those allowed. OVERDUE: loan_id, overdue_days and
    limit (the tolerated days). KIND_LIMIT_REACHED / LIMIT_REACHED: count, limit.
    NO_RENEWALS_LEFT: count, limit. YEAR_END: due_on, the date no renewal can go beyond.
    """

    code: Code
    due_on: date | None = None
    whole_year: bool = False
    count: int | None = None
    limit: int | None = None
    overdue_days: int | None = None
    loan_id: int | None = None

    @property
    def allowed(self) -> bool:
        """Whether the action may go ahead."""
        return self.code is Code.OK


def _year_end_limit(calendar: SchoolCalendar, day: date) -> date | None:
    """The latest due date for a loan made on day, or None once the year has no open day left."""
    year = calendar.school_year_of(day)
    deadline = calendar.year_end_deadline(year)
    if day < deadline:
        return deadline
    last = calendar.last_open_day(year)
    return last if day < last else None


def loan_terms(
    policy: LoanPolicy,
    calendar: SchoolCalendar,
    reader: ReaderFacts,
    kind: str,
    loan_day: date,
) -> LoanTerms:
    """Return the terms of a loan made on loan_day; raise ValueError if not lendable."""
    rule = policy.rule_for(reader.category, kind)
    if not rule.lendable:
        raise ValueError(f"loại sách '{kind}' không cho loại bạn đọc '{reader.category}' mượn")
    whole_year = rule.whole_year is WholeYear.ALWAYS or (
        rule.whole_year is WholeYear.DISADVANTAGED and reader.disadvantaged
    )
    if whole_year:
        deadline = calendar.year_end_deadline(calendar.school_year_of(loan_day))
        # Lent on or after the deadline, a "year" loan is an ordinary loan.
        if loan_day < deadline:
            return LoanTerms(due_on=deadline, whole_year=True)
    due = calendar.add_library_days(loan_day, rule.period_days)
    limit = _year_end_limit(calendar, loan_day) if policy.end_loans_at_year_end else None
    if limit is not None and due > limit:
        return LoanTerms(due_on=limit, whole_year=False, shortened=True)
    return LoanTerms(due_on=due, whole_year=False)


def due_date(
    policy: LoanPolicy,
    calendar: SchoolCalendar,
    reader: ReaderFacts,
    kind: str,
    loan_day: date,
) -> date:
    """Return the due date of a loan made on loan_day: always an open day after it."""
    return loan_terms(policy, calendar, reader, kind, loan_day).due_on


def late_days(calendar: SchoolCalendar, due: date, returned_on: date) -> int:
    """Return how many library days late a return is (0 when on time)."""
    return calendar.library_days_between(due, returned_on)


def check_can_borrow(
    policy: LoanPolicy,
    reader: ReaderFacts,
    kind: str,
    today: date,
    open_loans: Sequence[OpenLoanFacts],
    calendar: SchoolCalendar,
) -> Decision:
    """Decide whether reader may borrow a book of kind today, given their open loans.

    A reader who has left the school borrows, holds and queues for nothing more.
    """
    if reader.left:
        return Decision(Code.LEFT_SCHOOL)
    if not reader.active:
        return Decision(Code.READER_INACTIVE)
    rule = policy.rule_for(reader.category, kind)
    if not rule.lendable:
        return Decision(Code.NOT_LENDABLE)
    if open_loans:
        worst_days, worst = max(
            ((late_days(calendar, loan.due_on, today), loan) for loan in open_loans),
            key=lambda pair: pair[0],
        )
        if worst_days > policy.block_when_overdue_days:
            return Decision(
                Code.OVERDUE,
                loan_id=worst.loan_id,
                overdue_days=worst_days,
                limit=policy.block_when_overdue_days,
            )
    kind = canonical_kind(kind)
    if rule.max_open_loans is not None:
        same_kind = sum(1 for loan in open_loans if canonical_kind(loan.kind) == kind)
        if same_kind >= rule.max_open_loans:
            return Decision(Code.KIND_LIMIT_REACHED, count=same_kind, limit=rule.max_open_loans)
    terms = loan_terms(policy, calendar, reader, kind, today)
    if not terms.whole_year:
        counted = sum(1 for loan in open_loans if not loan.whole_year)
        limit = policy.max_open_loans(reader.category)
        if counted >= limit:
            return Decision(Code.LIMIT_REACHED, count=counted, limit=limit)
    return Decision(Code.OK, due_on=terms.due_on, whole_year=terms.whole_year)


def check_can_renew(
    policy: LoanPolicy,
    calendar: SchoolCalendar,
    loan: OpenLoanFacts,
    today: date,
    someone_waiting: bool,
) -> Decision:
    """Decide whether loan may be renewed today and, if so, its new due date."""
    rule = policy.rule_for(loan.category, loan.kind)
    if not rule.lendable:
        return Decision(Code.NOT_LENDABLE)
    if loan.whole_year:
        return Decision(Code.WHOLE_YEAR, due_on=loan.due_on)
    overdue = late_days(calendar, loan.due_on, today)
    if overdue > policy.renew_when_overdue_days:
        return Decision(
            Code.OVERDUE,
            loan_id=loan.loan_id,
            overdue_days=overdue,
            limit=policy.renew_when_overdue_days,
        )
    if loan.renewals >= rule.renewals_allowed:
        return Decision(Code.NO_RENEWALS_LEFT, count=loan.renewals, limit=rule.renewals_allowed)
    if someone_waiting:
        return Decision(Code.SOMEONE_WAITING)
    new_due = calendar.add_library_days(max(loan.due_on, today), rule.renewal_days)
    limit = _year_end_limit(calendar, today) if policy.end_loans_at_year_end else None
    if limit is not None and new_due > limit:
        if limit <= loan.due_on:
            return Decision(Code.YEAR_END, due_on=limit)
        new_due = limit
    return Decision(Code.OK, due_on=new_due, count=loan.renewals + 1, limit=rule.renewals_allowed)


def hold_until(calendar: SchoolCalendar, approved_on: date, hold_days: int) -> date:
    """Return the last day a copy approved on approved_on waits for pickup."""
    return calendar.add_library_days(approved_on, hold_days)


@dataclass(frozen=True)
class RecallItem:
    """A whole-year loan to bring back: library days left before it is due, or days late."""

    loan_id: int
    due_on: date
    days_left: int
    overdue_days: int


@dataclass(frozen=True)
class RecallList:
    """The whole-year loans that must come back by this school year's deadline."""

    deadline: date
    days_left: int
    items: tuple[RecallItem, ...]


def recall_list(
    calendar: SchoolCalendar, loans: Sequence[OpenLoanFacts], today: date
) -> RecallList:
    """List the open whole-year loans due by this year's deadline, most urgent first."""
    deadline = calendar.year_end_deadline(calendar.school_year_of(today))
    items = [
        RecallItem(
            loan_id=loan.loan_id,
            due_on=loan.due_on,
            days_left=calendar.library_days_between(today, loan.due_on),
            overdue_days=late_days(calendar, loan.due_on, today),
        )
        for loan in loans
        if loan.whole_year and loan.due_on <= deadline
    ]
    items.sort(key=lambda item: (item.due_on, item.loan_id))
    return RecallList(
        deadline=deadline,
        days_left=calendar.library_days_between(today, deadline),
        items=tuple(items),
    )
