"""One module per feature; each exposes `handlers()` for bot.app to register."""
