"""The demo's web chat page in headless Chromium: a student finds Dế Mèn and opens its card."""

import re
import shutil
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.demo import running_demo


def find_chromium() -> str | None:
    """Return Debian's Chromium, the only browser this machine may use."""
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


CHROMIUM = find_chromium()
if CHROMIUM is None:
    pytest.skip(
        "Chromium không có: cài bằng `apt-get install chromium` để chạy bài kiểm tra trang demo",
        allow_module_level=True,
    )
pytest.importorskip(
    "playwright.async_api",
    reason="Playwright không có: cài bằng `pip install playwright` (không cần tải trình duyệt)",
)
from playwright.async_api import Browser, Locator, Page, async_playwright, expect  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENSHOT = Path("/tmp/demo_page.png")
ACCESSION = re.compile(r"\b[A-Z]{2,4}-\d{5}\b")
WAIT_MS = 15_000
# A Tuesday morning: the demo's reminders of the day have gone out (a reminder names a copy).
DEMO_NOW = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's headless Chromium, closed after the test."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


async def pick_persona(page: Page, name: str) -> None:
    """Choose who the visitor is by the name shown in the picker."""
    option = page.get_by_test_id("persona-select").locator("option", has_text=name)
    await expect(option).to_have_count(1, timeout=WAIT_MS)
    value = await option.get_attribute("value")
    assert value is not None
    await page.get_by_test_id("persona-select").select_option(value)


def bot_bubbles(page: Page, text: str | re.Pattern[str]) -> Locator:
    """The bot's message bubbles that contain text."""
    return page.locator('[data-testid="message"][data-from="bot"]', has_text=text)


async def test_a_student_finds_de_men_in_the_page_and_opens_its_card(
    browser: Browser, tmp_path: Path
) -> None:
    async with running_demo(tmp_path, clock=lambda: DEMO_NOW) as demo:
        page = await browser.new_page(viewport={"width": 420, "height": 860}, locale="vi-VN")
        page_errors: list[str] = []
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        await page.goto(demo.url)

        await pick_persona(page, "Nguyễn Minh An")
        await page.get_by_test_id("chat-select").select_option("private")
        await page.get_by_test_id("message-input").fill("de men")
        await page.get_by_test_id("send-button").click()

        mine = page.locator('[data-testid="message"][data-from="user"]', has_text="de men")
        await expect(mine).to_have_count(1, timeout=WAIT_MS)
        results = bot_bubbles(page, "Dế Mèn")
        await expect(results.last).to_be_visible(timeout=WAIT_MS)
        await expect(results.last).not_to_contain_text(ACCESSION)

        buttons = results.last.get_by_test_id("inline-button").filter(has_text="Dế Mèn")
        await buttons.first.click()
        card = bot_bubbles(page, ACCESSION)
        await expect(card.last).to_be_visible(timeout=WAIT_MS)
        await expect(card.last).to_contain_text("Tô Hoài")
        await page.screenshot(path=SCREENSHOT)

        await pick_persona(page, "Cô Lan")
        await expect(bot_bubbles(page, "Dế Mèn")).to_have_count(0, timeout=WAIT_MS)
        await pick_persona(page, "Nguyễn Minh An")
        await expect(bot_bubbles(page, ACCESSION).last).to_be_visible(timeout=WAIT_MS)
        assert page_errors == []


# Draws an emoji with the font stack of a bot bubble and counts its coloured pixels: a colour
# emoji has many, an empty box or a missing glyph none (it is drawn in black).
COLOURED_PIXELS = """async (emoji) => {
  const bubble = document.querySelector('[data-testid="message"][data-from="bot"]');
  const family = getComputedStyle(bubble).fontFamily;
  await document.fonts.load(`48px ${family}`, emoji);
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const context = canvas.getContext("2d");
  context.font = `48px ${family}`;
  context.textBaseline = "top";
  context.fillStyle = "#000";
  context.fillText(emoji, 4, 4);
  const data = context.getImageData(0, 0, 64, 64).data;
  let coloured = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b, a] = data.slice(i, i + 4);
    if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured += 1;
  }
  return coloured;
}"""


async def test_the_bot_s_emoji_are_drawn_in_colour_without_an_emoji_font_on_the_machine(
    browser: Browser, tmp_path: Path
) -> None:
    async with running_demo(tmp_path, clock=lambda: DEMO_NOW) as demo:
        page = await browser.new_page(viewport={"width": 420, "height": 860}, locale="vi-VN")
        fonts: list[tuple[str, int, str]] = []
        page.on(
            "response",
            lambda response: (
                fonts.append((response.url, response.status, response.headers["content-type"]))
                if response.url.endswith(".ttf")
                else None
            ),
        )
        await page.goto(demo.url)
        await pick_persona(page, "Nguyễn Minh An")
        await page.get_by_test_id("chat-select").select_option("private")
        await page.get_by_test_id("message-input").fill("/sachcuatoi")
        await page.get_by_test_id("send-button").click()
        mine = bot_bubbles(page, "📚")
        await expect(mine.last).to_be_visible(timeout=WAIT_MS)
        for emoji in ("📚", "🔁", "✅", "😊"):
            assert await page.evaluate(COLOURED_PIXELS, emoji) > 200, emoji
        assert fonts and all(status == 200 and kind == "font/ttf" for _, status, kind in fonts)
        assert fonts[0][0].endswith("/fonts/NotoColorEmoji-demo.ttf")
        await page.screenshot(path=SCREENSHOT.with_name("demo_page_emoji.png"))
