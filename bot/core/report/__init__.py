"""The report workspace: one whole annual report per owner, unit and year, built part by part.

workspace.ReportWorkspace is what edges call (open, set_text, clear, add_facts, draft,
import_text, undo, check, export). store keeps every version in SQLite; model is the report as
plain data (parts in the required order, assembly into one text); facts files the user's facts
under the outline's 需收集 items; importing splits an existing report by its headings; status
says what is filled and what is missing. userstate keeps each user's profile and steps.
"""
