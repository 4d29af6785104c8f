"""Shared fixtures: a catalog database, the emulator, the real bot running against it, users."""

import os
import shutil
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_application, running
from bot.config import Config
from bot.context import BotApplication
from bot.demo import LIBRARIAN_ID, data_file, demo_config
from bot.emulator.driver import Driver
from bot.emulator.server import Emulator
from bot.importing import import_books
from db.connection import Database

SCHOOL_DAY = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

# The bot's entry point opts in to PTB's timedelta durations; tests run the same way.
os.environ.setdefault("PTB_TIMEDELTA", "1")


@pytest.fixture(scope="session")
def catalog_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the sample catalog, built once and copied into each test."""
    import asyncio

    path = tmp_path_factory.mktemp("template") / "catalog.db"

    async def build() -> None:
        async with Database(path) as db:
            report = await import_books(db, data_file("sample_catalog.csv"), progress=False)
            assert not report.errors, report.render()

    asyncio.run(build())
    return path


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    emulator = Emulator()
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
def config(emulator: Emulator, catalog_template: Path, tmp_path: Path) -> Config:
    database_path = tmp_path / "thuvien.db"
    shutil.copy(catalog_template, database_path)
    return demo_config(emulator, database_path)


@pytest.fixture
async def bot(config: Config) -> AsyncIterator[BotApplication]:
    """The real Application, polling the emulator, its clock stopped on an ordinary school day.

    The jobs that run at start (held copies, campaign previews, reminders) look at the
    bot's clock: a fixed day keeps the suite the same whatever the calendar date it runs on.
    """
    application = build_application(config)
    application.bot_data.clock = lambda: SCHOOL_DAY
    async with running(application, poll_timeout=2):
        yield application


@pytest.fixture
def driver(emulator: Emulator, bot: BotApplication) -> Driver:
    return Driver(emulator)


@pytest.fixture
def librarian_id() -> int:
    return LIBRARIAN_ID
