"""Adapters: settings, stores, the command line, exports and logging."""
