"""Telegram's formatting rules for the emulator: HTML, MarkdownV2 and Markdown into entities."""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

Entity = dict[str, Any]

WHITESPACE = " \t\r\n\f\v"


class EntityParseError(ValueError):
    """A formatted text that Telegram refuses with "can't parse entities"."""


def utf16_len(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units, the unit of Telegram's offsets."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _char16(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode())


@dataclass(slots=True)
class _Open:
    """A tag or markup entity that was opened and waits for its end."""

    kind: str
    argument: str
    start16: int
    out_index: int
    begin: int


def _sorted(entities: list[Entity]) -> list[Entity]:
    """Drop entities nested in code blocks (Telegram does) and order them like Telegram."""
    blocks = [
        (e["offset"], e["offset"] + e["length"]) for e in entities if e["type"] in ("code", "pre")
    ]
    if blocks:
        entities = [
            e
            for e in entities
            if e["type"] in ("code", "pre")
            or not any(s <= e["offset"] and e["offset"] + e["length"] <= t for s, t in blocks)
        ]
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


# --- URLs ---------------------------------------------------------------------------------

_LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$")
_IPV4 = re.compile(r"^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$")
_USER_LINK = re.compile(r"^tg://user\?id=(\d{1,20})$", re.IGNORECASE)


def normalize_url(url: str) -> str | None:
    """Return the URL Telegram would accept for a link or a button, or None if it refuses it."""
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return None
    if "://" in url:
        scheme, rest = url.split("://", 1)
        scheme = scheme.lower()
    else:
        scheme, rest, url = "http", url, "http://" + url
    if scheme in ("tg", "ton", "tonsite"):
        return url if rest else None
    if scheme not in ("http", "https"):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port
    except ValueError:
        return None
    if not host:
        return None
    if _IPV4.match(host):
        return url
    labels = host.rstrip(".").split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return None
    tld = labels[-1]
    if not (tld.startswith("xn--") or (tld.isalpha() and len(tld) >= 2)):
        return None
    return url


def link_user_id(url: str) -> int | None:
    """Return the user id of a ``tg://user?id=`` link (a text mention), else None."""
    match = _USER_LINK.match(url.strip())
    return int(match.group(1)) if match else None


def _link_entity(url: str, start16: int, length: int) -> Entity | None:
    user_id = link_user_id(url)
    if user_id is not None:
        return {
            "type": "text_mention",
            "offset": start16,
            "length": length,
            "user": {"id": user_id},
        }
    checked = normalize_url(url)
    if checked is None:
        return None
    return {"type": "text_link", "offset": start16, "length": length, "url": checked}


# --- HTML ---------------------------------------------------------------------------------

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_SPECIAL = re.compile(r"[<&]")
_CHAR_REF = re.compile(r"&(?:(lt|gt|amp|quot)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _decode_reference(source: str, pos: int) -> tuple[str, int]:
    # Telegram keeps an unknown "&" literally, but its documentation requires escaping it:
    # refusing it here keeps a bot honest (its text then works on Telegram either way).
    match = _CHAR_REF.match(source, pos)
    if match is None:
        raise EntityParseError(
            f"Character '&' at byte offset {_byte_offset(source, pos)} is not part of a "
            "supported HTML entity and must be escaped as &amp;"
        )
    name, decimal, hexadecimal = match.groups()
    if name:
        return _NAMED[name], match.end()
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise EntityParseError(
            f"Invalid numeric character reference at byte offset {_byte_offset(source, pos)}"
        )
    return chr(code), match.end()


def _open_tag(source: str, begin: int) -> tuple[str, str, int]:
    """Parse a start tag at ``begin``; return (tag name, argument, index after '>')."""
    n = len(source)
    offset = _byte_offset(source, begin)
    i = begin + 1
    while i < n and not source[i].isspace() and source[i] != ">":
        i += 1
    if i >= n:
        raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
    name = source[begin + 1 : i].lower()
    if name not in _HTML_TAGS:
        raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
    argument = ""
    while True:
        while i < n and source[i].isspace():
            i += 1
        if i >= n:
            raise EntityParseError(f'Unclosed start tag "{name}" at byte offset {offset}')
        if source[i] == ">":
            return name, argument, i + 1
        attr_begin = i
        while i < n and not source[i].isspace() and source[i] not in "=>":
            i += 1
        attribute = source[attr_begin:i].lower()
        if not attribute:
            raise EntityParseError(
                f'Empty attribute name in the tag "{name}" at byte offset {offset}'
            )
        while i < n and source[i].isspace():
            i += 1
        if i < n and source[i] != "=":
            if name == "blockquote" and attribute == "expandable":
                argument = "expandable"
                continue
            raise EntityParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{name}" at byte offset {offset}'
            )
        i += 1
        while i < n and source[i].isspace():
            i += 1
        if i >= n:
            raise EntityParseError(f'Unclosed start tag "{name}" at byte offset {offset}')
        if source[i] in "'\"":
            quote = source[i]
            i += 1
            chars: list[str] = []
            while i < n and source[i] != quote:
                if source[i] == "&":
                    ch, i = _decode_reference(source, i)
                    chars.append(ch)
                    continue
                chars.append(source[i])
                i += 1
            if i >= n:
                raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
            i += 1
            value = "".join(chars)
        else:
            token_begin = i
            while i < n and ((source[i].isascii() and source[i].isalnum()) or source[i] in ".-"):
                i += 1
            value = source[token_begin:i].lower()
            if i < n and not source[i].isspace() and source[i] != ">":
                raise EntityParseError(
                    f"Unexpected end of name token at byte offset {_byte_offset(source, i)}"
                )
        if name == "a" and attribute == "href":
            argument = value
        elif name == "code" and attribute == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif name == "span" and attribute == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif name == "tg-emoji" and attribute == "emoji-id":
            argument = value
        elif name == "blockquote" and attribute == "expandable":
            argument = "expandable"


def _close_entity(top: _Open, end16: int, inner: str, entities: list[Entity]) -> None:
    length = end16 - top.start16
    if length <= 0:
        return
    kind = _HTML_TAGS.get(top.kind, top.kind)
    if kind == "text_link":
        link = _link_entity(top.argument or inner, top.start16, length)
        if link is not None:
            entities.append(link)
        return
    if kind == "pre":
        last = entities[-1] if entities else None
        if (
            last is not None
            and last["type"] == "code"
            and last["offset"] == top.start16
            and last["length"] == length
            and last.get("language")
        ):
            entities[-1] = {"type": "pre", "offset": top.start16, "length": length}
            entities[-1]["language"] = last["language"]
        else:
            entities.append({"type": "pre", "offset": top.start16, "length": length})
        return
    entity: Entity = {"type": kind, "offset": top.start16, "length": length}
    if kind == "code" and top.argument:
        entity["language"] = top.argument
    elif kind == "blockquote" and top.argument:
        entity["type"] = "expandable_blockquote"
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = top.argument
    entities.append(entity)


def parse_html(source: str) -> tuple[str, list[Entity]]:
    """Parse Telegram's HTML into (plain text, entities); raise EntityParseError like Telegram."""
    out: list[str] = []
    entities: list[Entity] = []
    stack: list[_Open] = []
    pos16 = 0
    i = 0
    n = len(source)
    while i < n:
        match = _SPECIAL.search(source, i)
        stop = n if match is None else match.start()
        if stop > i:
            chunk = source[i:stop]
            out.append(chunk)
            pos16 += utf16_len(chunk)
        if match is None:
            break
        if source[stop] == "&":
            ch, i = _decode_reference(source, stop)
            out.append(ch)
            pos16 += _char16(ch)
            continue
        offset = _byte_offset(source, stop)
        if stop + 1 < n and source[stop + 1] == "/":
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {offset}")
            j = stop + 2
            while j < n and not source[j].isspace() and source[j] != ">":
                j += 1
            end_name = source[stop + 2 : j].lower()
            while j < n and source[j].isspace():
                j += 1
            if j >= n or source[j] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {offset}")
            top = stack.pop()
            if end_name and end_name != top.kind:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {offset}, expected "</{top.kind}>", '
                    f'found "</{end_name}>"'
                )
            inner = "".join(out[top.out_index :]) if top.kind == "a" and not top.argument else ""
            _close_entity(top, pos16, inner, entities)
            i = j + 1
            continue
        name, argument, i = _open_tag(source, stop)
        if name == "span" and argument != "spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {offset}'
            )
        if name == "tg-emoji" and not argument.isdigit():
            raise EntityParseError(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset}'
            )
        stack.append(_Open(name, argument, pos16, len(out), stop))
    if stack:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1].kind}"'
        )
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return "".join(out), _sorted(entities)


