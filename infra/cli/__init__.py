"""The ``quarterly`` command line."""
