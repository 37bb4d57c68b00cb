"""Key dates and reminders. Nothing here reads the clock: `now` comes in as an argument.

rules: knowledge/calendar.toml -> Calendar.occurrences(start, end) -> Occurrence.
reminders: SQLite store of subscriptions, custom reminders, confirmations and the sent log.
reminder_delivery: what is due at `now`, sent at most once; reminder_text: the Chinese wording.
dateparse: dates and times as staff type them (「明天上午9点」).
"""
