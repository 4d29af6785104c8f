"""Who may do what: roles derived from the reader record, grants and the config's librarians."""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a person is to the library."""

    STUDENT = "student"
    TEACHER = "teacher"
    HOMEROOM = "homeroom"
    LIBRARIAN = "librarian"
    COLLABORATOR = "collaborator"
    PRINCIPAL = "principal"


class Action(StrEnum):
    """Things the bot does on someone's behalf, each checked on the server."""

    BORROW = "borrow"
    APPROVE = "approve"
    DESK = "desk"
    MANAGE_ROLES = "manage_roles"
    ISSUE_LINK = "issue_link"
    RECALL_LIST = "recall_list"
    REGISTER_CLASS_GROUP = "register_class_group"
    REGISTER_TEAM_GROUP = "register_team_group"
    # feature-actions: reminders
    CAMPAIGNS = "campaigns"
    BROADCAST = "broadcast"
    MANAGE_TEAM = "manage_team"
    SEE_TEAM = "see_team"
    ANSWER_MEETING = "answer_meeting"
    COUNT_VISITS = "count_visits"
    REPORTS = "reports"
    EXPORT_REGISTERS = "export_registers"
    INVENTORY = "inventory"
    SUGGEST_BOOK = "suggest_book"
    REVIEW_SUGGESTIONS = "review_suggestions"
    RECORD_DONATIONS = "record_donations"
    ROTATION = "rotation"
    YEAR_TURN = "year_turn"
    RECORD_CONSENT = "record_consent"
    READER_DATA = "reader_data"
    FORGET_READER = "forget_reader"
    READ_AUDIT = "read_audit"


GRANTABLE_ROLES = (Role.TEACHER, Role.COLLABORATOR, Role.PRINCIPAL)

_ALLOWED: dict[Action, frozenset[Role]] = {
    Action.BORROW: frozenset({Role.STUDENT, Role.TEACHER, Role.HOMEROOM, Role.LIBRARIAN}),
    Action.APPROVE: frozenset({Role.LIBRARIAN}),
    Action.DESK: frozenset({Role.LIBRARIAN}),
    Action.MANAGE_ROLES: frozenset({Role.LIBRARIAN}),
    Action.ISSUE_LINK: frozenset({Role.LIBRARIAN}),
    Action.RECALL_LIST: frozenset({Role.LIBRARIAN, Role.PRINCIPAL}),
    Action.REGISTER_CLASS_GROUP: frozenset({Role.LIBRARIAN, Role.HOMEROOM}),
    Action.REGISTER_TEAM_GROUP: frozenset({Role.LIBRARIAN}),
    # feature-allowed: reminders
    Action.CAMPAIGNS: frozenset({Role.LIBRARIAN}),
    Action.BROADCAST: frozenset({Role.LIBRARIAN}),
    Action.MANAGE_TEAM: frozenset({Role.LIBRARIAN}),
    Action.SEE_TEAM: frozenset({Role.LIBRARIAN, Role.COLLABORATOR}),
    Action.ANSWER_MEETING: frozenset({Role.COLLABORATOR}),
    Action.COUNT_VISITS: frozenset({Role.LIBRARIAN}),
    Action.REPORTS: frozenset({Role.LIBRARIAN, Role.PRINCIPAL}),
    Action.EXPORT_REGISTERS: frozenset({Role.LIBRARIAN}),
    Action.INVENTORY: frozenset({Role.LIBRARIAN}),
    Action.SUGGEST_BOOK: frozenset({Role.STUDENT, Role.TEACHER, Role.HOMEROOM}),
    Action.REVIEW_SUGGESTIONS: frozenset({Role.LIBRARIAN}),
    Action.RECORD_DONATIONS: frozenset({Role.LIBRARIAN}),
    Action.ROTATION: frozenset({Role.LIBRARIAN}),
    Action.YEAR_TURN: frozenset({Role.LIBRARIAN}),
    Action.RECORD_CONSENT: frozenset({Role.LIBRARIAN, Role.HOMEROOM}),
    Action.READER_DATA: frozenset({Role.LIBRARIAN}),
    Action.FORGET_READER: frozenset({Role.LIBRARIAN}),
    Action.READ_AUDIT: frozenset({Role.LIBRARIAN, Role.PRINCIPAL}),
}


@dataclass(frozen=True)
class Identity:
    """Everything the server knows about the person behind an update."""

    user_id: int
    account_id: int | None = None
    reader_id: int | None = None
    reader_name: str = ""
    category: str | None = None
    class_name: str = ""
    homeroom_class: str = ""
    granted: frozenset[str] = frozenset()
    config_librarian: bool = False


def roles_of(identity: Identity) -> frozenset[Role]:
    """Return every role the identity holds."""
    roles = {Role(role) for role in identity.granted if role in Role.__members__.values()}
    if identity.config_librarian:
        roles.add(Role.LIBRARIAN)
    if identity.reader_id is not None:
        if identity.category == "student":
            roles.add(Role.STUDENT)
        elif identity.category in ("teacher", "staff"):
            roles.add(Role.TEACHER)
        if identity.homeroom_class:
            roles.add(Role.HOMEROOM)
    return frozenset(roles)


def may(identity: Identity, action: Action) -> bool:
    """Say whether the identity may perform the action (borrowing also needs a linked reader)."""
    if action is Action.BORROW and identity.reader_id is None:
        return False
    return bool(roles_of(identity) & _ALLOWED[action])
