"""Turn catalog records into Telegram messages: HTML text plus inline keyboards."""

import html
import math

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.core.campaigns import Audience
from bot.core.search import Outcome
from bot.core.textfold import normalize
from bot.core.wording import short_publisher
from db.catalog import CopyRecord, TitleRecord
from db.search import SearchResult, TitleHit

PAGE_SIZE = 5
MAX_CARD_COPIES = 12
QUERY_ECHO_LENGTH = 60
# A book introduction's summary: long enough to tempt, then shorter to stay a cover's caption.
INTRO_SUMMARY_LENGTHS = (400, 200, 80)

OPEN_TITLE = "t"
SEARCH_PAGE = "sp"


def echo_query(query: str) -> str:
    """Return the person's query shortened and escaped, fit to quote back."""
    query = " ".join(normalize(query).split())
    if len(query) > QUERY_ECHO_LENGTH:
        query = query[: QUERY_ECHO_LENGTH - 1] + "…"
    return html.escape(query)


def availability(on_shelf: int, total: int) -> str:
    if total == 0:
        return texts.NO_COPIES
    if on_shelf == 0:
        return texts.UNAVAILABLE.format(total=total)
    return texts.AVAILABLE.format(on_shelf=on_shelf, total=total)


def audience_advice(audience: Audience) -> str:
    """Why an audience reaches nobody now, and how the librarian gives it a way in."""
    return texts.AUDIENCE_ADVICE[audience.kind].format(value=html.escape(audience.value))


def _hit_line(number: int, hit: TitleHit) -> str:
    return texts.SEARCH_HIT.format(
        number=number,
        title=html.escape(hit.title),
        author=f" — {html.escape(hit.author)}" if hit.author else "",
        year=f" ({hit.year})" if hit.year else "",
        availability=availability(hit.on_shelf, hit.total),
    )


def search_page(result: SearchResult, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """Render one page of search results with buttons to open titles and to turn pages."""
    if result.outcome is Outcome.EMPTY:
        return texts.SEARCH_EMPTY_QUERY, None
    if result.outcome is Outcome.TOO_SHORT:
        return texts.SEARCH_TOO_SHORT, None
    if not result.hits:
        return texts.SEARCH_NOTHING.format(query=echo_query(result.query)), None
    pages = max(1, math.ceil(result.total / PAGE_SIZE))
    header = texts.SEARCH_CAPPED if result.capped else texts.SEARCH_HEADER
    lines = [header.format(query=echo_query(result.query), total=result.total)]
    if result.exact_copy:
        lines.append(texts.SEARCH_EXACT_COPY.format(accession=html.escape(result.exact_copy)))
    if result.corrected:
        lines.append(texts.SEARCH_CORRECTED)
    lines.append("")
    first = page * PAGE_SIZE + 1
    lines.extend(_hit_line(first + i, hit) for i, hit in enumerate(result.hits))
    if pages > 1:
        lines.append("")
        lines.append(texts.SEARCH_PAGE.format(page=page + 1, pages=pages))
    rows = [
        [
            InlineKeyboardButton(
                f"{first + i}. {_short(hit.title)}", callback_data=f"{OPEN_TITLE}:{hit.title_id}"
            )
        ]
        for i, hit in enumerate(result.hits)
    ]
    turn = []
    if page > 0:
        turn.append(_button(texts.BUTTON_PREV, f"{SEARCH_PAGE}:{page - 1}"))
    if page + 1 < pages:
        turn.append(_button(texts.BUTTON_NEXT, f"{SEARCH_PAGE}:{page + 1}"))
    if turn:
        rows.append(turn)
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def title_card(title: TitleRecord, copies: list[CopyRecord], share_link: str) -> str:
    """Render a title card: its fields, each copy with shelf and status, and a share link."""
    lines = [texts.CARD_TITLE.format(title=html.escape(title.title))]
    for field, label in texts.CARD_FIELDS.items():
        value = getattr(title, field)
        if field == "publisher" and value:
            lines.append(html.escape(short_publisher(value)))
        elif value not in (None, ""):
            lines.append(f"{label}: {html.escape(str(value))}")
    if title.summary:
        lines.append("")
        lines.append(f"<i>{html.escape(_short(title.summary, 400))}</i>")
    lendable = [c for c in copies if c.status not in ("lost", "withdrawn")]
    on_shelf = sum(1 for c in lendable if c.status == "on_shelf")
    lines.append("")
    lines.append(texts.CARD_COPIES.format(on_shelf=on_shelf, total=len(lendable)))
    for copy in copies[:MAX_CARD_COPIES]:
        lines.append(
            texts.CARD_COPY.format(
                accession=html.escape(copy.accession),
                location=f" ({html.escape(copy.location)})" if copy.location else "",
                status=texts.COPY_STATUS.get(copy.status, copy.status),
            )
        )
    if len(copies) > MAX_CARD_COPIES:
        lines.append(texts.CARD_MORE_COPIES.format(count=len(copies) - MAX_CARD_COPIES))
    lines.append("")
    lines.append(texts.CARD_SHARE.format(link=html.escape(share_link)))
    return "\n".join(lines)


def book_introduction(
    title: TitleRecord, on_shelf: int, total: int, share_link: str, summary_length: int
) -> str:
    """A title as readers are told of it: title, author, publisher, summary, shelf, link."""
    lines = [texts.BOOK_INTRO_HEADING, "", texts.CARD_TITLE.format(title=html.escape(title.title))]
    if title.author:
        lines.append(texts.BOOK_INTRO_AUTHOR.format(author=html.escape(title.author)))
    if title.publisher:
        publisher = short_publisher(title.publisher)
        lines.append(texts.BOOK_INTRO_PUBLISHER.format(publisher=html.escape(publisher)))
    if title.summary:
        lines.extend(["", f"<i>{html.escape(_short(title.summary, summary_length))}</i>"])
    lines.extend(["", availability(on_shelf, total)])
    lines.append(texts.CARD_SHARE.format(link=html.escape(share_link)))
    return "\n".join(lines)


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _short(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
