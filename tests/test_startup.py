"""What the bot loads at start: the heavy libraries wait until a feature needs them."""

import subprocess
import sys

HEAVY = ("matplotlib", "openpyxl", "reportlab", "zxingcpp", "numpy")


def test_starting_the_bot_loads_no_chart_excel_pdf_or_barcode_library() -> None:
    probe = (
        "import sys, bot.app, bot.__main__\n"
        f"print(' '.join(name for name in {HEAVY!r} if name in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []
