"""Linking a chat account to a reader with a one-time token, and librarians managing roles."""

import html
import io
import logging
from datetime import timedelta

import qrcode
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import texts
from bot.context import BotContext
from bot.core.roles import Action, Role, may
from db import accounts, readers

log = logging.getLogger(__name__)


def class_part(class_name: str) -> str:
    return f" ({html.escape(class_name)})" if class_name else ""


async def link_account(update: Update, context: BotContext, token: str) -> None:
    """Spend a link token from a reader card or from the librarian."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    account_id = await accounts.touch_account(context.db, user.id, message.chat.id, user.full_name)
    result = await accounts.link_with_token(
        context.db,
        token,
        account_id,
        context.now(),
        require_parent_consent=context.config.privacy.require_parent_consent,
    )
    if result.outcome is not accounts.LinkOutcome.LINKED:
        log.warning("link refused for user %s: %s", user.id, result.outcome)
        await message.reply_text(texts.LINK_REFUSED[result.outcome.value])
        return
    log.info("user %s linked to reader %s", user.id, result.reader_id)
    await message.reply_text(
        texts.LINKED.format(
            name=html.escape(result.reader_name), class_part=class_part(result.class_name)
        )
    )
    await context.refresh_command_menu(user.id)


async def issue_link(update: Update, context: BotContext) -> None:
    """Give the librarian a fresh link for a reader, as text and as a QR code."""
    message = update.effective_message
    identity = await context.identity(update)
    assert message is not None
    if not may(identity, Action.ISSUE_LINK):
        await context.refuse(update, "issue_link")
        return
    if not context.args:
        await message.reply_text(texts.LINK_ASK)
        return
    query = " ".join(context.args)
    reader = await readers.find_reader_by_code(context.db, query, include_left=True)
    if reader is None:
        await message.reply_text(texts.READER_NOT_FOUND.format(query=html.escape(query[:60])))
        return
    if reader.left_on is not None:
        await message.reply_text(
            texts.YEAR_TURN_LINK_ISSUE_LEFT.format(name=html.escape(reader.full_name))
        )
        return
    token = await accounts.issue_link_token(
        context.db,
        reader.id,
        context.now(),
        timedelta(days=context.config.accounts.link_token_days),
    )
    link = context.deep_link(f"link_{token.token}")
    caption = texts.LINK_ISSUED.format(
        name=html.escape(reader.full_name),
        class_part=class_part(reader.class_name),
        expires=texts.format_date(token.expires_at.astimezone(context.config.library.timezone)),
        link=link,
    )
    image = io.BytesIO()
    qrcode.make(link, border=2).save(image, format="PNG")
    await message.reply_photo(image.getvalue(), caption=caption)


async def manage_roles(update: Update, context: BotContext) -> None:
    """Grant or remove the teacher, collaborator or principal role: /quyen them|bo CODE ROLE."""
    message = update.effective_message
    identity = await context.identity(update)
    assert message is not None
    if not may(identity, Action.MANAGE_ROLES):
        await context.refuse(update, "manage_roles")
        return
    args = context.args or []
    if len(args) != 3 or args[0] not in ("them", "bo") or args[2] not in texts.ROLE_ARGS:
        await message.reply_text(texts.ROLES_USAGE)
        return
    verb, code, role_arg = args
    role = Role(texts.ROLE_ARGS[role_arg])
    reader = await readers.find_reader_by_code(context.db, code)
    if reader is None:
        await message.reply_text(texts.READER_NOT_FOUND.format(query=html.escape(code[:60])))
        return
    name = html.escape(reader.full_name)
    account = await accounts.account_of_reader(context.db, reader.id)
    if account is None:
        await message.reply_text(texts.READER_NOT_LINKED.format(name=name))
        return
    role_name = texts.ROLE_NAMES[role.value]
    if verb == "them":
        changed = await accounts.grant_role(context.db, account.id, role.value, identity.user_id)
        template = texts.ROLE_GRANTED if changed else texts.ROLE_ALREADY
    else:
        changed = await accounts.revoke_role(context.db, account.id, role.value)
        template = texts.ROLE_REVOKED if changed else texts.ROLE_MISSING
    log.info("user %s %s role %s of reader %s", identity.user_id, verb, role, reader.id)
    await message.reply_text(template.format(role=role_name, name=name))
    if changed:
        await context.refresh_command_menu(account.user_id)


def handlers() -> list[BaseHandler]:
    return [CommandHandler("lienket", issue_link), CommandHandler("quyen", manage_roles)]
