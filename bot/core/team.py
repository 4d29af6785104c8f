"""Rules of the collaborator team: the monthly meeting, its notices, agenda and clean-up roster.

The team (Tổ cộng tác viên thư viện) meets at the end of every month to review the month and
share out the next month's tasks of the library's plan, and keeps the library tidy every
Friday, one or more members at a time, in turn.
"""

import calendar as months
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import IntEnum, StrEnum
from typing import Any, NoReturn

from bot.core.calendar import FRIDAY, WEEKDAY_NAMES, SchoolCalendar
from bot.core.policy_config import WEEKDAY_ALIASES
from bot.core.textfold import fold, normalize

ONE_DAY = timedelta(days=1)
LAST = -1
# With the header and the place, a notice stays within Telegram's 4096.
AGENDA_LIMIT = 3000
PLACE_LIMIT = 200
# Changing a meeting's time to a day further back than this means next year's day and month.
YEAR_GUESS_DAYS = 183


@dataclass(frozen=True)
class TeamSettings:
    """When the team meets and cleans, read from the [team] table.

    meeting_week: 1 to 4 for the first to fourth meeting_weekday of the month, LAST (-1) for
    the last one. Notices go notice_days_before days ahead (0: none) and on the meeting's
    morning, both at notice_time; the clean-up roster goes out at notice_time the day before
    each clean-up day, naming cleanup_per_week members.
    """

    meeting_weekday: int = FRIDAY
    meeting_week: int = LAST
    meeting_time: time = time(15, 30)
    meeting_place: str = "Phòng thư viện"
    notice_days_before: int = 3
    notice_time: time = time(7, 0)
    cleanup_weekday: int = FRIDAY
    cleanup_per_week: int = 1


DEFAULT_SETTINGS = TeamSettings()


# --- the month's tasks, from the library's yearly plan ---------------------------------------

CLEANUP_TASK = "Vệ sinh, sắp xếp lại thư viện vào thứ Sáu hằng tuần."

_START_OF_YEAR = (
    "Lập Tổ cộng tác viên thư viện: ban giám hiệu, các đồng chí tổ trưởng và mỗi lớp"
    " hai học sinh.",
    "Sắp xếp, trang trí lại phòng thư viện gọn gàng, thoáng mát; vệ sinh thật sạch sẽ"
    " khi đón học sinh đến trường.",
    "Phổ biến nội quy thư viện cho học sinh khối 6.",
    "Viết bài, giới thiệu sách trong buổi chào cờ đầu tiên của năm học mới.",
    "Tuyên truyền, giới thiệu tài liệu “Học tập suốt đời” và “Quốc khánh 2/9”.",
)
_SUMMER = ("Phục vụ sách cho học sinh học hè và giáo viên dạy học.",)

