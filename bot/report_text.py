"""How a report's period, span and rates read in Vietnamese, in the chat and in the workbook."""

from typing import Any

from bot import texts
from bot.core.figures import Period, Report


def period_name(period: Period) -> str:
    """The period in words: tháng 11/2026, học kỳ I năm học 2026-2027, năm học 2026-2027."""
    return texts.REPORT_PERIOD[period.kind].format(**_fields(period))


def heading(period: Period) -> str:
    """The report's heading in capitals, as the school writes it."""
    return texts.REPORT_HEADING[period.kind].format(**_fields(period))


def school_year_line(period: Period) -> str:
    return texts.REPORT_SCHOOL_YEAR.format(school_year=period.school_year)


def span_line(report: Report) -> str:
    """From which day to which day, and up to when the figures run while the period goes on."""
    period = report.period
    fields = {
        "first": texts.format_date(period.first),
        "last": texts.format_date(period.last),
        "as_of": texts.format_date(report.as_of),
    }
    template = texts.REPORT_SPAN if report.as_of >= period.last else texts.REPORT_SPAN_SO_FAR
    return template.format(**fields)


def file_name(period: Period) -> str:
    """The workbook's file name, plain ASCII so every phone and computer keeps it."""
    return texts.REPORT_FILE_NAME[period.kind].format(**_fields(period))


def _fields(period: Period) -> dict[str, Any]:
    return {
        "month": period.number,
        "year": period.year,
        "number": period.number,
        "roman": period.roman,
        "school_year": period.school_year,
    }


def grade_label(key: str) -> str:
    return texts.REPORT_GRADE.format(grade=key) if key else texts.REPORT_NO_GRADE


def per_open_day(report: Report) -> float:
    """Visits per open day of the period, 0 when the library did not open."""
    if not report.open_days:
        return 0.0
    return round(report.totals.all_visits / report.open_days, 1)