# --- MarkdownV2 and Markdown --------------------------------------------------------------

_MDV2_RESERVED = "_*[]()~`>#+-=|{}.!"
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}
_EMOJI_LINK = re.compile(r"^tg://emoji\?id=(\d+)$")


def _reserved(ch: str) -> EntityParseError:
    return EntityParseError(
        f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
    )


def _is_escapable(source: str, i: int) -> bool:
    return i + 1 < len(source) and 0 < ord(source[i + 1]) <= 126


def _skip_pre_start(source: str, i: int) -> tuple[int, str]:
    """Read an optional language and one line break after an opening ``` at ``i``."""
    n = len(source)
    language = ""
    end = i
    while end < n and not source[end].isspace() and source[end] != "`":
        end += 1
    if end != i and end < n and source[end] != "`":
        language = source[i:end]
        i = end
    if i < n and source[i] in "\r\n":
        if i + 1 < n and source[i + 1] in "\r\n" and source[i] != source[i + 1]:
            i += 2
        else:
            i += 1
    return i, language


def _is_mdv2_end(kind: str, source: str, i: int) -> bool:
    ch = source[i]
    nxt = source[i + 1 : i + 2]
    if kind == "bold":
        return ch == "*"
    if kind == "italic":
        return ch == "_" and nxt != "_"
    if kind == "underline":
        return ch == "_" and nxt == "_"
    if kind == "strikethrough":
        return ch == "~"
    if kind == "spoiler":
        return ch == "|" and nxt == "|"
    if kind == "code":
        return ch == "`"
    if kind == "pre":
        return source.startswith("```", i)
    return ch == "]"


