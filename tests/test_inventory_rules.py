"""Inventory rules: scopes, what a typed message or a decoded label is, scans and findings."""

import io
import random
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import qrcode
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from PIL import Image

from bot.core.inventory import (
    Finding,
    ScanOutcome,
    Scope,
    ScopeKind,
    WriteOff,
    accession_from_code,
    classify,
    looks_like_accessions,
    parse_scope,
    scan_outcome,
    split_accessions,
    tally,
    write_off,
    write_off_tally,
)
from bot.core.payloads import copy_payload
from bot.handlers.inventory import read_codes
from bot.inventory_workbook import InventoryDocument, file_name, inventory_workbook
from db.inventory import ReportLine, SessionRecord

KINDS = ["SGK", "SGV", "STK", "Truyện", "Báo, tạp chí", "Nghiệp vụ"]
STATUSES = ["on_shelf", "on_loan", "held", "lost", "damaged", "rotated_out", "withdrawn"]
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", Scope()),
        ("  ", Scope()),
        ("stk", Scope(ScopeKind.KIND, "STK")),
        ("truyen", Scope(ScopeKind.KIND, "Truyện")),
        ("TRUYỆN", Scope(ScopeKind.KIND, "Truyện")),
        ("bao tap chi", Scope(ScopeKind.KIND, "Báo, tạp chí")),
        ("nghiep vu", Scope(ScopeKind.KIND, "Nghiệp vụ")),
        ("tn-", Scope(ScopeKind.PREFIX, "TN-")),
        ("STK-001", Scope(ScopeKind.PREFIX, "STK-001")),
    ],
)
def test_a_scope_is_a_kind_typed_without_accents_or_an_accession_prefix(
    typed: str, expected: Scope
) -> None:
    assert parse_scope(typed, KINDS) == expected


@pytest.mark.parametrize("typed", ["💥", "sách hay", "a" * 5000, "-+-", "STK 001 x y"])
def test_a_scope_that_is_neither_is_refused(typed: str) -> None:
    assert parse_scope(typed, KINDS) is None


def test_a_scope_covers_its_copies_only() -> None:
    assert Scope().covers("SGK-00001", "SGK")
    assert Scope(ScopeKind.KIND, "STK").covers("STK-00012", "STK")
    assert not Scope(ScopeKind.KIND, "STK").covers("STK-00012", "SGK")
    assert Scope(ScopeKind.PREFIX, "TN-").covers("tn-00003", "Truyện")
    assert not Scope(ScopeKind.PREFIX, "TN-").covers("STK-00003", "Truyện")


def test_a_message_splits_on_spaces_commas_semicolons_and_new_lines() -> None:
    text = "STK-00001, STK-00002\nSTK-00003;STK-00004 \t STK-00005,,\n"
    assert split_accessions(text) == [f"STK-0000{n}" for n in range(1, 6)]


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("STK-00012", True),
        ("stk-00012 TN-00001, SGK-00003", True),
        ("12345\n12346", True),
        ("6A", True),
        ("de men phieu luu ky", False),
        ("toan 6", False),
        ("Dế Mèn 1", False),
        ("6", False),
        ("", False),
        ("   ", False),
        ("📚📚", False),
        ("STK-00012 và STK-00013", False),
    ],
)
def test_only_a_list_of_accession_numbers_counts_as_a_scan(text: str, listed: bool) -> None:
    assert looks_like_accessions(text) is listed


@given(st.text(max_size=300))
def test_no_text_breaks_the_scan_parser(text: str) -> None:
    tokens = split_accessions(text)
    assert all(token.strip() for token in tokens)
    looks_like_accessions(text)


def test_a_label_gives_its_accession_number_and_other_codes_give_none() -> None:
    assert accession_from_code("https://t.me/thuvien_bot?start=copy_STK-00012") == "STK-00012"
    odd = "TN 001/Đ"
    link = f"https://t.me/thuvien_bot?start={copy_payload(odd)}"
    assert accession_from_code(link) == odd
    assert accession_from_code("STK-00012") == "STK-00012"
    assert accession_from_code("https://t.me/thuvien_bot?start=link_abcdefghijkl") is None
    assert accession_from_code("https://t.me/thuvien_bot?start=copy__%%%") is None
    assert accession_from_code("https://example.org/") is None
    assert accession_from_code("xin chào các bạn") is None


