"""Command line: `thuvien run | migrate | import-books | demo` (the `thuvien` console script)."""

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import Config, ConfigError, find_config_path, load_config

log = logging.getLogger("thuvien")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="tệp cấu hình TOML (mặc định: $THUVIEN_CONFIG hoặc ./config.toml)",
    )
    parser = argparse.ArgumentParser(
        prog="thuvien",
        description="Thư viện bot — thư viện trường học trên điện thoại.",
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    commands.add_parser("run", parents=[common], help="chạy bot (long polling)")
    commands.add_parser("migrate", parents=[common], help="cập nhật cấu trúc cơ sở dữ liệu")
    books = commands.add_parser(
        "import-books", parents=[common], help="nhập sổ đăng ký cá biệt (.xlsx, .csv)"
    )
    books.add_argument("file", type=Path, help="tệp .xlsx hoặc .csv")
    books.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
    books.add_argument(
        "--allow-errors", action="store_true", help="vẫn nhập các dòng đúng khi có dòng lỗi"
    )
    readers_cmd = commands.add_parser(
        "import-readers", parents=[common], help="nhập danh sách học sinh, giáo viên (.xlsx, .csv)"
    )
    readers_cmd.add_argument("file", type=Path, help="tệp .xlsx hoặc .csv")
    readers_cmd.add_argument(
        "--kind", choices=["auto", "students", "staff"], default="auto", help="loại danh sách"
    )
    readers_cmd.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
    readers_cmd.add_argument(
        "--allow-errors", action="store_true", help="vẫn nhập các dòng đúng khi có dòng lỗi"
    )
    labels = commands.add_parser("labels", parents=[common], help="in nhãn QR cho bản sách (PDF)")
    labels.add_argument("--from", dest="first", metavar="ĐKCB", help="số ĐKCB đầu")
    labels.add_argument("--to", dest="last", metavar="ĐKCB", help="số ĐKCB cuối")
    labels.add_argument("--kind", help="chỉ in loại sách này (SGK, STK, …)")
    labels.add_argument("--output", type=Path, help="tệp PDF (mặc định: thư mục hiện tại)")
    cards = commands.add_parser("cards", parents=[common], help="in thẻ bạn đọc có mã QR (PDF)")
    cards.add_argument(
        "--class", dest="class_name", metavar="LỚP", help="chỉ in lớp này, ví dụ 6A"
    )
    cards.add_argument("--output", type=Path, help="tệp PDF (mặc định: thư mục hiện tại)")
    desk_qr = commands.add_parser(
        "desk-qr", parents=[common], help="in mã QR ghi lượt đến thư viện (PDF)"
    )
    desk_qr.add_argument("--output", type=Path, help="tệp PDF (mặc định: thư mục hiện tại)")
    export = commands.add_parser(
        "export", parents=[common], help="xuất sổ sách thư viện ra Excel (.xlsx)"
    )
    export.add_argument(
        "register", metavar="SỔ", help="tong-quat, ca-biet, sgk, sgv, gv-muon, hs-muon, thong-ke"
    )
    export.add_argument("--year", metavar="NĂM_HỌC", help="ví dụ 2025-2026 (mặc định: năm nay)")
    export.add_argument("--output", type=Path, help="tệp .xlsx (mặc định: thư mục hiện tại)")
    new_year = commands.add_parser(
        "new-year", parents=[common], help="chuyển năm học mới: lên lớp, ra trường"
    )
    new_year.add_argument("year", metavar="NĂM_HỌC", help="năm học mới, ví dụ 2026-2027")
    new_year.add_argument(
        "lists", nargs="*", type=Path, metavar="DANH_SÁCH", help="danh sách lớp, cán bộ năm mới"
    )
    new_year.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi gì")
    reader_data = commands.add_parser(
        "reader-data", parents=[common], help="ghi tệp dữ liệu lưu về một bạn đọc (cho phụ huynh)"
    )
    reader_data.add_argument("code", metavar="MÃ", help="mã bạn đọc, ví dụ HS26001")
    reader_data.add_argument("--output", type=Path, help="tệp .txt (mặc định: thư mục hiện tại)")
    forget = commands.add_parser(
        "forget-reader", parents=[common], help="xóa vĩnh viễn dữ liệu cá nhân của một bạn đọc"
    )
    forget.add_argument("code", metavar="MÃ", help="mã bạn đọc, ví dụ HS26001")
    forget.add_argument("--yes", action="store_true", help="không hỏi lại")
    demo = commands.add_parser(
        "demo", parents=[common], help="chạy thử trong trình duyệt, không cần token"
    )
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8080)
    demo.add_argument("--workdir", type=Path, default=Path(".demo"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Opt in to PTB's coming timedelta durations (retry_after), which the worker reads.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        if args.command == "demo":
            from bot.demo import run_demo

            return run_demo(args.workdir, host=args.host, port=args.port)
        config = load_config(
            find_config_path(getattr(args, "config", None)),
            require_token=args.command == "run",
        )
        if args.command == "run":
            return run_bot(config)
        if args.command == "migrate":
            return asyncio.run(migrate(config))
        if args.command == "import-readers":
            return asyncio.run(
                import_readers(
                    config,
                    args.file,
                    kind=args.kind,
                    dry_run=args.dry_run,
                    allow_errors=args.allow_errors,
                )
            )
        if args.command in ("labels", "cards"):
            return asyncio.run(print_sheet(config, args))
        if args.command == "desk-qr":
            return asyncio.run(print_desk_qr(config, args.output))
        if args.command == "export":
            return asyncio.run(export_book(config, args))
        if args.command == "new-year":
            return asyncio.run(turn_year(config, args.year, args.lists, dry_run=args.dry_run))
        if args.command == "reader-data":
            return asyncio.run(write_reader_data(config, args.code, args.output))
        if args.command == "forget-reader":
            return asyncio.run(forget_reader(config, args.code, confirmed=args.yes))
        if args.command == "import-books":
            return asyncio.run(
                import_books(
                    config, args.file, dry_run=args.dry_run, allow_errors=args.allow_errors
                )
            )
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 1


def run_bot(config: Config) -> int:
    from bot.app import build_application

    application = build_application(config)
    application.run_polling(allowed_updates=None)
    return 0


async def migrate(config: Config) -> int:
    from db.connection import Database

    async with Database(config.database_path) as db:
        versions = sorted(await db.applied_versions())
    print(f"Cơ sở dữ liệu {config.database_path}: đã áp dụng migration {versions}")
    return 0


async def import_books(config: Config, path: Path, *, dry_run: bool, allow_errors: bool) -> int:
    from bot.importing import import_books as run_import
    from db.connection import Database

    async with Database(config.database_path) as db:
        report = await run_import(db, path, dry_run=dry_run, allow_errors=allow_errors)
    print(report.render())
    return 1 if report.errors and not report.written else 0


async def import_readers(
    config: Config, path: Path, *, kind: str, dry_run: bool, allow_errors: bool
) -> int:
    from bot.reader_import import import_readers as run_import
    from db.connection import Database

    async with Database(config.database_path) as db:
        report = await run_import(db, path, kind=kind, dry_run=dry_run, allow_errors=allow_errors)
    print(report.render())
    return 1 if report.errors and not report.written else 0


async def turn_year(config: Config, year: str, lists: list[Path], *, dry_run: bool) -> int:
    from datetime import datetime

    from bot.services.year_turn import (
        TurnOutcome,
        apply_turn,
        details_text,
        preview_turn,
        refusal_text,
    )
    from db.connection import Database

    now = datetime.now(config.library.timezone)
    async with Database(config.database_path) as db:
        if dry_run:
            report = await preview_turn(db, config, year, now.date(), lists)
        else:
            report = await apply_turn(db, config, year, now, paths=lists)
    if report.outcome in (TurnOutcome.PREVIEW, TurnOutcome.APPLIED):
        print(details_text(report), end="")
        if dry_run:
            from bot import texts

            print(texts.YEAR_TURN_CLI_HINT)
        return 0
    print(refusal_text(report), file=sys.stderr)
    if report.outcome is TurnOutcome.ALREADY:
        return 0
    return 2 if report.outcome is TurnOutcome.BAD_YEAR else 1


async def bot_username(config: Config) -> str:
    """The bot's username from the config, else from Telegram's getMe."""
    if config.telegram.bot_username:
        return config.telegram.bot_username
    if not config.telegram.token:
        raise ConfigError(
            "telegram.bot_username", "cần tên bot (hoặc token để hỏi Telegram) để in đường dẫn"
        )
    from telegram import Bot

    async with Bot(
        config.telegram.token.reveal(),
        base_url=config.telegram.base_url,
        base_file_url=config.telegram.base_file_url,
    ) as bot:
        return bot.username


async def print_sheet(config: Config, args: argparse.Namespace) -> int:
    from datetime import datetime

    from bot import texts
    from bot.services.privacy import record_view
    from bot.sheets import card_sheet, label_sheet
    from db.connection import Database

    username = await bot_username(config)
    async with Database(config.database_path) as db:
        try:
            if args.command == "labels":
                pdf, count = await label_sheet(
                    db, config, username, first=args.first, last=args.last, kind=args.kind
                )
                what, default = "nhãn", "nhan-sach.pdf"
            else:
                now = datetime.now(config.library.timezone)
                pdf, count = await card_sheet(
                    db, config, username, now, class_name=args.class_name
                )
                what = "thẻ bạn đọc"
                default = f"the-ban-doc-{args.class_name or 'tat-ca'}.pdf"
                await record_view(
                    db,
                    now,
                    done_by=0,
                    via="cli",
                    action="cards",
                    detail=args.class_name or "",
                    actor=_cli_actor(),
                )
        except (LookupError, ValueError) as exc:
            print(exc, file=sys.stderr)
            return 1
    output = (args.output or Path.cwd() / default).resolve()
    output.write_bytes(pdf)
    print(texts.SHEET_WRITTEN.format(count=count, what=what, path=output))
    return 0


async def print_desk_qr(config: Config, output: Path | None) -> int:
    from bot import texts
    from bot.core.payloads import VISIT_PAYLOAD
    from bot.printing import render_desk_qr
    from bot.sheets import deep_link

    username = await bot_username(config)
    pdf = render_desk_qr(
        deep_link(username, VISIT_PAYLOAD),
        school=config.library.school or config.library.name,
        library=config.library.name,
    )
    path = (output or Path.cwd() / "ma-qr-luot-den-thu-vien.pdf").resolve()
    path.write_bytes(pdf)
    print(texts.DESK_QR_WRITTEN.format(path=path))
    return 0


async def export_book(config: Config, args: argparse.Namespace) -> int:
    from datetime import datetime

    from bot import texts
    from bot.register_years import (
        REGISTER_NAMES,
        capitalized,
        current_start_year,
        file_name,
        parse_school_year,
    )
    from bot.registers import export_register
    from bot.services.privacy import record_view
    from db.connection import Database

    if args.register not in REGISTER_NAMES:
        names = ", ".join(REGISTER_NAMES)
        print(texts.REGISTER_UNKNOWN.format(name=args.register, names=names), file=sys.stderr)
        return 2
    today = datetime.now(config.library.timezone).date()
    try:
        start = (
            parse_school_year(args.year)
            if args.year
            else current_start_year(config.calendar, today)
        )
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    output = (args.output or Path.cwd()).resolve()
    if output.is_dir():
        output /= file_name(args.register, start)
    async with Database(config.database_path) as db:
        try:
            result = await export_register(
                db, config, args.register, output, today=today, start_year=start
            )
        except OSError as exc:
            print(texts.REGISTER_CANNOT_WRITE.format(path=output, reason=exc), file=sys.stderr)
            return 1
        await record_view(
            db,
            datetime.now(config.library.timezone),
            done_by=0,
            via="cli",
            action="register",
            detail=f"{result.title.lower()} {result.year}",
            actor=_cli_actor(),
        )
    title = capitalized(result.title.lower())
    print(
        texts.REGISTER_WRITTEN.format(
            title=title, year=result.year, rows=result.lines, path=output
        )
    )
    return 0


def _cli_actor() -> str:
    """Who runs the command line, for the audit log (the server account's name)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


async def write_reader_data(config: Config, code: str, output: Path | None) -> int:
    from datetime import datetime

    from bot import texts
    from bot.privacy_document import held_data_file
    from bot.services import privacy
    from db.connection import Database

    now = datetime.now(config.library.timezone)
    async with Database(config.database_path) as db:
        data = await privacy.reader_data(db, code, now, done_by=0, via="cli", actor=_cli_actor())
    if data is None:
        print(texts.READER_CODE_UNKNOWN.format(code=code.strip()[:60]), file=sys.stderr)
        return 1
    path = (output or Path.cwd() / f"du-lieu-{data.reader['code']}.txt").resolve()
    try:
        path.write_bytes(held_data_file(data, config.library.timezone, now.date()))
    except OSError as exc:
        print(texts.REGISTER_CANNOT_WRITE.format(path=path, reason=exc), file=sys.stderr)
        return 1
    print(texts.READER_DATA_WRITTEN.format(name=data.reader["full_name"], path=path))
    return 0


async def forget_reader(config: Config, code: str, *, confirmed: bool) -> int:
    from datetime import datetime

    from bot import texts
    from bot.services import privacy
    from db.connection import Database

    async with Database(config.database_path) as db:
        reader = await privacy.find_any_reader(db, code)
        if reader is None:
            print(texts.READER_CODE_UNKNOWN.format(code=code.strip()[:60]), file=sys.stderr)
            return 1
        if not confirmed:
            try:
                answer = await asyncio.to_thread(
                    input, texts.FORGET_CLI_ASK.format(name=reader.full_name, code=reader.code)
                )
            except EOFError:
                answer = ""
            if answer.strip().casefold() not in ("xoa", "xóa"):
                print(texts.FORGET_CLI_NOT_CONFIRMED, file=sys.stderr)
                return 1
        now = datetime.now(config.library.timezone)
        outcome = await privacy.forget_checked(
            db, reader.id, now, done_by=0, via="cli", actor=_cli_actor()
        )
    if outcome.forgotten is not None:
        print(texts.FORGET_DONE.format(code=outcome.forgotten.code))
        if not outcome.forgotten.compacted:
            print(texts.FORGET_NOT_COMPACTED, file=sys.stderr)
        return 0
    if outcome.status.open_loans:
        message = texts.FORGET_OPEN_LOANS.format(
            name=reader.full_name, count=outcome.status.open_loans
        )
    else:
        message = texts.FORGET_ALREADY.format(code=reader.code)
    print(message, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