def parse_markdown_v2(source: str) -> tuple[str, list[Entity]]:
    """Parse MarkdownV2 into (plain text, entities); raise EntityParseError like Telegram."""
    out: list[str] = []
    entities: list[Entity] = []
    stack: list[_Open] = []
    quote_start: int | None = None
    pos16 = 0
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "\\" and _is_escapable(source, i):
            out.append(source[i + 1])
            pos16 += 1
            i += 2
            continue
        if ch == ">" and not stack and (i == 0 or source[i - 1] == "\n"):
            if quote_start is None:
                quote_start = pos16
            i += 1
            continue
        if ch == "\n" and quote_start is not None and not source.startswith(">", i + 1):
            if pos16 > quote_start:
                entities.append(
                    {"type": "blockquote", "offset": quote_start, "length": pos16 - quote_start}
                )
            quote_start = None
        in_code = bool(stack) and stack[-1].kind in ("code", "pre")
        if ch not in ("`" if in_code else _MDV2_RESERVED):
            out.append(ch)
            pos16 += _char16(ch)
            i += 1
            continue
        if not stack or not _is_mdv2_end(stack[-1].kind, source, i):
            begin = i
            nxt = source[i + 1 : i + 2]
            argument = ""
            if ch == "_":
                kind = "underline" if nxt == "_" else "italic"
                i += 1 if nxt == "_" else 0
            elif ch == "*":
                kind = "bold"
            elif ch == "~":
                kind = "strikethrough"
            elif ch == "|" and nxt == "|":
                kind = "spoiler"
                i += 1
            elif ch == "[":
                kind = "text_link"
            elif ch == "`" and source.startswith("```", i):
                kind = "pre"
                i, argument = _skip_pre_start(source, i + 3)
                i -= 1
            elif ch == "`":
                kind = "code"
            elif ch == "!" and nxt == "[":
                kind = "custom_emoji"
                i += 1
            else:
                raise _reserved(ch)
            stack.append(_Open(kind, argument, pos16, len(out), begin))
            i += 1
            continue
        top = stack.pop()
        if top.kind in ("underline", "spoiler"):
            i += 1
        elif top.kind == "pre":
            i += 2
        elif top.kind in ("text_link", "custom_emoji"):
            url = "".join(out[top.out_index :])
            if source.startswith("(", i + 1):
                i += 2
                url_begin = i
                chars: list[str] = []
                while i < n and source[i] != ")":
                    if source[i] == "\\" and _is_escapable(source, i):
                        chars.append(source[i + 1])
                        i += 2
                        continue
                    chars.append(source[i])
                    i += 1
                if i >= n:
                    raise EntityParseError(
                        f"Can't find end of a URL at byte offset {_byte_offset(source, url_begin)}"
                    )
                url = "".join(chars)
            elif top.kind == "custom_emoji":
                raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
            top.argument = url
        length = pos16 - top.start16
        if length > 0:
            if top.kind == "text_link":
                link = _link_entity(top.argument, top.start16, length)
                if link is not None:
                    entities.append(link)
            elif top.kind == "custom_emoji":
                emoji = _EMOJI_LINK.match(top.argument)
                if emoji is None:
                    raise EntityParseError("Custom emoji URL must have an emoji identifier")
                entities.append(
                    {
                        "type": "custom_emoji",
                        "offset": top.start16,
                        "length": length,
                        "custom_emoji_id": emoji.group(1),
                    }
                )
            else:
                entity: Entity = {"type": top.kind, "offset": top.start16, "length": length}
                if top.kind == "pre" and top.argument:
                    entity["language"] = top.argument
                entities.append(entity)
        i += 1
    if stack:
        top = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_MDV2_NAMES[top.kind]} entity at byte offset "
            f"{_byte_offset(source, top.begin)}"
        )
    if quote_start is not None and pos16 > quote_start:
        entities.append(
            {"type": "blockquote", "offset": quote_start, "length": pos16 - quote_start}
        )
    return "".join(out), _sorted(entities)