MONTH_TASKS: Mapping[int, tuple[str, ...]] = {
    8: _START_OF_YEAR,
    9: _START_OF_YEAR,
    10: (
        CLEANUP_TASK,
        "Xây dựng giá sách nhỏ tại lớp học với phong trào “Góp một cuốn sách nhỏ,"
        " đọc ngàn cuốn sách hay”.",
        "Viết bài, giới thiệu sách chủ đề “Chào mừng ngày Phụ nữ Việt Nam 20/10”,"
        " tuyên truyền dưới cờ và trong giờ sinh hoạt lớp.",
        "Tổ chức tuần lễ “Học tập suốt đời”: trưng bày, giới thiệu sách tại phòng thư viện.",
    ),
    11: (
        CLEANUP_TASK,
        "Viết bài, giới thiệu sách chủ đề “Ngày Nhà giáo Việt Nam 20/11”"
        " (cuốn “Gương nhà giáo Thủ đô”), tuyên truyền dưới cờ.",
        "Hoàn thiện hồ sơ, sổ sách; tự kiểm tra thư viện trường học.",
    ),
    12: (
        CLEANUP_TASK,
        "Viết bài, giới thiệu sách chủ đề “Thành lập Quân đội nhân dân Việt Nam 22/12”,"
        " tuyên truyền dưới cờ.",
        "Trưng bày triển lãm sách mới tại phòng thư viện.",
        "Xây dựng tủ sách Bác Hồ.",
        "Sơ kết phong trào đọc sách, giới thiệu sách, điểm sách học kỳ I.",
    ),
    1: (
        CLEANUP_TASK,
        "Sưu tầm, viết bài, giới thiệu sách chủ đề “Mừng Đảng, mừng xuân mới”"
        " trong các buổi chào cờ.",
        "Phối hợp với giáo viên chủ nhiệm kiểm tra tình hình sử dụng sách giáo khoa của các lớp.",
        "Tự kiểm tra thư viện; rà soát sách báo để bổ sung sách phục vụ học kỳ II.",
    ),
    2: (
        CLEANUP_TASK,
        "Viết bài, giới thiệu sách chủ đề “Mừng năm mới, chào mừng ngày thành lập"
        " Đảng Cộng sản Việt Nam 3/2”.",
        "Trưng bày, giới thiệu sách về Đảng, Nhà nước.",
        "Lấy ý kiến giáo viên, học sinh về nhu cầu sách để đăng kí mua bổ sung đợt 2.",
    ),
    3: (
        CLEANUP_TASK,
        "Viết bài, giới thiệu sách chủ đề “Ngày Quốc tế Phụ nữ 8/3” và “Ngày thành lập"
        " Đoàn TNCS Hồ Chí Minh 26/3”.",
        "Nhập sách mới vào thư viện.",
        "Lên kế hoạch tổ chức Ngày sách Việt Nam 21/4 và Ngày sách và Bản quyền thế giới 23/4.",
    ),
    4: (
        "Vệ sinh, dọn dẹp, sắp xếp tài liệu thư viện vào thứ Sáu hằng tuần.",
        "Viết bài, giới thiệu sách chủ đề “Giải phóng miền Nam, thống nhất đất nước 30/4”"
        " vào buổi chào cờ đầu tuần.",
        "Hưởng ứng Ngày sách Việt Nam 21/4, Ngày sách và Bản quyền thế giới 23/4: văn nghệ"
        " chào mừng, trưng bày, giới thiệu sách, phát động quyên góp sách.",
        "Giới thiệu sách tham khảo, tài liệu ôn thi, hướng nghiệp cho học sinh lớp 9.",
    ),
    5: (
        CLEANUP_TASK,
        "Viết bài, giới thiệu sách chủ đề “Mừng ngày sinh nhật Bác 19/5” trong giờ chào cờ.",
        "Thu hồi sách cho mượn; tham gia kiểm kê thư viện cuối năm học.",
        "Tổng kết công tác thư viện và hoạt động của tổ trong năm học.",
    ),
    6: _SUMMER,
    7: _SUMMER,
}


def following_month(year: int, month: int) -> tuple[int, int]:
    """The (year, month) after this one."""
    return (year + 1, 1) if month == 12 else (year, month + 1)


def previous_month(year: int, month: int) -> tuple[int, int]:
    """The (year, month) before this one."""
    return (year - 1, 12) if month == 1 else (year, month - 1)


def default_agenda(month: int) -> str:
    """The end-of-month meeting's agenda: review this month, share out the next one's tasks."""
    coming = following_month(2000, month)[1]
    lines = [
        f"1. Nhận xét, đánh giá hoạt động của thư viện và của tổ trong tháng {month}.",
        f"2. Bàn bạc, phân công công việc tháng {coming}:",
        *(f"- {task}" for task in MONTH_TASKS[coming]),
        "3. Ý kiến của các thành viên.",
    ]
    return "\n".join(lines)


