"""The ``quarterly`` command line: ``main`` (the app), one module per group of commands,
their terminal tables in ``tables/``."""
