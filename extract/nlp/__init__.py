"""The NLP pass: the one spaCy pipeline (model + claimset's components, patterns as data in
``patterns/``) that turns text into sentence and claim records held as plain data on the Doc.
Knows nothing of files, Parquet or the CLI: imports only :mod:`extract.errors`.
"""