def parse_markdown(source: str) -> tuple[str, list[Entity]]:
    """Parse legacy Markdown into (plain text, entities); raise EntityParseError like Telegram."""
    out: list[str] = []
    entities: list[Entity] = []
    pos16 = 0
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "\\" and i + 1 < n and source[i + 1] in "_*`[":
            out.append(source[i + 1])
            pos16 += 1
            i += 2
            continue
        if ch not in "_*`[":
            out.append(ch)
            pos16 += _char16(ch)
            i += 1
            continue
        begin = i
        end_char = "]" if ch == "[" else ch
        is_pre = False
        language = ""
        i += 1
        if ch == "`" and source.startswith("``", i):
            is_pre = True
            i, language = _skip_pre_start(source, i + 2)
        start16 = pos16
        start_index = len(out)
        while i < n and (source[i] != end_char or (is_pre and not source.startswith("``", i + 1))):
            out.append(source[i])
            pos16 += _char16(source[i])
            i += 1
        if i >= n:
            raise EntityParseError(
                "Can't find end of the entity starting at byte offset "
                f"{_byte_offset(source, begin)}"
            )
        length = pos16 - start16
        if length > 0:
            if ch == "[":
                url = "".join(out[start_index:])
                if source.startswith("(", i + 1):
                    close = source.find(")", i + 2)
                    url = source[i + 2 : close] if close >= 0 else source[i + 2 :]
                    i = close if close >= 0 else n - 1
                link = _link_entity(url, start16, length)
                if link is not None:
                    entities.append(link)
            elif ch == "`":
                entity: Entity = {"type": "pre" if is_pre else "code", "offset": start16}
                entity["length"] = length
                if language:
                    entity["language"] = language
                entities.append(entity)
            else:
                kind = "italic" if ch == "_" else "bold"
                entities.append({"type": kind, "offset": start16, "length": length})
        if is_pre:
            i += 2
        i += 1
    return "".join(out), _sorted(entities)


