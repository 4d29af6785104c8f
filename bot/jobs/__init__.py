"""Scheduled and background work: reminders, campaigns, notices and outbox delivery."""
