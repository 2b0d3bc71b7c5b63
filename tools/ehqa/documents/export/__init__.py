"""``ehqa export``: every table a performance analyst needs, as a Frictionless Data Package or one workbook.

``fields`` says what a table is (its fields, keys and descriptions, each description read from the JSON
Schemas in ``schemas/``); ``tables`` and ``followup_tables`` build the tables from the loaded service, pure
functions over the model (the effective grades of ``Service.effective_grades``, the actions of
``model.records.recorded_actions``, the obligations of ``rules.obligations``, the re-audit outcomes of
``rules.reaudit_outcome``: each the one computation, never worked out again here); ``package`` turns them into
``datapackage.json``, CSV text and an xlsx workbook; ``output`` is the edge with the disk, which refuses an
``--out`` that could be published or read as data (``privacy.private_output``): the export names cases and staff.
"""