def telegram_length(text: str) -> int:
    """The length Telegram counts against its limits: UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def check_agenda(text: str) -> str | None:
    """Return the agenda as it will be stored (NFC, trimmed), or None when empty or too long."""
    agenda = normalize(text).strip()
    if not agenda or telegram_length(agenda) > AGENDA_LIMIT:
        return None
    return agenda


# --- the meeting day and its notices -----------------------------------------------------------


def month_key(year: int, month: int) -> str:
    """The text that names a month in the database, e.g. "2026-11"."""
    return f"{year:04d}-{month:02d}"


def rule_day(year: int, month: int, settings: TeamSettings) -> date:
    """The day the rule names before closed days are considered (e.g. the last Friday)."""
    length = months.monthrange(year, month)[1]
    if settings.meeting_week == LAST:
        last = date(year, month, length)
        return last - timedelta(days=(last.weekday() - settings.meeting_weekday) % 7)
    first = date(year, month, 1)
    offset = (settings.meeting_weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (settings.meeting_week - 1))


def meeting_day(
    year: int, month: int, settings: TeamSettings, calendar: SchoolCalendar
) -> date | None:
    """The meeting day of a month: the rule's day, or the open day before it in the same month.

    When the month has no open day before it (a first-Friday rule on 01/01), the open day
    after it in the same month; None when the library is closed all month (summer).
    """
    rule = rule_day(year, month, settings)
    day = rule
    while day.month == month:
        if calendar.is_open(day):
            return day
        day -= ONE_DAY
    day = rule + ONE_DAY
    while day.month == month:
        if calendar.is_open(day):
            return day
        day += ONE_DAY
    return None


class Step(IntEnum):
    """What goes out about a meeting, in order: the early notice, the morning one, the roll."""

    BEFORE = 1
    MORNING = 2
    START = 3


STEP_NAMES = {Step.BEFORE: "before", Step.MORNING: "morning", Step.START: "start"}


def step_token(step: Step, revision: int) -> str:
    """The step's part of an outbox key; a meeting moved to another time starts new steps."""
    name = STEP_NAMES[step]
    return name if revision == 0 else f"{name}{revision}"


def step_moments(start: datetime, settings: TeamSettings) -> dict[Step, datetime]:
    """When each step of a meeting starting at start is due (a zone-aware datetime)."""
    morning_time = min(settings.notice_time, start.time())
    moments = {
        Step.MORNING: start.replace(hour=morning_time.hour, minute=morning_time.minute),
        Step.START: start,
    }
    if settings.notice_days_before > 0:
        early = start.date() - timedelta(days=settings.notice_days_before)
        moments[Step.BEFORE] = datetime.combine(early, settings.notice_time, start.tzinfo)
    return moments


def due_step(start: datetime, settings: TeamSettings, now: datetime) -> Step | None:
    """The step due now: the latest one reached, while it still makes sense to send it.

    The roll call goes to the librarian until the end of the meeting day; a notice that was
    missed (the bot was down) gives way to the next one rather than going out late.
    """
    if now >= start:
        return Step.START if now.date() == start.date() else None
    reached = [step for step, moment in step_moments(start, settings).items() if moment <= now]
    return max(reached) if reached else None


# --- changing the meeting's time ---------------------------------------------------------------


class MoveProblem(StrEnum):
    """Why a new meeting time typed by the librarian is refused."""

    FORMAT = "format"
    DATE = "date"
    PAST = "past"
    FAR = "far"


_NEW_TIME = re.compile(
    r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?\s+(\d{1,2})\s*(?::|h|g|gio)\s*(\d{2})?"
)