def parse_text(text: str, parse_mode: str | None) -> tuple[str, list[Entity]]:
    """Parse ``text`` with a Bot API parse_mode; raise ValueError for an unknown mode."""
    if not parse_mode:
        return text, []
    mode = parse_mode.lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown(text)
    raise ValueError(f"unsupported parse_mode {parse_mode!r}")


def trim_text(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Strip surrounding whitespace like Telegram and move or clip the entities to match."""
    stripped = text.strip(WHITESPACE)
    if stripped == text:
        return text, entities
    if not stripped:
        return "", []
    lead = len(text) - len(text.lstrip(WHITESPACE))
    size = utf16_len(stripped)
    moved: list[Entity] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, size)
        if end > start:
            moved.append({**entity, "offset": start, "length": end - start})
    return stripped, moved


# --- entities a client detects by itself ----------------------------------------------------

_TLDS = (
    "com|net|org|edu|gov|vn|io|me|info|app|dev|ru|uk|de|fr|jp|us|co|ai|xyz|online|site|store"
    "|tech|ly|to|tv|cc|biz|int|eu|asia|page|link|news|blog|school"
)
_URL = re.compile(
    r"(?<![\w@./:-])(?:(?:https?|tg|ton)://[^\s<>\"]+"
    rf"|(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})\b(?:[/?#][^\s<>\"]*)?)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}\b")
_COMMAND = re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}(?![\w@])")
_HASHTAG = re.compile(r"(?<![\w#])#\w*[^\W\d_]\w*")
_DETECTORS = (
    ("url", _URL),
    ("email", _EMAIL),
    ("bot_command", _COMMAND),
    ("mention", _MENTION),
    ("hashtag", _HASHTAG),
)
_TRAILING = ".,;:!?)]'\""
_OPAQUE = frozenset(
    {"code", "pre", "text_link", "text_mention", "custom_emoji", "url", "email", "bot_command"}
)


def find_entities(text: str, existing: list[Entity] | None = None) -> list[Entity]:
    """Return ``existing`` plus the url, email, command, mention and hashtag entities found."""
    existing = existing or []
    if not any(c in text for c in "./@#"):
        return list(existing)
    astral = not text.isascii() and utf16_len(text) != len(text)

    def to16(index: int) -> int:
        return utf16_len(text[:index]) if astral else index

    taken: list[tuple[int, int]] = [
        (e["offset"], e["offset"] + e["length"]) for e in existing if e["type"] in _OPAQUE
    ]
    found: list[Entity] = list(existing)
    for kind, pattern in _DETECTORS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if kind == "url":
                while end > start and text[end - 1] in _TRAILING:
                    end -= 1
            start16, end16 = to16(start), to16(end)
            if end16 <= start16 or any(s < end16 and start16 < t for s, t in taken):
                continue
            taken.append((start16, end16))
            found.append({"type": kind, "offset": start16, "length": end16 - start16})
    return sorted(found, key=lambda e: (e["offset"], -e["length"]))


def check_entities(text: str, entities: Any) -> list[Entity]:
    """Validate explicit ``entities``/``caption_entities``; drop what Telegram would drop."""
    if not isinstance(entities, list):
        raise EntityParseError('Field "entities" must be an Array')
    size = utf16_len(text)
    kept: list[Entity] = []
    for raw in entities:
        if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
            raise EntityParseError('Field "type" must be of type String')
        offset, length = raw.get("offset"), raw.get("length")
        if not isinstance(offset, int) or not isinstance(length, int):
            raise EntityParseError('Field "offset" and "length" must be of type Number')
        end = min(offset + length, size)
        if offset < 0 or end <= offset:
            continue
        entity = {**raw, "length": end - offset}
        if entity["type"] == "text_link":
            url = normalize_url(str(entity.get("url", "")))
            if url is None:
                continue
            entity["url"] = url
        kept.append(entity)
    return _sorted(kept)


# --- back to HTML, for the demo page -------------------------------------------------------

_SIMPLE_TAGS = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "spoiler": ('<span class="tg-spoiler">', "</span>"),
    "code": ("<code>", "</code>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ("<blockquote expandable>", "</blockquote>"),
    "bot_command": ('<span class="tg-bot-command">', "</span>"),
    "mention": ('<span class="tg-mention">', "</span>"),
    "hashtag": ('<span class="tg-hashtag">', "</span>"),
}
_SAFE_HREF = re.compile(r"^(https?|tg|ton|mailto):", re.IGNORECASE)


def _tags(entity: Entity, inner: str) -> tuple[str, str] | None:
    kind = entity["type"]
    if kind in _SIMPLE_TAGS:
        return _SIMPLE_TAGS[kind]
    if kind == "pre":
        language = entity.get("language")
        if language:
            return f'<pre><code class="language-{html.escape(language)}">', "</code></pre>"
        return "<pre>", "</pre>"
    href: str | None = None
    if kind == "text_link":
        href = str(entity.get("url", ""))
    elif kind == "url":
        href = inner if "://" in inner else "http://" + inner
    elif kind == "email":
        href = "mailto:" + inner
    elif kind == "text_mention":
        href = f"tg://user?id={entity.get('user', {}).get('id', 0)}"
    if href is None or not _SAFE_HREF.match(href):
        return None
    return f'<a href="{html.escape(href)}">', "</a>"


def entities_to_html(text: str, entities: list[Entity] | None) -> str:
    """Render text and entities as safe HTML (Telegram's tag set) for a web page."""
    if not entities:
        return html.escape(text, quote=False)
    if text.isascii() or utf16_len(text) == len(text):

        def index(offset16: int) -> int:
            return min(max(offset16, 0), len(text))

    else:
        starts: list[int] = []
        position = 0
        for ch in text:
            starts.append(position)
            position += _char16(ch)

        def index(offset16: int) -> int:
            return bisect_left(starts, offset16)

    spans: list[tuple[int, int, str, str]] = []
    for entity in entities:
        start = index(entity["offset"])
        end = index(entity["offset"] + entity["length"])
        tags = _tags(entity, text[start:end]) if end > start else None
        if tags is not None:
            spans.append((start, end, *tags))
    opens: defaultdict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        opens[span[0]].append(span)
    points = sorted({0, len(text)} | {p for s in spans for p in (s[0], s[1])})
    out: list[str] = []
    stack: list[tuple[int, int, str, str]] = []
    previous = 0
    for point in points:
        out.append(html.escape(text[previous:point], quote=False))
        previous = point
        reopen: list[tuple[int, int, str, str]] = []
        while any(s[1] <= point for s in stack):
            span = stack.pop()
            out.append(span[3])
            if span[1] > point:
                reopen.append(span)
        for span in reversed(reopen):
            out.append(span[2])
            stack.append(span)
        for span in opens.get(point, ()):
            out.append(span[2])
            stack.append(span)
    while stack:
        out.append(stack.pop()[3])
    return "".join(out)
