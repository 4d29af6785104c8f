"""The clean-up roster: who cleans on the coming clean-up days, written down when announced.

The rotation is worked out once, the first time a day is shown (/lichtruc) or posted, and
written down; what is written down is what the roster post names later. So the order the
team was told holds when the bot was down on a posting day, or a member joined in between.
"""

from datetime import date

from bot.config import Config
from bot.core import team as rules
from bot.core.team import Member, RosterWeek
from db import team as team_db
from db.connection import Database


async def roster_weeks(
    db: Database, config: Config, first: date, weeks: int, team: list[Member]
) -> list[RosterWeek]:
    """The clean-up days of the weeks from first on, each written down with who is on duty.

    Days already written down keep their members; the others follow the rotation after the
    last member written down before them. A closed day uses nobody's turn.
    """
    settings = config.team
    days = rules.cleanup_days(first, weeks, settings)
    async with db.transaction() as conn:
        written: dict[date, list[Member]] = {}
        for duty in await team_db.duties_between(conn, days[0], days[-1]):
            written.setdefault(duty.day, []).append(Member(duty.account_id, duty.name))
        last = await team_db.last_duty_before(conn, days[0])
        plan = rules.plan_roster(
            days,
            config.calendar,
            team,
            None if last is None else rules.rotation_key(last.account_id, last.name),
            settings.cleanup_per_week,
            written,
        )
        for week in plan:
            if week.on_duty and week.day not in written:
                await team_db.record_duties(
                    conn, rules.week_key(week.day), week.day, list(week.on_duty)
                )
    return plan