@pytest.mark.parametrize(
    ("facts", "outcome"),
    [
        ({"known": False}, ScanOutcome.UNKNOWN),
        ({"in_scope": False}, ScanOutcome.OUT_OF_SCOPE),
        ({"already_seen": True}, ScanOutcome.DUPLICATE),
        ({"already_seen": True, "open_loan": True}, ScanOutcome.DUPLICATE),
        ({"open_loan": True, "status": "on_loan"}, ScanOutcome.ON_LOAN),
        ({"status": "lost"}, ScanOutcome.MARKED_AWAY),
        ({"status": "withdrawn"}, ScanOutcome.MARKED_AWAY),
        ({"status": "rotated_out"}, ScanOutcome.MARKED_AWAY),
        ({"status": "held"}, ScanOutcome.RECORDED),
        ({"status": "damaged"}, ScanOutcome.RECORDED),
        ({}, ScanOutcome.RECORDED),
    ],
)
def test_what_a_scan_means(facts: dict, outcome: ScanOutcome) -> None:
    base = {
        "known": True,
        "in_scope": True,
        "already_seen": False,
        "status": "on_shelf",
        "open_loan": False,
    }
    assert scan_outcome(**(base | facts)) is outcome


@pytest.mark.parametrize(
    ("status", "seen", "open_loan", "finding"),
    [
        ("on_shelf", True, False, Finding.FOUND),
        ("on_shelf", False, False, Finding.MISSING),
        ("held", False, False, Finding.MISSING),
        ("damaged", False, False, Finding.MISSING),
        ("on_loan", False, True, Finding.AWAY),
        ("on_loan", True, True, Finding.FOUND),
        ("rotated_out", False, False, Finding.AWAY),
        ("lost", True, False, Finding.SEEN_WRITTEN_OFF),
        ("withdrawn", True, False, Finding.SEEN_WRITTEN_OFF),
        ("lost", False, False, None),
        ("withdrawn", False, False, None),
    ],
)
def test_what_each_copy_turns_out_to_be(
    status: str, seen: bool, open_loan: bool, finding: Finding | None
) -> None:
    assert classify(status=status, seen=seen, open_loan=open_loan) is finding


@given(st.sampled_from(STATUSES), st.booleans(), st.booleans())
def test_a_seen_copy_is_never_missing_and_a_lent_one_never_missing(
    status: str, seen: bool, open_loan: bool
) -> None:
    finding = classify(status=status, seen=seen, open_loan=open_loan)
    if seen:
        assert finding in (Finding.FOUND, Finding.SEEN_WRITTEN_OFF)
    if open_loan:
        assert finding is not Finding.MISSING


def test_a_tally_names_every_finding() -> None:
    counts = tally([Finding.FOUND, Finding.FOUND, None, Finding.AWAY])
    assert counts == {
        Finding.FOUND: 2,
        Finding.MISSING: 0,
        Finding.SEEN_WRITTEN_OFF: 0,
        Finding.AWAY: 1,
    }


def test_a_photographed_label_is_decoded() -> None:
    link = "https://t.me/thuvien_bot?start=copy_STK-00012"
    image = qrcode.make(link, border=4).get_image().convert("RGB").resize((600, 600))
    canvas = Image.new("RGB", (1000, 800), "white")
    canvas.paste(image.rotate(8, expand=True, fillcolor="white"), (150, 60))
    assert read_codes(png(canvas)) == [link]


def test_noise_and_broken_bytes_decode_to_nothing() -> None:
    generator = random.Random(7)
    noise = Image.frombytes("L", (200, 200), bytes(generator.randrange(256) for _ in range(40000)))
    assert read_codes(png(noise)) == []
    assert read_codes(b"\x89PNG\r\n\x1a\nnot really") == []
    assert read_codes(b"") == []


def _line(finding: Finding, accession: str, **extra: object) -> ReportLine:
    fields: dict = {
        "finding": finding,
        "accession": accession,
        "title": "Dế Mèn phiêu lưu ký",
        "author": "Tô Hoài",
        "kind": "Truyện",
        "location": "Kho mở",
        "status": "on_shelf",
        "price": 45000,
        "seen_at": None,
        "seen_by": "",
        "reader_name": "",
        "class_name": "",
        "due_on": None,
    }
    return ReportLine(**(fields | extra))


