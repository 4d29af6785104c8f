"""Who the bot is talking to, and so how it addresses them: the librarian, a reader, a stranger."""

from dataclasses import dataclass
from enum import StrEnum

from bot.core.roles import Identity, Role, roles_of
from bot.core.wording import form_of_address, given_name
from db import readers
from db.connection import Database


class Listener(StrEnum):
    """The voice a text takes for the person reading it."""

    LIBRARIAN = "librarian"
    STUDENT = "student"
    STAFF = "staff"
    STRANGER = "stranger"


@dataclass(frozen=True)
class Voice:
    """How to speak to one person: as whom, the form of address ("" for none), their name."""

    listener: Listener
    form: str
    name: str


async def voice_of(
    db: Database, identity: Identity, chat_name: str, librarian_address: str
) -> Voice:
    """The voice for this person: a reader by their card, the librarian as configured.

    chat_name is the name their chat account shows, used when no reader card names them.
    """
    reader = await readers.get_reader(db, identity.reader_id) if identity.reader_id else None
    if Role.LIBRARIAN in roles_of(identity):
        full = reader.full_name if reader else chat_name
        # With a form of address she is "cô Lan"; without one, her name as she wrote it.
        name = given_name(full) if librarian_address else full
        return Voice(Listener.LIBRARIAN, librarian_address, name)
    if reader is None:
        return Voice(Listener.STRANGER, "", chat_name)
    listener = Listener.STUDENT if reader.category == "student" else Listener.STAFF
    return Voice(
        listener, form_of_address(reader.category, reader.gender), given_name(reader.full_name)
    )
