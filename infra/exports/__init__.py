"""Documents of the typed read models, one module per format: ``json_document`` (the one
serialiser the CLI and the HTTP API share), ``csv_export``, ``xlsx_export`` and
``html_export``. Each takes the models of ``projections/models.py``; what more than one of
them lays out the same way (quarter columns, themes, numbers) is in ``layout``.
"""
