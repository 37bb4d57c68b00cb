"""Reminders in Telegram: commands (/dates /subscribe /remind …) and the JobQueue job that sends."""
