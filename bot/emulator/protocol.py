"""Bot API request decoding and validation shared by the emulator's methods."""

from __future__ import annotations

import json
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from aiohttp import web

from bot.emulator.html_check import normalize_url

JSON = dict[str, Any]

MAX_CALLBACK_DATA_BYTES = 64

_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "reply_parameters",
        "link_preview_options",
        "scope",
        "commands",
        "allowed_updates",
        "menu_button",
        "media",
        "message_ids",
    }
)
_INT_FIELDS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "user_id",
        "offset",
        "limit",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "until_date",
    }
)
_BOOL_FIELDS = frozenset(
    {
        "disable_web_page_preview",
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "show_caption_above_media",
        "has_spoiler",
        "allow_paid_broadcast",
        "revoke_messages",
        "only_if_banned",
    }
)
_INLINE_ACTIONS = (
    "url",
    "callback_data",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "web_app",
    "pay",
    "callback_game",
    "copy_text",
)


class ApiError(Exception):
    """A Bot API failure answered as ``{"ok": false, "error_code", "description"}``."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> JSON:
        """Return the JSON body Telegram sends for this error."""
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(text: str) -> ApiError:
    """Return a 400 error with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {text}")


@dataclass(slots=True)
class Upload:
    """A file part of a multipart request."""

    file_name: str
    content_type: str
    data: bytes


class Params:
    """The parameters of one Bot API call, with form strings decoded to their JSON types."""

    __slots__ = ("files", "values")

    def __init__(self, values: dict[str, Any], files: dict[str, Upload]) -> None:
        self.files = files
        self.values: dict[str, Any] = {}
        for name, value in values.items():
            self.values[name] = _decode(name, value) if isinstance(value, str) else value

    def text(self, name: str) -> str | None:
        """Return a string parameter, None when absent."""
        value = self.values.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    def integer(self, name: str) -> int | None:
        """Return an integer parameter, None when absent; 400 when it is not a number."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad_request(f"{name} is invalid")
        return int(value)

    def number(self, name: str) -> float | None:
        """Return a numeric parameter as float, None when absent."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                raise bad_request(f"{name} is invalid") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad_request(f"{name} is invalid")
        return float(value)

    def flag(self, name: str) -> bool:
        """Return a boolean parameter (absent = False)."""
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def obj(self, name: str) -> Any:
        """Return a JSON-typed parameter as decoded."""
        return self.values.get(name)

    def file(self, name: str) -> Upload | str | None:
        """Return an input file: an uploaded part, or a file_id / URL string."""
        if name in self.files:
            return self.files[name]
        value = self.text(name)
        if value is not None and value.startswith("attach://"):
            upload = self.files.get(value[len("attach://") :])
            if upload is None:
                raise bad_request(f"wrong file identifier/HTTP URL specified ({value})")
            return upload
        return value

    def log_view(self) -> JSON:
        """Return the parameters for the call log, files shown by name and size."""
        view = dict(self.values)
        for name, upload in self.files.items():
            view[name] = {"file_name": upload.file_name, "size": len(upload.data)}
        return view


def _decode(name: str, value: str) -> Any:
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            if name == "reply_markup":
                raise bad_request("can't parse reply keyboard markup JSON object") from None
            raise bad_request(f"can't parse {name} JSON object") from None
    if name in _INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            return value
    if name == "timeout":
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            return value
    if name in _BOOL_FIELDS:
        return value.lower() in ("true", "1")
    return value


async def read_params(request: web.Request) -> Params:
    """Collect a call's parameters from the query string and a JSON, form or multipart body."""
    values: dict[str, Any] = dict(request.query)
    files: dict[str, Upload] = {}
    if request.method == "POST" and request.body_exists:
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON request body") from None
            if not isinstance(body, dict):
                raise bad_request("request body must be a JSON object")
            values.update(body)
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    files[name] = Upload(
                        value.filename or name,
                        value.content_type or "application/octet-stream",
                        value.file.read(),
                    )
                elif isinstance(value, bytes | bytearray):
                    values[name] = bytes(value).decode("utf-8", "replace")
                else:
                    values[name] = value
    return Params(values, files)


def check_reply_markup(markup: Any, *, inline_only: bool = False) -> JSON | None:
    """Validate a reply_markup like Telegram; return it, or None when absent."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
        return markup
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request("can't parse reply keyboard markup JSON object")
        for row in rows:
            for button in row:
                text = button if isinstance(button, str) else None
                if isinstance(button, dict):
                    text = button.get("text")
                if not isinstance(text, str) or not text.strip():
                    raise bad_request("keyboard button text must be non-empty")
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def _check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse inline keyboard markup JSON object")
    for row in rows:
        for button in row:
            if not isinstance(button, dict):
                raise bad_request("can't parse inline keyboard button: Object expected")
            text = button.get("text")
            if not isinstance(text, str):
                raise bad_request(
                    'can\'t parse inline keyboard button: Field "text" must be of type String'
                )
            if not text.strip():
                raise bad_request("BUTTON_TEXT_INVALID")
            if not any(action in button for action in _INLINE_ACTIONS):
                raise bad_request("text buttons are unallowed in the inline keyboard")
            if "callback_data" in button:
                data = button["callback_data"]
                if (
                    not isinstance(data, str)
                    or not data
                    or len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES
                ):
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button and (
                not isinstance(button["url"], str) or normalize_url(button["url"]) is None
            ):
                raise bad_request("BUTTON_URL_INVALID")


def inline_buttons(markup: JSON | None) -> list[JSON]:
    """Return the inline buttons of a reply_markup, row by row."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [button for row in markup["inline_keyboard"] for button in row]


def image_size(data: bytes) -> tuple[int, int, str] | None:
    """Return (width, height, format) of an image, None if the bytes are not one."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(data)) as image:
            width, height = image.size
            return width, height, (image.format or "JPEG").lower()
    except (UnidentifiedImageError, OSError, ValueError):
        return None
