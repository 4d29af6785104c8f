"""Printable sheets from the database: copy QR labels and reader cards (`thuvien labels|cards`)."""

from datetime import datetime, timedelta

from bot import texts
from bot.config import Config
from bot.core.payloads import copy_payload
from bot.printing import CopyLabel, ReaderCard, render_cards, render_labels
from db import accounts, catalog, readers
from db.connection import Database

CATEGORY_LABELS = {"student": "Học sinh", "teacher": "Giáo viên", "staff": "Cán bộ, nhân viên"}


def deep_link(bot_username: str, payload: str) -> str:
    return f"https://t.me/{bot_username}?start={payload}"


async def label_sheet(
    db: Database,
    config: Config,
    bot_username: str,
    *,
    first: str | None = None,
    last: str | None = None,
    kind: str | None = None,
) -> tuple[bytes, int]:
    """Render the labels of the chosen copies; return the PDF and how many labels it holds."""
    rows = await catalog.copies_for_labels(db, first=first, last=last, kind=kind)
    if not rows:
        raise LookupError(texts.NO_COPIES_TO_LABEL)
    labels = [
        CopyLabel(row.accession, row.title, deep_link(bot_username, copy_payload(row.accession)))
        for row in rows
    ]
    return render_labels(labels, school=config.library.school or config.library.name), len(labels)


async def card_sheet(
    db: Database, config: Config, bot_username: str, now: datetime, *, class_name: str | None
) -> tuple[bytes, int]:
    """Issue fresh link tokens and render the reader cards of a class (or of everyone)."""
    chosen = await readers.readers_of_class(db, class_name)
    if not chosen:
        raise LookupError(
            texts.NO_READERS_FOR_CARDS.format(
                class_part=f" của lớp {class_name}" if class_name else ""
            )
        )
    valid_for = timedelta(days=config.accounts.link_token_days)
    tokens = await accounts.issue_link_tokens(db, [r.id for r in chosen], now, valid_for)
    expires = texts.format_date(tokens[0].expires_at.astimezone(config.library.timezone))
    cards = [
        ReaderCard(
            full_name=reader.full_name,
            class_name=reader.class_name,
            code=reader.code,
            category_label=CATEGORY_LABELS.get(reader.category, ""),
            link=deep_link(bot_username, f"link_{token.token}"),
            expires=expires,
        )
        for reader, token in zip(chosen, tokens, strict=True)
    ]
    pdf = render_cards(
        cards, school=config.library.school or config.library.name, library=config.library.name
    )
    return pdf, len(cards)
