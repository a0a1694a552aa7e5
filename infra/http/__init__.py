"""The HTTP API (FastAPI): the contract's commands and reads under /api/v1."""
