"""Time `import-books` on a 50,000-row Excel register against reading the same file bare."""

import asyncio
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl

from bot.importing import import_books
from db.connection import Database

ROWS = 50_000
TITLES = 12_000
TARGET_SECONDS = 30.0
SEED = 20240905

HEADER = [
    "STT", "Ngày vào sổ", "Số ĐKCB", "Tên sách", "Tác giả", "Nhà xuất bản", "Năm xuất bản",
    "Giá tiền", "Môn loại", "Loại", "Ghi chú",
]  # fmt: skip
SUBJECTS = [
    "Toán", "Ngữ văn", "Tiếng Anh", "Khoa học tự nhiên", "Lịch sử và Địa lí",
    "Giáo dục công dân", "Tin học", "Công nghệ", "Âm nhạc", "Mĩ thuật",
    "Hoạt động trải nghiệm", "Giáo dục thể chất",
]  # fmt: skip
SERIES = ["Kết nối tri thức với cuộc sống", "Chân trời sáng tạo", "Cánh Diều"]
STORIES = [
    "Dế Mèn phiêu lưu ký", "Đất rừng phương Nam", "Tôi thấy hoa vàng trên cỏ xanh", "Mắt biếc",
    "Cho tôi xin một vé đi tuổi thơ", "Tuổi thơ dữ dội", "Những ngày thơ ấu", "Quê nội",
    "Hoàng tử bé", "Không gia đình", "Những tấm lòng cao cả", "Totto-chan bên cửa sổ",
    "Kính vạn hoa", "Chuyện con mèo dạy hải âu bay", "Cây cam ngọt của tôi", "Đảo giấu vàng",
    "Nhật ký Đặng Thùy Trâm", "Thép đã tôi thế đấy", "Truyện cổ tích Việt Nam",
    "Góc sân và khoảng trời", "Trên đồi cao chăn gió", "Bí mật hồ cá thần", "Búp sen xanh",
]  # fmt: skip
TOPICS = [
    "Bồi dưỡng học sinh giỏi", "Hướng dẫn học tốt", "Bài tập nâng cao", "Để học tốt",
    "Tuyển chọn đề kiểm tra", "Em học giỏi", "Tự luyện", "Phát triển năng lực",
]  # fmt: skip
AUTHORS = [
    "Tô Hoài", "Đoàn Giỏi", "Nguyễn Nhật Ánh", "Nguyên Hồng", "Phùng Quán", "Vũ Hùng",
    "Hà Huy Khoái", "Bùi Mạnh Hùng", "Vũ Văn Hùng", "Nguyễn Minh Thuyết", "Lê Phương Nga",
    "Trần Đăng Khoa", "Xuân Quỳnh", "Võ Quảng", "Sơn Tùng", "Antoine de Saint-Exupéry",
    "Hector Malot", "Edmondo De Amicis", "Kuroyanagi Tetsuko", "Phạm Văn Đồng",
]  # fmt: skip
PUBLISHERS = [
    "Kim Đồng", "Giáo dục Việt Nam", "Đại học Sư phạm", "Trẻ", "Văn học", "Hội Nhà văn",
    "Đại học Quốc gia Hà Nội", "Tổng hợp TP. Hồ Chí Minh", "Phụ nữ Việt Nam", "Thanh niên",
]  # fmt: skip
KINDS = {"SGK": "SGK", "SGV": "SGV", "STK": "STK", "TN": "Truyện", "NV": "Nghiệp vụ"}


