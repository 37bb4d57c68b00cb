"""The bot's commands in a terminal (`lawbot chat`): chat.ConsoleChat is the loop and the
everyday commands; report.ReportCommands the report workspace (/report /facts /set /undo …)."""

from bot.console.chat import ConsoleChat

__all__ = ["ConsoleChat"]
