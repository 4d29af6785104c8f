"""The daily pass that ends uncollected holds and passes their copies down the waiting line."""

import logging

from bot.context import BotContext

log = logging.getLogger(__name__)


async def expire_holds(context: BotContext) -> None:
    """End holds past their pickup day; the next readers in line are told."""
    expired = await context.circulation.expire_holds(context.now())
    if expired:
        log.info("%d uncollected holds expired", expired)