def parse_new_time(text: str, now: datetime) -> datetime | MoveProblem:
    """Read "dd/mm hh:mm" (also "27/11/2026 15h30", "27/11 8h") as the next such moment.

    Without a year, the day and month are taken in the current year, or in the next one when
    that puts them a short while ahead instead of months back.
    """
    match = _NEW_TIME.fullmatch(fold(text).strip())
    if match is None:
        return MoveProblem.FORMAT
    day, month, year, hour = (int(part) if part else 0 for part in match.groups()[:4])
    minute = int(match[5] or 0)
    if hour > 23 or minute > 59:
        return MoveProblem.DATE

    def at(in_year: int) -> datetime | None:
        try:
            return datetime(in_year, month, day, hour, minute, tzinfo=now.tzinfo)
        except ValueError:
            return None

    moment = at(year or now.year)
    if moment is None:
        return MoveProblem.DATE
    if not year and moment <= now:
        later = at(now.year + 1)
        if later is not None and later - now <= timedelta(days=YEAR_GUESS_DAYS):
            moment = later
    if moment <= now:
        return MoveProblem.PAST
    if moment - now > timedelta(days=366):
        return MoveProblem.FAR
    return moment


# --- the clean-up roster -----------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A member of the team: their account, name, and private chat (None when unreachable)."""

    account_id: int
    name: str
    chat_id: int | None = None


RotationKey = tuple[str, str, int]


def rotation_key(account_id: int, name: str) -> RotationKey:
    """A member's place in the rotation: by given name, then full name, as school lists are."""
    words = fold(name).split()
    return (words[-1] if words else "", " ".join(words), account_id)


def _key(member: Member) -> RotationKey:
    return rotation_key(member.account_id, member.name)


def next_on_duty(members: Sequence[Member], after: RotationKey | None, count: int) -> list[Member]:
    """The count members (or all, when fewer) who follow after in the rotation order.

    Following the last one on duty, not counting weeks, keeps the turns fair when weeks are
    skipped, and a member who joins or leaves only takes or frees their own place.
    """
    ordered = sorted(members, key=_key)
    if not ordered:
        return []
    start = 0
    if after is not None:
        start = next((i for i, member in enumerate(ordered) if _key(member) > after), 0)
    return [ordered[(start + i) % len(ordered)] for i in range(min(count, len(ordered)))]


def cleanup_days(start: date, weeks: int, settings: TeamSettings) -> list[date]:
    """The clean-up weekday of each of the weeks from start on (start itself if it is one)."""
    first = start + timedelta(days=(settings.cleanup_weekday - start.weekday()) % 7)
    return [first + timedelta(weeks=week) for week in range(weeks)]


@dataclass(frozen=True)
class RosterWeek:
    """One clean-up day: who is on duty, or why nobody is (the library is closed)."""

    day: date
    on_duty: tuple[Member, ...] = ()
    closed_reason: str | None = None


def plan_roster(
    days: Iterable[date],
    calendar: SchoolCalendar,
    members: Sequence[Member],
    after: RotationKey | None,
    per_week: int,
    recorded: Mapping[date, Sequence[Member]],
) -> list[RosterWeek]:
    """Who cleans on each day: what was already posted stays, the rest follows the rotation.

    after is the place of the last member on duty before the first day; a day the library is
    closed is skipped and uses nobody's turn.
    """
    weeks = []
    for day in days:
        reason = calendar.closed_reason(day)
        if day in recorded:
            on_duty = tuple(recorded[day])
        elif reason is not None:
            weeks.append(RosterWeek(day, closed_reason=reason))
            continue
        else:
            on_duty = tuple(next_on_duty(members, after, per_week))
        if on_duty:
            after = _key(on_duty[-1])
        weeks.append(RosterWeek(day, on_duty))
    return weeks


