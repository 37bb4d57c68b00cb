"""The user's report work: who they are (unit, year), what they are doing, what they wrote.

userstate: per-user profile, conversation step and current draft in SQLite.
"""