def make_titles(rng: random.Random) -> list[tuple[str, str, str, int, str, str]]:
    """Return TITLES distinct (title, author, publisher, year, subject, prefix) tuples."""
    seen: set[tuple[str, str, str, int]] = set()
    titles: list[tuple[str, str, str, int, str, str]] = []
    while len(titles) < TITLES:
        roll = rng.random()
        grade = rng.randint(6, 9)
        subject = rng.choice(SUBJECTS)
        if roll < 0.25:
            title = f"{subject} {grade} ({rng.choice(SERIES)})"
            prefix = rng.choice(["SGK", "SGK", "SGV"])
        elif roll < 0.6:
            title = f"{rng.choice(TOPICS)} {subject} {grade} - Tập {rng.randint(1, 4)}"
            prefix = "STK"
        elif roll < 0.95:
            title = f"{rng.choice(STORIES)} - Tập {rng.randint(1, 30)}"
            subject, prefix = "Văn học", "TN"
        else:
            title = f"Tài liệu bồi dưỡng giáo viên môn {subject}"
            prefix = "NV"
        key = (title, rng.choice(AUTHORS), rng.choice(PUBLISHERS), rng.randint(2005, 2025))
        if key not in seen:
            seen.add(key)
            titles.append((*key, subject, prefix))
    return titles


def write_register(path: Path) -> None:
    """Write a register of ROWS copies of TITLES titles, as a librarian's Excel file."""
    rng = random.Random(SEED)
    titles = make_titles(rng)
    copies = list(range(TITLES)) + [rng.randrange(TITLES) for _ in range(ROWS - TITLES)]
    copies.sort()
    # Not write_only: like Excel, this writes shared strings and the sheet's dimension.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sổ ĐKCB"
    sheet.append(["SỔ ĐĂNG KÝ CÁ BIỆT"])
    sheet.append(["Trường THCS Nguyễn Du — Năm học 2024-2025"])
    sheet.append([])
    sheet.append(HEADER)
    counters = dict.fromkeys(KINDS, 0)
    start = datetime(2015, 8, 1)
    for number, index in enumerate(copies, 1):
        title, author, publisher, year, subject, prefix = titles[index]
        counters[prefix] += 1
        acquired = start + timedelta(days=number // 20)
        price = rng.randrange(10, 250) * 1000
        sheet.append(
            [
                number,
                acquired if number % 2 else acquired.strftime("%d/%m/%Y"),
                f"{prefix}-{counters[prefix]:05d}",
                title,
                author,
                publisher,
                year,
                price if number % 3 else f"{price:,}đ".replace(",", "."),
                subject,
                KINDS[prefix] if number % 4 else "",
                "",
            ]
        )
    sheet.append(["Tổng cộng"])
    workbook.save(path)


def read_bare(path: Path) -> int:
    """Return the number of rows openpyxl streams from the file: the floor for any import."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for _ in workbook.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    finally:
        workbook.close()


async def timed_import(database: Path, register: Path) -> tuple[float, str]:
    async with Database(database) as db:
        started = time.perf_counter()
        report = await import_books(db, register, progress=False)
        elapsed = time.perf_counter() - started
    if report.errors or not report.written:
        raise SystemExit(report.render())
    return elapsed, report.render()


def main() -> int:
    with tempfile.TemporaryDirectory() as temp:
        register = Path(temp) / "so-dang-ky-ca-biet.xlsx"
        started = time.perf_counter()
        write_register(register)
        print(
            f"Generated {ROWS:,} rows / {TITLES:,} titles in {time.perf_counter() - started:.1f} s"
            f" ({register.stat().st_size / 1e6:.1f} MB)"
        )
        started = time.perf_counter()
        read_bare(register)
        floor = time.perf_counter() - started
        print(f"floor  openpyxl read_only, rows only      {floor:6.2f} s")
        database = Path(temp) / "thuvien.db"
        first, summary = asyncio.run(timed_import(database, register))
        print(
            f"import into a fresh database (with FTS)  {first:6.2f} s"
            f"  {ROWS / first:8,.0f} rows/s  target ≤ {TARGET_SECONDS:.0f} s"
            f"  {'OK' if first <= TARGET_SECONDS else 'TOO SLOW'}"
        )
        again, _ = asyncio.run(timed_import(database, register))
        print(
            f"re-import, nothing changes               {again:6.2f} s  {ROWS / again:8,.0f} rows/s"
        )
        print(f"import / floor: {first / floor:.2f}×")
        print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
