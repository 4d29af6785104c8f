"""`thuvien demo`: the emulator, the real bot and a web chat page, with sample data, no token."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import build_application, running
from bot.config import Config, LibraryConfig, Secret, TelegramConfig, default_opening_hours
from bot.context import BotApplication
from bot.core.calendar import WEEKDAY_NAMES
from bot.core.policy_config import parse_calendar
from bot.demo_history import demo_day, make_history
from bot.emulator.server import Emulator
from bot.importing import import_books
from bot.reader_import import import_readers
from bot.texts import format_date
from db import accounts
from db.connection import Database
from db.readers import find_reader_by_code

log = logging.getLogger(__name__)

LIBRARIAN_ID = 5000
STUDENT_ID = 5001
TEACHER_ID = 5002
CLASS_GROUP_ID = -1001000000601
# A demo started outside these hours begins at MORNING of its day instead.
SCHOOL_HOURS = (time(7, 30), time(16, 30))
MORNING = time(9, 0)


@dataclass
class DemoStack:
    """A running demo: where to open it and the parts tests may look into."""

    url: str
    emulator: Emulator
    application: BotApplication
    config: Config


PACKAGE_DIR = Path(__file__).parent
STATIC_DIR = PACKAGE_DIR / "emulator" / "static"


def data_file(name: str) -> Path:
    return PACKAGE_DIR / "data" / name


def demo_config(emulator: Emulator, database_path: Path) -> Config:
    return Config(
        telegram=TelegramConfig(Secret(emulator.token), emulator.base_url, emulator.base_file_url),
        database_path=database_path,
        library=LibraryConfig(
            name="Thư viện Trường THCS Nguyễn Du (bản chạy thử)",
            school="Trường THCS Nguyễn Du",
            timezone=ZoneInfo("Asia/Ho_Chi_Minh"),
            opening_hours=default_opening_hours(parse_calendar({})),
            librarians=frozenset({LIBRARIAN_ID}),
        ),
    )


def seed_people(emulator: Emulator) -> None:
    """Create the people a visitor can be, and a class group."""
    emulator.add_user(STUDENT_ID, "Nguyễn Minh An", "(học sinh 6A)", "minhan6a")
    emulator.add_user(LIBRARIAN_ID, "Cô Lan", "(thủ thư)", "thuthu_lan")
    emulator.add_user(TEACHER_ID, "Thầy Hùng", "(GVCN 6A)", "thayhung")
    emulator.add_group(
        CLASS_GROUP_ID,
        "Lớp 6A – Trường THCS Nguyễn Du",
        member_ids=[STUDENT_ID, TEACHER_ID, LIBRARIAN_ID],
        admin_ids=[TEACHER_ID],
    )


DEMO_LINKS = ((STUDENT_ID, "HS26001"), (TEACHER_ID, "CB003"), (LIBRARIAN_ID, "CB014"))


def demo_clock(config: Config) -> Callable[[], datetime]:
    """The demo's clock: running from the latest school day, in the library's opening hours.

    On a Sunday, a holiday or in the summer the demo still shows a school at work; started
    at night, its day begins at 09:00, so the morning's reminders have gone out.
    """
    zone = config.library.timezone
    started = datetime.now(zone)
    day = demo_day(started.date(), config.calendar)
    at = started.time() if SCHOOL_HOURS[0] <= started.time() <= SCHOOL_HOURS[1] else MORNING
    begins = datetime.combine(day, at, zone)
    return lambda: begins + (datetime.now(zone) - started)


async def load_sample_data(config: Config, now: datetime, *, history: bool = True) -> None:
    """Import the sample catalog and lists, replay the school year, link the demo people.

    history: the school year of loans, visits and requests up to now (`bot.demo_history`).
    """
    async with Database(config.database_path) as db:
        books = await import_books(db, data_file("sample_catalog.csv"), progress=False)
        if books.errors:
            raise RuntimeError(books.render())
        for name, kind in (("sample_readers.csv", "students"), ("sample_staff.csv", "staff")):
            people = await import_readers(db, data_file(name), kind=kind)
            if people.errors:
                raise RuntimeError(people.render())
        if history:
            # Before the demo people are linked: the past sends nobody a message.
            made = await make_history(
                db,
                config,
                now.date(),
                librarian=LIBRARIAN_ID,
                quiet=[code for _, code in DEMO_LINKS],
            )
            log.info(
                "demo history from %s: %d loans, %d open (%d overdue), %d visits",
                made.first.isoformat(),
                made.loans,
                made.open_loans,
                made.overdue,
                made.visits,
            )
        for user_id, code in DEMO_LINKS:
            reader = await find_reader_by_code(db, code)
            assert reader is not None
            account_id = await accounts.touch_account(db, user_id, user_id, reader.full_name)
            token = await accounts.issue_link_token(db, reader.id, now, timedelta(days=1))
            await accounts.link_with_token(db, token.token, account_id, now)


def _fresh(database_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        database_path.with_name(database_path.name + suffix).unlink(missing_ok=True)


@contextlib.asynccontextmanager
async def running_demo(
    workdir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    clock: Callable[[], datetime] | None = None,
) -> AsyncIterator[DemoStack]:
    """Start the emulator with the page, load the sample data and run the bot against it.

    The demo's database is made anew at each start, its school year ending the day before
    the clock's today (by default `demo_clock`).
    """
    await asyncio.to_thread(workdir.mkdir, parents=True, exist_ok=True)
    emulator = Emulator(static_dir=STATIC_DIR)
    await emulator.start(host, port)
    try:
        seed_people(emulator)
        config = demo_config(emulator, workdir / "demo.db")
        await asyncio.to_thread(_fresh, config.database_path)
        now = clock or demo_clock(config)
        await load_sample_data(config, now())
        application = build_application(config)
        application.bot_data.clock = now
        async with running(application):
            yield DemoStack(emulator.root_url + "/", emulator, application, config)
    finally:
        await emulator.stop()


def run_demo(workdir: Path, *, host: str, port: int) -> int:
    """Serve the demo until Ctrl+C."""

    async def serve() -> None:
        async with running_demo(workdir, host=host, port=port) as demo:
            today = demo.application.bot_data.clock().date()
            print(f"Thư viện bot (chạy thử) đang chạy: mở {demo.url} trong trình duyệt.")
            print(
                f"Ngày của bản chạy thử: {WEEKDAY_NAMES[today.weekday()]} {format_date(today)}"
                " (một ngày học; dữ liệu mẫu được tạo lại mỗi lần chạy)."
            )
            print("Nhấn Ctrl+C để dừng.")
            await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())
    return 0
