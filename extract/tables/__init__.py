"""Tables: the record contract every stage shares: JSON Schema → Arrow schemas and
validation, the record dataclasses and claim ids, the dataset's file names, Parquet reads
and atomic writes. Imports only :mod:`extract.errors`; never spaCy.
"""
