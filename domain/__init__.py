"""The returns domain: targets, figures, RAG, commentary, milestones and risks.

Pure Python: no I/O, no framework beyond ``eventsourcing.domain``.
"""
