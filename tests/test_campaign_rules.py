"""The campaign calendar's rules: audiences, yearly dates, when a preview and a send are due."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import texts
from bot.core.campaigns import (
    APPROVED,
    CAMPAIGN_AUDIENCES,
    MAX_CAPTION,
    PREVIEWED,
    SENT,
    SKIPPED,
    Audience,
    AudienceKind,
    Due,
    Timing,
    WhenError,
    current_year,
    due,
    fits,
    next_occurrence,
    next_wakeup,
    occurrence,
    parse_audience,
    parse_class,
    parse_clock,
    parse_day_month,
    parse_send_moment,
    preview_moment,
    seed_calendar,
    send_moment,
    title_matches,
    visible_length,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TEACHERS_DAY = Timing(20, 11)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HANOI)


@pytest.mark.parametrize(
    ("code", "audience"),
    [
        ("classes", Audience(AudienceKind.CLASSES)),
        ("grade:9", Audience(AudienceKind.GRADE, "9")),
        ("class:6a", Audience(AudienceKind.CLASS, "6A")),
        ("teachers", Audience(AudienceKind.TEACHERS)),
        ("collaborators", Audience(AudienceKind.COLLABORATORS)),
        ("readers", Audience(AudienceKind.READERS)),
    ],
)
def test_audience_codes_read_back(code: str, audience: Audience) -> None:
    assert parse_audience(code) == audience
    assert parse_audience(audience.code) == audience


@pytest.mark.parametrize(
    "code", ["", "everyone", "grade:5", "grade:10", "grade:", "class:12A", "class:", "classes:6"]
)
def test_wrong_audience_codes_are_refused(code: str) -> None:
    with pytest.raises(ValueError):
        parse_audience(code)


def test_a_grade_audience_names_its_grade_and_a_class_audience_its_class() -> None:
    assert parse_audience("grade:7").grade == 7
    assert parse_audience("grade:7").class_name is None
    assert parse_audience("class:8B").class_name == "8B"
    assert parse_audience("classes").grade is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("6a", "6A"),
        (" 7 b ", "7B"),
        ("Lớp 9A1", "9A1"),
        ("lop 8c", "8C"),
        ("5A", None),
        ("x", None),
    ],
)
def test_class_names_are_read_as_lower_secondary_classes(typed: str, expected: str | None) -> None:
    assert parse_class(typed) == expected


def test_day_and_month_are_read_and_checked() -> None:
    assert parse_day_month("20/11") == (20, 11)
    assert parse_day_month(" 2-9 ") == (2, 9)
    assert parse_day_month("29/02") == (29, 2)
    for wrong in ("31/04", "30/02", "00/01", "12", "20/13", "hai mươi", "1/1/2026"):
        with pytest.raises(ValueError):
            parse_day_month(wrong)


def test_times_of_day_are_read_in_the_usual_vietnamese_ways() -> None:
    assert parse_clock("07:30") == time(7, 30)
    assert parse_clock("7h30") == time(7, 30)
    assert parse_clock("7h") == time(7, 0)
    assert parse_clock("16.45") == time(16, 45)
    for wrong in ("25:00", "7:75", "bảy giờ", ""):
        with pytest.raises(ValueError):
            parse_clock(wrong)


def test_29_february_falls_on_28_february_in_a_common_year() -> None:
    assert occurrence(29, 2, 2027) == date(2027, 2, 28)
    assert occurrence(29, 2, 2028) == date(2028, 2, 29)


def test_the_next_occurrence_is_today_until_the_day_is_over() -> None:
    assert next_occurrence(20, 11, date(2026, 11, 20)) == date(2026, 11, 20)
    assert next_occurrence(20, 11, date(2026, 11, 21)) == date(2027, 11, 20)
    assert next_occurrence(2, 9, date(2026, 1, 5)) == date(2026, 9, 2)


def test_the_preview_comes_lead_days_before_at_the_send_time() -> None:
    now = at(2026, 11, 1)
    assert send_moment(TEACHERS_DAY, 2026, now) == at(2026, 11, 20, 7, 30)
    assert preview_moment(TEACHERS_DAY, 2026, now) == at(2026, 11, 17, 7, 30)
    early = Timing(20, 11, time(9, 0), lead_days=7)
    assert preview_moment(early, 2026, now) == at(2026, 11, 13, 9, 0)


def test_a_january_campaign_is_previewed_in_december_for_next_year() -> None:
    new_year = Timing(1, 1, time(7, 30), lead_days=3)
    december = at(2026, 12, 29, 8, 0)
    assert current_year(new_year, december) == 2027
    assert due(new_year, 2027, december, None) is Due.PREVIEW


def test_nothing_is_due_before_the_preview_window() -> None:
    assert due(TEACHERS_DAY, 2026, at(2026, 11, 17, 7, 29), None) is Due.NOTHING


def test_the_preview_is_due_once_in_its_window() -> None:
    assert due(TEACHERS_DAY, 2026, at(2026, 11, 17, 7, 30), None) is Due.PREVIEW
    assert due(TEACHERS_DAY, 2026, at(2026, 11, 19, 23, 0), None) is Due.PREVIEW
    assert due(TEACHERS_DAY, 2026, at(2026, 11, 18), PREVIEWED) is Due.NOTHING
    assert due(TEACHERS_DAY, 2026, at(2026, 11, 18), APPROVED) is Due.NOTHING


def test_only_an_approved_run_is_sent_and_only_on_its_day() -> None:
    send_time = at(2026, 11, 20, 7, 30)
    assert due(TEACHERS_DAY, 2026, send_time, APPROVED) is Due.SEND
    assert due(TEACHERS_DAY, 2026, send_time + timedelta(hours=10), APPROVED) is Due.SEND
    for status in (None, PREVIEWED, SKIPPED, SENT):
        assert due(TEACHERS_DAY, 2026, send_time, status) is Due.NOTHING
    assert due(TEACHERS_DAY, 2026, at(2026, 11, 21, 7, 30), APPROVED) is Due.NOTHING


def test_after_the_day_the_calendar_looks_at_next_year() -> None:
    assert current_year(TEACHERS_DAY, at(2026, 11, 20, 23, 59)) == 2026
    assert current_year(TEACHERS_DAY, at(2026, 11, 21)) == 2027


def test_the_next_wakeup_is_the_preview_then_the_send_then_next_years_preview() -> None:
    assert next_wakeup(TEACHERS_DAY, at(2026, 10, 1)) == at(2026, 11, 17, 7, 30)
    assert next_wakeup(TEACHERS_DAY, at(2026, 11, 18)) == at(2026, 11, 20, 7, 30)
    assert next_wakeup(TEACHERS_DAY, at(2026, 11, 20, 8, 0)) == at(2027, 11, 17, 7, 30)


@given(
    moment=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2035, 12, 31)),
    day=st.integers(1, 31),
    month=st.integers(1, 12),
    lead=st.integers(1, 30),
)
def test_the_next_wakeup_is_always_later_and_nothing_changes_before_it(
    moment: datetime, day: int, month: int, lead: int
) -> None:
    try:
        date(2028, month, day)
    except ValueError:
        return
    now = moment.replace(tzinfo=HANOI)
    timing = Timing(day, month, time(7, 30), lead)
    wakeup = next_wakeup(timing, now)
    assert wakeup > now
    year = current_year(timing, now)
    # Between now and the wake-up, nothing new falls due for a run not yet begun.
    just_before = wakeup - timedelta(seconds=1)
    if just_before > now and current_year(timing, just_before) == year:
        assert due(timing, year, just_before, None) is due(timing, year, now, None)


def test_a_send_time_in_the_future_is_read_in_the_library_time_zone() -> None:
    now = at(2026, 11, 17, 10, 0)
    assert parse_send_moment("20/11 07:30", now) == at(2026, 11, 20, 7, 30)
    assert parse_send_moment("17/11 10h15", now) == at(2026, 11, 17, 10, 15)
    assert parse_send_moment("20/11/2026 lúc 7h", now) == at(2026, 11, 20, 7, 0)


def test_without_a_year_the_nearest_date_is_meant() -> None:
    now = at(2026, 12, 20, 10, 0)
    assert parse_send_moment("05/01 07:30", now) == at(2027, 1, 5, 7, 30)
    with pytest.raises(WhenError):
        parse_send_moment("19/12 07:30", now)
    assert parse_send_moment("29/02 07:30", at(2027, 12, 20)) == at(2028, 2, 29, 7, 30)
    with pytest.raises(WhenError):
        parse_send_moment("30/12 07:30", at(2027, 1, 3))


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("17/11 09:00", "past"),
        ("17/11/2025 09:00", "past"),
        ("20/11", "format"),
        ("31/11 07:30", "format"),
        ("20/11 25:00", "format"),
        ("mai 7 giờ", "format"),
        ("20/11/2028 07:30", "too_far"),
        ("x" * 5000, "format"),
    ],
)
def test_wrong_or_past_send_times_are_refused_with_a_reason(typed: str, reason: str) -> None:
    with pytest.raises(WhenError) as refused:
        parse_send_moment(typed, at(2026, 11, 17, 10, 0))
    assert refused.value.reason == reason


def test_the_visible_length_ignores_tags_and_counts_entities_once() -> None:
    assert visible_length("<b>Sách</b> &amp; <a href='https://t.me/x'>xem</a>") == len(
        "Sách & xem"
    )
    assert visible_length("🎉") == 2
    assert fits("a" * MAX_CAPTION, caption=True)
    assert not fits("a" * (MAX_CAPTION + 1), caption=True)
    assert fits("<b>" + "a" * 4096 + "</b>", caption=False)


def test_the_builtin_calendar_is_well_formed_and_covers_the_plan() -> None:
    seeds = seed_calendar(texts.CAMPAIGN_CALENDAR)
    assert len({seed.key for seed in seeds}) == len(seeds)
    days = {(seed.day, seed.month) for seed in seeds}
    for plan_day in [(2, 9), (20, 10), (20, 11), (22, 12), (3, 2), (8, 3), (26, 3), (21, 4)]:
        assert plan_day in days
    assert {(23, 4), (30, 4), (19, 5)} <= days
    assert all(seed.audience.kind in CAMPAIGN_AUDIENCES for seed in seeds)
    assert any("Gương Nhà giáo Thủ đô" in seed.message for seed in seeds)
    assert any(seed.day == 1 and seed.month == 10 for seed in seeds), "học tập suốt đời"


def test_a_wrong_calendar_row_is_refused() -> None:
    with pytest.raises(ValueError):
        seed_calendar([("x", "31/02", "classes", "Tên", "Nội dung", ())])
    with pytest.raises(ValueError):
        seed_calendar([("x", "01/02", "collaborators", "Tên", "Nội dung", ())])
    with pytest.raises(ValueError):
        seed_calendar([("x", "01/02", "classes", "", "Nội dung", ())])


def test_catalog_titles_match_without_accents_case_or_punctuation() -> None:
    assert title_matches("Búp sen xanh", "BÚP SEN XANH")
    assert title_matches("Tôi tài giỏi, bạn cũng thế!", "Tôi tài giỏi bạn cũng thế")
    assert not title_matches("Búp sen xanh", "Bông sen vàng")
    assert not title_matches("Kính vạn hoa - Tập 1", "Kính vạn hoa - Tập 2")
