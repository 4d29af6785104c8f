"""What is held about a reader and the audit log, put into words for a chat or a file."""

import csv
import html
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot import texts
from bot.core.privacy import POSTPONE_DAYS
from bot.services.privacy import PlannedLeaver
from db.privacy import AuditEntry, ConsentRecord, HeldData, HeldLoan

_OPEN_STATES = ("held", "open")


def _day(value: str | None) -> str:
    return texts.format_date(date.fromisoformat(value[:10])) if value else ""


def _moment(value: str, zone: ZoneInfo) -> str:
    return (
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        .astimezone(zone)
        .strftime("%d/%m/%Y %H:%M")
    )


def _field_value(name: str, value: object) -> str:
    if name == "category":
        return texts.DATA_CATEGORIES.get(str(value), str(value))
    if name == "disadvantaged":
        return texts.DATA_YES if value else ""
    if name in ("birth_date", "left_on", "created_at", "forgotten_on"):
        return _day(str(value)) if value else ""
    return str(value or "")


def _loan_line(loan: HeldLoan) -> str:
    return texts.DATA_LOAN.format(
        title=loan.title,
        accession=loan.accession,
        state=texts.DATA_LOAN_STATES.get(loan.state, loan.state),
        lent=texts.DATA_LENT.format(day=_day(loan.loaned_on)) if loan.loaned_on else "",
        due=texts.DATA_DUE.format(day=_day(loan.due_on))
        if loan.due_on and loan.state == "open"
        else "",
        back=texts.DATA_BACK.format(day=_day(loan.returned_on)) if loan.returned_on else "",
        note=texts.DATA_NOTE.format(note=loan.note) if loan.note else "",
    )


def _consent_line(consent: ConsentRecord, zone: ZoneInfo) -> str:
    return texts.DATA_CONSENT.format(
        day=_day(consent.given_on),
        source=texts.DATA_CONSENT_SOURCES.get(consent.source, consent.source),
        by=texts.DATA_CONSENT_BY.format(name=consent.recorded_by_name)
        if consent.recorded_by_name
        else "",
        at=_moment(consent.recorded_at, zone),
        withdrawn=texts.DATA_CONSENT_WITHDRAWN.format(at=_moment(consent.withdrawn_at, zone))
        if consent.withdrawn_at
        else "",
    )


def _section(heading: str, lines: list[str]) -> list[str]:
    return ["", heading, *(f"• {line}" for line in lines or [texts.DATA_NONE])]


def held_data_lines(data: HeldData, zone: ZoneInfo, today: date) -> list[str]:
    """Every fact held about the reader, one per line, as plain text."""
    reader = data.reader
    lines = [texts.DATA_TITLE.format(name=reader["full_name"]), ""]
    for name, label in texts.DATA_FIELDS.items():
        value = _field_value(name, reader.get(name))
        if value:
            lines.append(f"{label}: {value}")
    if data.linked_at:
        lines.append(texts.DATA_ACCOUNT.format(name=data.account_name, day=_day(data.linked_at)))
    else:
        lines.append(texts.DATA_NO_ACCOUNT)
    if data.roles:
        roles = ", ".join(texts.ROLE_NAMES.get(role, role) for role in data.roles)
        lines.append(texts.DATA_ROLES.format(roles=roles))
    current = [_loan_line(loan) for loan in data.loans if loan.state in _OPEN_STATES]
    past = [_loan_line(loan) for loan in data.loans if loan.state not in _OPEN_STATES]
    lines += _section(texts.DATA_CURRENT.format(count=len(current)), current)
    lines += _section(texts.DATA_PAST.format(count=len(past)), past)
    lines += _section(
        texts.DATA_REQUESTS.format(count=len(data.requests)),
        [
            texts.DATA_REQUEST.format(
                title=request.title,
                status=texts.DATA_REQUEST_STATES.get(request.status, request.status),
                day=_day(request.created_at),
            )
            for request in data.requests
        ],
    )
    lines += _section(
        texts.DATA_SUGGESTIONS.format(count=len(data.suggestions)),
        [
            texts.DATA_SUGGESTION.format(
                title=item.typed_title,
                reason=f" ({item.reason})" if item.reason else "",
                day=_day(item.created_at),
            )
            for item in data.suggestions
        ],
    )
    lines += [
        "",
        texts.DATA_DONATIONS.format(count=data.donations),
        texts.DATA_VISITS.format(count=data.visits),
    ]
    lines += _section(
        texts.DATA_CONSENTS,
        [_consent_line(consent, zone) for consent in data.consents] or [texts.DATA_NO_CONSENT],
    )
    lines += ["", texts.DATA_MADE.format(day=texts.format_date(today)), texts.DATA_RIGHTS]
    return lines


def held_data_html(data: HeldData, zone: ZoneInfo, today: date) -> str:
    """The same facts for a chat message (HTML parse mode), the title in bold."""
    lines = [html.escape(line) for line in held_data_lines(data, zone, today)]
    lines[0] = f"<b>{lines[0]}</b>"
    return "\n".join(lines)


def held_data_file(data: HeldData, zone: ZoneInfo, today: date) -> bytes:
    """The same facts as a UTF-8 text file (with a BOM, so Windows Notepad reads it right)."""
    return ("\ufeff" + "\r\n".join(held_data_lines(data, zone, today)) + "\r\n").encode()


def _who(entry: AuditEntry) -> str:
    if entry.via == "system":
        return texts.AUDIT_SYSTEM
    if entry.via == "cli":
        return texts.AUDIT_CLI.format(actor=entry.actor or "?")
    return entry.actor or texts.AUDIT_UNKNOWN_USER.format(user=entry.done_by)


def _what(entry: AuditEntry) -> str:
    reader = f"{entry.reader_name} ({entry.reader_code})" if entry.reader_code else ""
    if entry.reader_code and entry.reader_name == entry.reader_code:
        reader = entry.reader_code
    template = texts.AUDIT_ACTIONS.get(entry.action, entry.action)
    return template.format(detail=entry.detail, reader=reader).strip()


def audit_line(entry: AuditEntry, zone: ZoneInfo) -> str:
    """One line of the audit log for a chat message (HTML escaped)."""
    return html.escape(
        texts.AUDIT_LINE.format(at=_moment(entry.at, zone), who=_who(entry), what=_what(entry))
    )


def audit_file(entries: list[AuditEntry], zone: ZoneInfo) -> bytes:
    """The audit log as a CSV file Excel opens (UTF-8 with a BOM)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(texts.AUDIT_COLUMNS)
    for entry in entries:
        reader = entry.reader_code and f"{entry.reader_name} ({entry.reader_code})"
        writer.writerow(
            [
                _moment(entry.at, zone),
                _who(entry),
                texts.AUDIT_VIA.get(entry.via, entry.via),
                _what(entry),
                reader,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()


def notice_text(leavers: list[PlannedLeaver], keep_days: int) -> str:
    """The week-ahead list of leavers whose data is about to go, for the librarian."""
    lines = [texts.FORGET_NOTICE_HEADER.format(days=keep_days)]
    for item in leavers:
        leaver = item.leaver
        lines.append(
            texts.FORGET_NOTICE_LINE.format(
                name=html.escape(leaver.full_name),
                code=html.escape(leaver.code),
                class_part=f", {html.escape(leaver.class_name)}" if leaver.class_name else "",
                day=texts.format_date(item.planned),
            )
        )
    lines.append(texts.FORGET_NOTICE_FOOTER.format(postpone=POSTPONE_DAYS))
    return "\n".join(lines)
