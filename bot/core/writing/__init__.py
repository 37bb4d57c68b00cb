"""The writing assistant: answers, example passages, section drafts, outlines and revisions.

writer.Writer is what edges call (ask / examples / draft / outline / revise -> Result). It uses a
chat model when one is given and the offline composer otherwise; every draft passes the number
guard (numberguard, names). sections reads the report's parts and topics from
knowledge/sections.toml; prompts loads prompts/*.md.
"""
