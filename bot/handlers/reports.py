"""The librarian's and principal's figures: /baocao for a month, a semester or a school year."""

import asyncio
import html
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import texts
from bot.charts import BarChart, Series, render_bar_chart
from bot.context import BotContext
from bot.core.figures import (
    Period,
    PeriodError,
    PeriodKind,
    Report,
    neighbours,
    parse_period,
    period_from_token,
    summarize,
    thousands,
)
from bot.core.roles import Action, may
from bot.handlers.registers import REGISTERS_MENU
from bot.report_text import (
    file_name,
    heading,
    per_open_day,
    period_name,
    school_year_line,
    span_line,
)
from bot.services.privacy import record_view
from db import figures

REPORT = "bc"
TOP_IN_TEXT = 5
CHART_CLASSES = 15
_TITLE_LENGTH = 60


async def report_command(update: Update, context: BotContext) -> None:
    """Send the figures of the period typed after /baocao (the last full month by default)."""
    message = update.effective_message
    assert message is not None
    identity = await context.identity(update)
    if not may(identity, Action.REPORTS):
        await context.refuse(update, "reports")
        return
    # Reports name readers: they go to a private chat, never to a class group.
    if message.chat.type != "private":
        await message.reply_text(texts.REPORT_PRIVATE_ONLY)
        return
    try:
        period = parse_period(context.args or [], context.config.calendar, context.now().date())
    except PeriodError as error:
        await message.reply_text(
            texts.REPORT_FUTURE if error.code == "future" else texts.REPORT_USAGE
        )
        return
    await send_report(
        message.chat.id, context, period, registers=may(identity, Action.EXPORT_REGISTERS)
    )


async def report_button(update: Update, context: BotContext) -> None:
    """Send the figures of the period a report's button names."""
    query = update.callback_query
    assert query is not None and context.match is not None
    identity = await context.identity(update)
    if not may(identity, Action.REPORTS):
        await context.refuse(update, "reports")
        return
    period = period_from_token(context.match[1], context.config.calendar, context.now().date())
    if (
        period is None
        or not isinstance(query.message, Message)
        or query.message.chat.type != "private"
    ):
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    await query.answer()
    await send_report(
        query.message.chat.id, context, period, registers=may(identity, Action.EXPORT_REGISTERS)
    )


async def send_report(
    chat_id: int, context: BotContext, period: Period, *, registers: bool
) -> None:
    """Count, draw and tabulate the period, then send the text, the chart and the workbook."""
    # openpyxl loads on the first report, not at start: most days nobody asks for one.
    from bot.report_workbook import build_workbook

    today = context.now().date()
    data = await figures.period_data(context.db, period.first, period.as_of(today))
    report = summarize(period, today, data, context.config.calendar.is_open)
    library = context.config.library
    chart = chart_of(report, library.school or library.name)
    # Drawing and writing take a moment of CPU: off the event loop, before anything is sent,
    # so the three messages arrive together.
    png, workbook = await asyncio.gather(
        asyncio.to_thread(render_bar_chart, chart),
        asyncio.to_thread(
            build_workbook,
            report,
            school=library.school or library.name,
            library=library.name,
            made_on=today,
        ),
    )
    name = period_name(period)
    await context.bot.send_message(chat_id, summary_text(report))
    await context.bot.send_photo(
        chat_id,
        png,
        caption=texts.REPORT_PHOTO_CAPTION.format(
            title=html.escape(chart.title), period=html.escape(name)
        ),
    )
    await context.bot.send_document(
        chat_id,
        workbook,
        filename=file_name(period),
        caption=texts.REPORT_DOCUMENT_CAPTION.format(period=html.escape(name)),
        reply_markup=report_buttons(context, period, today, registers=registers),
    )
    await record_view(
        context.db, context.now(), done_by=chat_id, via="telegram", action="report", detail=name
    )


def report_buttons(
    context: BotContext, period: Period, today: date, *, registers: bool
) -> InlineKeyboardMarkup:
    """Buttons to the months around the period, its semesters, its year, and the registers."""
    around = neighbours(context.config.calendar, period, today)
    previous = around.previous_month
    template = (
        texts.BUTTON_REPORT_PREVIOUS
        if period.kind is PeriodKind.MONTH
        else texts.BUTTON_REPORT_MONTH
    )
    months = [
        InlineKeyboardButton(
            template.format(month=previous.number, year=previous.year),
            callback_data=f"{REPORT}:{previous.token}",
        )
    ]
    if around.next_month is not None:
        following = around.next_month
        months.append(
            InlineKeyboardButton(
                texts.BUTTON_REPORT_NEXT.format(month=following.number, year=following.year),
                callback_data=f"{REPORT}:{following.token}",
            )
        )
    longer = [
        InlineKeyboardButton(label, callback_data=f"{REPORT}:{target.token}")
        for label, target in (
            (texts.BUTTON_REPORT_SEMESTER[1], around.semester1),
            (texts.BUTTON_REPORT_SEMESTER[2], around.semester2),
            (texts.BUTTON_REPORT_YEAR, around.year),
        )
        if target is not None and target != period
    ]
    rows = [months, longer] if longer else [months]
    if registers:
        rows.append([InlineKeyboardButton(texts.BUTTON_REGISTERS, callback_data=REGISTERS_MENU)])
    return InlineKeyboardMarkup(rows)


