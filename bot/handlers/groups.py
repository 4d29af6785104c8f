"""Class and team groups: the bot joins, a homeroom teacher or the librarian registers it."""

import html
import logging
import re

from telegram import ChatMember, ChatMemberUpdated, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, ChatMemberHandler, CommandHandler, MessageHandler, filters

from bot import texts
from bot.context import BotContext
from bot.core.class_list import normalize_class
from bot.core.roles import Action, Identity, Role, may, roles_of
from bot.core.textfold import fold
from db import groups

log = logging.getLogger(__name__)

GROUP_CHATS = (ChatType.GROUP, ChatType.SUPERGROUP)
GRADES = range(6, 10)
# Only this much of what someone typed is echoed back.
ECHO_LENGTH = 20


def school_class(value: str) -> tuple[str, int] | None:
    """Return ("6A", 6) for a class of this lower-secondary school, None for anything else."""
    name = normalize_class(value)
    grade = re.match(r"\d+", name) if name else None
    if name is None or grade is None or int(grade[0]) not in GRADES:
        return None
    return name, int(grade[0])


def _heads(identity: Identity, class_name: str) -> bool:
    """Whether the identity is the homeroom teacher of class_name."""
    own = normalize_class(identity.homeroom_class) if identity.homeroom_class else None
    return own is not None and own.upper() == class_name.upper()


def may_manage(identity: Identity, group: groups.ChatGroup) -> bool:
    """Whether the person may change what a group is registered as, or undo it."""
    if Role.LIBRARIAN in roles_of(identity):
        return True
    return (
        group.kind == groups.CLASS
        and may(identity, Action.REGISTER_CLASS_GROUP)
        and _heads(identity, group.class_name)
    )


def _is_in(member: ChatMember) -> bool:
    if member.status == ChatMember.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER)


async def _in_group(update: Update) -> bool:
    """Answer a group-only command sent elsewhere; True when the chat is a group."""
    chat = update.effective_chat
    message = update.effective_message
    if chat is not None and chat.type in GROUP_CHATS:
        return True
    if message is not None:
        await message.reply_text(texts.GROUP_ONLY)
    return False


async def _allowed_to_replace(update: Update, context: BotContext, identity: Identity) -> bool:
    """Refuse to overwrite a registration the person could not have made themselves."""
    chat = update.effective_chat
    assert chat is not None
    current = await groups.get_group(context.db, chat.id)
    if current is not None and not may_manage(identity, current):
        await context.refuse(update, "replace_group_registration")
        return False
    return True


async def register_class(update: Update, context: BotContext) -> None:
    """Register this group as the group of a class (its homeroom teacher or the librarian)."""
    message = update.effective_message
    assert message is not None
    if not await _in_group(update):
        return
    identity = await context.identity(update)
    if not may(identity, Action.REGISTER_CLASS_GROUP):
        await context.refuse(update, "register_class_group")
        return
    if len(context.args or []) != 1:
        await message.reply_text(texts.GROUP_CLASS_USAGE)
        return
    value = (context.args or [""])[0]
    found = school_class(value)
    if found is None:
        await message.reply_text(
            texts.GROUP_BAD_CLASS.format(value=html.escape(value[:ECHO_LENGTH]))
        )
        return
    class_name, grade = found
    librarian = Role.LIBRARIAN in roles_of(identity)
    if not librarian and not _heads(identity, class_name):
        await context.refuse(update, "register_class_group_of_other_class")
        return
    if not await _allowed_to_replace(update, context, identity):
        return
    await groups.register_group(
        context.db,
        chat_id=message.chat.id,
        kind=groups.CLASS,
        class_name=class_name,
        grade=grade,
        title=message.chat.title or "",
        registered_by=identity.user_id,
        now=context.now(),
    )
    log.info(
        "group %s registered as class %s by %s", message.chat.id, class_name, identity.user_id
    )
    await message.reply_text(texts.GROUP_REGISTERED_CLASS.format(class_name=class_name))


async def register_team(update: Update, context: BotContext) -> None:
    """Register this group as the collaborator team's group (the librarian only)."""
    message = update.effective_message
    assert message is not None
    if not await _in_group(update):
        return
    identity = await context.identity(update)
    if not may(identity, Action.REGISTER_TEAM_GROUP):
        await context.refuse(update, "register_team_group")
        return
    args = context.args or []
    if len(args) != 1 or fold(args[0]) not in texts.GROUP_TEAM_NAMES:
        await message.reply_text(texts.GROUP_TEAM_USAGE)
        return
    await groups.register_group(
        context.db,
        chat_id=message.chat.id,
        kind=groups.TEAM,
        title=message.chat.title or "",
        registered_by=identity.user_id,
        now=context.now(),
    )
    log.info("group %s registered as the team by %s", message.chat.id, identity.user_id)
    await message.reply_text(texts.GROUP_REGISTERED_TEAM)


async def unregister(update: Update, context: BotContext) -> None:
    """Undo this group's registration (who could have made it only)."""
    message = update.effective_message
    assert message is not None
    if not await _in_group(update):
        return
    identity = await context.identity(update)
    if not (
        may(identity, Action.REGISTER_CLASS_GROUP) or may(identity, Action.REGISTER_TEAM_GROUP)
    ):
        await context.refuse(update, "unregister_group")
        return
    current = await groups.get_group(context.db, message.chat.id)
    if current is None:
        await message.reply_text(texts.GROUP_NOT_REGISTERED)
        return
    if not may_manage(identity, current):
        await context.refuse(update, "unregister_group")
        return
    await groups.unregister_group(context.db, message.chat.id)
    log.info("group %s unregistered by %s", message.chat.id, identity.user_id)
    await message.reply_text(texts.GROUP_UNREGISTERED)


async def membership_changed(update: Update, context: BotContext) -> None:
    """Greet a group that added the bot; stop posting to one that removed it."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None or change.chat.type not in GROUP_CHATS:
        return
    was_in = _is_in(change.old_chat_member)
    now_in = _is_in(change.new_chat_member)
    if now_in and not was_in:
        log.info("added to group %s by %s", change.chat.id, change.from_user.id)
        await context.bot.send_message(
            change.chat.id, texts.GROUP_HELLO.format(library=context.config.library.name)
        )
    elif was_in and not now_in and await groups.set_active(context.db, change.chat.id, False):
        log.info("removed from registered group %s: its posts stop", change.chat.id)


async def chat_migrated(update: Update, context: BotContext) -> None:
    """Keep a group's registration when it becomes a supergroup with a new id."""
    message = update.effective_message
    assert message is not None
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    if await groups.migrate_group(context.db, old, new):
        log.info("group %s became supergroup %s: registration moved", old, new)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("dangkylop", register_class),
        CommandHandler("dangkynhom", register_team),
        CommandHandler("huydangky", unregister),
        ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, chat_migrated),
    ]