def test_the_workbook_has_a_sheet_per_finding_with_vietnamese_headers_and_dates() -> None:
    session = SessionRecord(
        id=3,
        scope=Scope(ScopeKind.KIND, "Truyện"),
        state="ended",
        started_by=1,
        starter_name="Cô Lan",
        started_at=datetime(2027, 5, 28, 1, 0, tzinfo=UTC),
        last_copy_id=10,
        closed_at=datetime(2027, 5, 31, 9, 30, tzinfo=UTC),
        lost_marked=None,
    )
    seen = datetime(2027, 5, 29, 2, 15, tzinfo=UTC)
    lines = [
        _line(Finding.FOUND, "TN-00001", seen_at=seen, seen_by="Cô Lan"),
        _line(
            Finding.FOUND,
            "TN-00002",
            seen_at=seen,
            seen_by="Ngô Thị Mai",
            status="on_loan",
            reader_name="Lê Gia Bảo",
            class_name="6A",
            due_on=date(2027, 6, 2),
        ),
        _line(Finding.MISSING, "TN-00003"),
        _line(Finding.SEEN_WRITTEN_OFF, "TN-00004", status="lost", seen_at=seen),
        _line(
            Finding.AWAY,
            "TN-00005",
            status="on_loan",
            reader_name="Trần Hà",
            class_name="7B",
            due_on=date(2027, 6, 1),
        ),
    ]
    document = InventoryDocument(
        session, lines, "Trường THCS Nguyễn Du", "Thư viện", ["Cô Lan", "Ngô Thị Mai"], HANOI
    )
    book = load_workbook(io.BytesIO(inventory_workbook(document)))
    assert book.sheetnames == [
        "Tổng hợp",
        "Có trên giá",
        "Không tìm thấy",
        "Ghi mất nhưng tìm thấy",
        "Đang cho mượn",
    ]
    summary = [[cell for cell in row if cell is not None] for row in book["Tổng hợp"].values]
    assert ["TRƯỜNG THCS NGUYỄN DU"] in summary and ["BIÊN BẢN KIỂM KÊ KHO SÁCH"] in summary
    assert any("tính đến ngày 31/05/2027" in str(row) for row in summary)
    assert ["Không tìm thấy", 1] in summary and ["Tổng số bản trong phạm vi", 5] in summary
    assert ["Truyện", 2, 1, 1, 1, 5] in summary

    found = book["Có trên giá"]
    rows = [row for row in found.iter_rows() if row[0].value is not None]
    header = next(i for i, row in enumerate(rows) if row[0].value == "STT")
    labels = [cell.value for cell in rows[header]]
    assert labels[:3] == ["STT", "Số ĐKCB", "Tên sách"]
    data = rows[header + 1 :]
    assert [row[1].value for row in data] == ["TN-00001", "TN-00002"]
    seen_cell = data[0][labels.index("Thời điểm quét")]
    assert seen_cell.value == datetime(2027, 5, 29, 9, 15)
    assert seen_cell.number_format == "DD/MM/YYYY HH:MM"
    assert "Lê Gia Bảo (6A), hạn trả 02/06/2027" in data[1][labels.index("Ghi chú")].value

    away = book["Đang cho mượn"]
    due = [cell for row in away.iter_rows() for cell in row if isinstance(cell.value, datetime)]
    assert [cell.number_format for cell in due] == ["DD/MM/YYYY"]
    assert file_name(session, HANOI) == "kiem-ke-3-31-05-2027.xlsx"


def test_the_write_off_marks_only_missing_copies_nobody_has() -> None:
    assert write_off("on_shelf", None) is WriteOff.MARK
    assert write_off("damaged", None) is WriteOff.MARK
    assert write_off("held", "held") is WriteOff.HELD
    assert write_off("on_loan", "open") is WriteOff.LENT
    assert write_off("lost", None) is WriteOff.CHANGED
    assert write_off("rotated_out", None) is WriteOff.CHANGED
    counts = write_off_tally([("on_shelf", None), ("held", "held"), ("on_shelf", None)])
    assert counts == {WriteOff.MARK: 2, WriteOff.HELD: 1, WriteOff.LENT: 0, WriteOff.CHANGED: 0}
