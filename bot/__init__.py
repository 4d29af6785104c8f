"""Thư viện bot: a chat bot that runs a Vietnamese school library from the phone."""