def chart_of(report: Report, school: str) -> BarChart:
    """A month by class (its busiest classes), longer periods and quiet months by time."""
    period = report.period
    name = period_name(period)
    subtitle = f"{name[:1].upper()}{name[1:]} · {school}"
    names = (texts.CHART_LOANS, texts.CHART_VISITS)
    busy = [line for line in report.by_class if line.tally.loans or line.tally.all_visits]
    if period.kind is PeriodKind.MONTH and busy:
        shown = busy
        title = texts.CHART_BY_CLASS
        if len(busy) > CHART_CLASSES:
            shown = sorted(busy, key=lambda line: (-line.tally.loans, -line.tally.all_visits))[
                :CHART_CLASSES
            ]
            title = texts.CHART_TOP_CLASSES.format(count=CHART_CLASSES)
        return BarChart(
            title=title,
            subtitle=subtitle,
            categories=[line.key for line in shown],
            series=[
                Series(names[0], [line.tally.loans for line in shown]),
                Series(names[1], [line.tally.all_visits for line in shown]),
            ],
            horizontal=True,
            empty_note=texts.REPORT_NO_ACTIVITY,
        )
    return BarChart(
        title=texts.CHART_BY_WEEK if period.kind is PeriodKind.MONTH else texts.CHART_BY_MONTH,
        subtitle=subtitle,
        categories=[point.bucket.label for point in report.series],
        series=[
            Series(names[0], [point.loans for point in report.series]),
            Series(names[1], [point.visits for point in report.series]),
        ],
        empty_note=texts.REPORT_NO_ACTIVITY,
    )


def summary_text(report: Report) -> str:
    """The report in a few lines for the chat; the workbook holds every table."""
    period = report.period
    totals = report.totals
    as_of = texts.format_date(report.as_of)
    parts = [
        texts.REPORT_TEXT_HEAD.format(
            heading=html.escape(heading(period)),
            school_year=html.escape(school_year_line(period)),
            span=html.escape(span_line(report)),
        ),
        texts.REPORT_TEXT_READERS.format(
            section=texts.REPORT_SECTION_READERS,
            visits=thousands(totals.all_visits),
            linked=thousands(totals.visits),
            walk_ins=thousands(totals.walk_ins),
            visitors=thousands(totals.visitors),
            readers=thousands(totals.readers),
            open_days=report.open_days,
            per_day=f"{per_open_day(report):.1f}".replace(".", ","),
        ),
    ]
    circulation = [
        texts.REPORT_TEXT_CIRCULATION.format(
            section=texts.REPORT_SECTION_CIRCULATION,
            loans=thousands(totals.loans),
            returns=thousands(totals.returns),
            as_of=as_of,
            overdue=thousands(report.overdue),
        )
    ]
    kinds = [line for line in report.by_kind if line.tally.loans]
    if kinds:
        circulation.append(
            texts.REPORT_TEXT_KINDS.format(
                kinds=", ".join(
                    texts.REPORT_TEXT_KIND.format(
                        kind=html.escape(line.key), loans=thousands(line.tally.loans)
                    )
                    for line in kinds
                )
            )
        )
    if report.top_titles:
        circulation.append(texts.REPORT_TEXT_TOP_TITLES)
        circulation.extend(
            texts.REPORT_TEXT_TOP_TITLE.format(
                rank=rank, title=html.escape(_short(title.title)), loans=thousands(title.loans)
            )
            for rank, title in enumerate(report.top_titles, 1)
        )
    if report.top_classes:
        circulation.append(
            texts.REPORT_TEXT_TOP_CLASSES.format(
                classes=", ".join(
                    texts.REPORT_TEXT_TOP_CLASS.format(
                        class_name=html.escape(line.key),
                        loans=thousands(line.tally.loans),
                        visits=thousands(line.tally.all_visits),
                    )
                    for line in report.top_classes[:TOP_IN_TEXT]
                )
            )
        )
    if report.top_readers:
        circulation.append(
            texts.REPORT_TEXT_TOP_READERS.format(
                readers="; ".join(
                    texts.REPORT_TEXT_TOP_READER.format(
                        name=html.escape(_short(reader.full_name)),
                        class_part=f" ({html.escape(reader.class_name)})"
                        if reader.class_name
                        else "",
                        loans=thousands(reader.loans),
                    )
                    for reader in report.top_readers[:TOP_IN_TEXT]
                )
            )
        )
    parts.append("\n".join(circulation))
    acquired = report.acquired
    if acquired.copies:
        by_kind = ", ".join(
            f"{html.escape(line.key)} {thousands(line.copies)}" for line in report.acquired_by_kind
        )
        parts.append(
            texts.REPORT_TEXT_ACQUISITIONS.format(
                section=texts.REPORT_SECTION_ACQUISITIONS,
                copies=thousands(acquired.copies),
                kinds=f" ({by_kind})",
                value=thousands(acquired.value),
            )
        )
    else:
        parts.append(
            texts.REPORT_TEXT_NO_ACQUISITIONS.format(section=texts.REPORT_SECTION_ACQUISITIONS)
        )
    parts.append(texts.REPORT_TEXT_FOOT)
    return "\n\n".join(parts)


def _short(text: str) -> str:
    return text if len(text) <= _TITLE_LENGTH else text[: _TITLE_LENGTH - 1].rstrip() + "…"


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("baocao", report_command),
        CallbackQueryHandler(report_button, pattern=rf"^{REPORT}:([a-z0-9-]{{2,12}})$"),
    ]
