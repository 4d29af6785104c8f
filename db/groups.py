"""Group chats registered with the library: class groups and the collaborator team's group."""

from dataclasses import dataclass
from datetime import UTC, datetime

import aiosqlite

from db.connection import Database

CLASS = "class"
TEAM = "team"

_COLUMNS = "chat_id, kind, class_name, grade, title, registered_by, active, registered_at"


@dataclass(frozen=True)
class ChatGroup:
    """A registered group as stored."""

    chat_id: int
    kind: str
    class_name: str
    grade: int | None
    title: str
    registered_by: int
    active: bool
    registered_at: str


def _group(row: aiosqlite.Row) -> ChatGroup:
    return ChatGroup(
        chat_id=row["chat_id"],
        kind=row["kind"],
        class_name=row["class_name"],
        grade=row["grade"],
        title=row["title"],
        registered_by=row["registered_by"],
        active=bool(row["active"]),
        registered_at=row["registered_at"],
    )


async def get_group(db: Database, chat_id: int) -> ChatGroup | None:
    """Return the registration of a group chat, active or not."""
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM chat_group WHERE chat_id = ?", (chat_id,))
    return None if row is None else _group(row)


async def register_group(
    db: Database,
    *,
    chat_id: int,
    kind: str,
    title: str,
    registered_by: int,
    now: datetime,
    class_name: str = "",
    grade: int | None = None,
) -> None:
    """Register a group (again), replacing what it was registered as; it becomes active."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO chat_group (chat_id, kind, class_name, grade, title, registered_by,"
            " active, registered_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)"
            " ON CONFLICT (chat_id) DO UPDATE SET kind = excluded.kind,"
            " class_name = excluded.class_name, grade = excluded.grade, title = excluded.title,"
            " registered_by = excluded.registered_by, active = 1,"
            " registered_at = excluded.registered_at",
            (
                chat_id,
                kind,
                class_name,
                grade,
                title,
                registered_by,
                now.astimezone(UTC).isoformat(timespec="seconds"),
            ),
        )


async def unregister_group(db: Database, chat_id: int) -> bool:
    """Forget a group's registration; False when it had none."""
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM chat_group WHERE chat_id = ?", (chat_id,))
        return cursor.rowcount == 1


async def set_active(db: Database, chat_id: int, active: bool) -> bool:
    """Turn a registered group's posts on or off; False when the group is not registered."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE chat_group SET active = ? WHERE chat_id = ?", (int(active), chat_id)
        )
        return cursor.rowcount == 1


async def migrate_group(db: Database, old_chat_id: int, new_chat_id: int) -> bool:
    """Move a registration to the supergroup a group became; False when nothing moved.

    A registration the new id already holds wins, and the old one is dropped.
    """
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT 1 FROM chat_group WHERE chat_id = ?", (new_chat_id,)
        ) as cursor:
            taken = await cursor.fetchone() is not None
        if taken:
            await conn.execute("DELETE FROM chat_group WHERE chat_id = ?", (old_chat_id,))
            return False
        cursor = await conn.execute(
            "UPDATE chat_group SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id)
        )
        return cursor.rowcount == 1


async def class_group_chats(
    db: Database, *, grade: int | None = None, class_name: str | None = None
) -> list[int]:
    """Active class groups, all or of one grade or one class (any letter case), by class."""
    clauses = ["kind = 'class'", "active = 1"]
    params: list[object] = []
    if grade is not None:
        clauses.append("grade = ?")
        params.append(grade)
    if class_name is not None:
        clauses.append("upper(class_name) = upper(?)")
        params.append(class_name.strip())
    rows = await db.fetchall(
        f"SELECT chat_id FROM chat_group WHERE {' AND '.join(clauses)}"
        " ORDER BY grade, class_name, chat_id",
        params,
    )
    return [int(row[0]) for row in rows]


async def team_group_chats(db: Database) -> list[int]:
    """Active groups of the collaborator team."""
    rows = await db.fetchall(
        "SELECT chat_id FROM chat_group WHERE kind = 'team' AND active = 1 ORDER BY chat_id"
    )
    return [int(row[0]) for row in rows]
