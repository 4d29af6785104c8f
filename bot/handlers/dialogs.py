"""Building the bot's dialogs (ConversationHandler) the one way every feature uses."""

import warnings
from datetime import timedelta
from typing import Any

from telegram.ext import ConversationHandler
from telegram.warnings import PTBUserWarning

DIALOG_TIMEOUT = timedelta(minutes=15)


def dialog(**options: Any) -> ConversationHandler:  # type: ignore[type-arg]
    """A ConversationHandler that follows one person from message to message.

    Starting a dialog again restarts it. per_message=False is meant (a dialog is not tied to
    one message), so PTB's warning about button handlers in such dialogs is silenced here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)
        return ConversationHandler(allow_reentry=True, **options)
