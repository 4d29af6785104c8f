"""What the benchmarks share: running a bot as its own process against an in-process emulator."""

import asyncio
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

from bot.config import Config
from bot.emulator.server import Emulator


def unlimited(config: Config) -> Config:
    """The same configuration without the flood-limit pacing (both sides of a race alike)."""
    return dataclasses.replace(
        config, telegram=dataclasses.replace(config.telegram, rate_limit=False)
    )


def write_config(path: Path, emulator: Emulator, database: Path, librarian: int) -> Path:
    """A config.toml that points a real `thuvien run` at the emulator, without flood pacing."""
    path.write_text(
        "[telegram]\n"
        f'token = "{emulator.token}"\n'
        f'base_url = "{emulator.base_url}"\n'
        f'base_file_url = "{emulator.base_file_url}"\n'
        "rate_limit = false\n"
        "[database]\n"
        f'path = "{database}"\n'
        "[library]\n"
        'name = "Thư viện (đo tốc độ)"\n'
        f"librarians = [{librarian}]\n",
        encoding="utf-8",
    )
    return path


def start_process(*args: str) -> subprocess.Popen[bytes]:
    """Start a Python module in its own process, as production would run it."""
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def wait_until_polling(emulator: Emulator, before: int, wait: float = 30.0) -> None:
    """Wait until a freshly started bot has begun long polling the emulator."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while len(emulator.calls("getUpdates")) <= before:
        if loop.time() > deadline:
            raise RuntimeError("the bot process did not start polling")
        await asyncio.sleep(0.1)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
