"""Plain-Python core of 法治助手: one package per capability, no Telegram, no settings.

knowledge/  documents -> chunks -> keyword + dense index -> hybrid search -> Passage
writing/    answers, drafts, outline and revisions over passages; the number guard
review/     the proofreader: findings on a draft
calendar/   key-date rules -> Occurrence; reminder state, wording and delivery
export/     Word files in 公文 format
report/     the report workspace: reports and their versions, facts, import, check, export
errors.py, passages.py, normalization.py, database.py   what every capability shares
"""