def week_key(day: date) -> str:
    """The ISO week of a clean-up day, e.g. "2026-W48", naming its roster post."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def roster_due_day(now: datetime, settings: TeamSettings) -> date | None:
    """The clean-up day whose roster is due: from notice_time the day before to its end."""
    today = now.date()
    if today.weekday() == settings.cleanup_weekday:
        return today
    tomorrow = today + ONE_DAY
    if tomorrow.weekday() == settings.cleanup_weekday and now.time() >= settings.notice_time:
        return tomorrow
    return None


def roster_moments(now: datetime, settings: TeamSettings) -> list[datetime]:
    """When the next two roster posts are due (the day before each clean-up day)."""
    return [
        datetime.combine(day - ONE_DAY, settings.notice_time, now.tzinfo)
        for day in cleanup_days(now.date(), 2, settings)
    ]


def next_wakeup(moments: Iterable[datetime], now: datetime) -> datetime | None:
    """The earliest of the moments still ahead of now."""
    ahead = [moment for moment in moments if moment > now]
    return min(ahead) if ahead else None


# --- the [team] configuration table -----------------------------------------------------------

TEAM_KEYS = frozenset(
    {
        "meeting_weekday",
        "meeting_week",
        "meeting_time",
        "meeting_place",
        "notice_days_before",
        "notice_time",
        "cleanup_weekday",
        "cleanup_per_week",
    }
)
_CLOCK = re.compile(r"(\d{1,2})[:hg](\d{2})")
_LAST_WORDS = frozenset({"cuoi", "cuoi thang", "last"})


def _fail(key: str, problem: str) -> NoReturn:
    # bot.config imports the core modules; importing it here keeps the cycle safe.
    from bot.config import ConfigError

    raise ConfigError(key, problem)


def _time(value: object, key: str) -> time:
    if isinstance(value, time):
        return value.replace(tzinfo=None, second=0, microsecond=0)
    match = _CLOCK.fullmatch(value.strip()) if isinstance(value, str) else None
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    _fail(key, f'“{value}” không phải giờ trong ngày; viết "15:30"')


def _count(value: object, key: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        _fail(key, f"phải là số nguyên từ {low} đến {high}")
    return value


def _weekday(value: object, key: str) -> int:
    if isinstance(value, str):
        name = " ".join(fold(value).split())
        if name in WEEKDAY_ALIASES:
            return WEEKDAY_ALIASES[name]
    _fail(key, f'“{value}” không phải ngày trong tuần; viết "{WEEKDAY_NAMES[FRIDAY]}"')


def _week(value: object, key: str) -> int:
    if isinstance(value, str) and " ".join(fold(value).split()) in _LAST_WORDS:
        return LAST
    if isinstance(value, int) and not isinstance(value, bool) and (1 <= value <= 4):
        return value
    _fail(key, 'phải là "cuối" (tuần cuối tháng) hoặc số tuần trong tháng từ 1 đến 4')


def _place(value: object, key: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > PLACE_LIMIT:
        _fail(key, f"phải là chuỗi không rỗng, tối đa {PLACE_LIMIT} ký tự")
    return normalize(value.strip())


def parse_team_config(raw: Mapping[str, Any]) -> TeamSettings:
    """Build the team settings from the [team] table; a missing key keeps its default."""
    for name in raw:
        if name not in TEAM_KEYS:
            _fail(f"team.{name}", "khóa không được hỗ trợ; dùng: " + ", ".join(sorted(TEAM_KEYS)))
    values: dict[str, Any] = {}
    for name in ("meeting_weekday", "cleanup_weekday"):
        if name in raw:
            values[name] = _weekday(raw[name], f"team.{name}")
    for name in ("meeting_time", "notice_time"):
        if name in raw:
            values[name] = _time(raw[name], f"team.{name}")
    if "meeting_week" in raw:
        values["meeting_week"] = _week(raw["meeting_week"], "team.meeting_week")
    if "meeting_place" in raw:
        values["meeting_place"] = _place(raw["meeting_place"], "team.meeting_place")
    if "notice_days_before" in raw:
        values["notice_days_before"] = _count(
            raw["notice_days_before"], "team.notice_days_before", 0, 14
        )
    if "cleanup_per_week" in raw:
        values["cleanup_per_week"] = _count(
            raw["cleanup_per_week"], "team.cleanup_per_week", 1, 10
        )
    return TeamSettings(**values)
