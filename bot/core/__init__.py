"""Library rules as plain functions, free of Telegram types, shared by every channel."""
