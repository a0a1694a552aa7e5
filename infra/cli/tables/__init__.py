"""Terminal tables (rich), one module per group of commands, each drawing the typed models
the readers and use cases return. Documents (JSON, CSV, XLSX, HTML) are in ``infra/exports``.
"""
