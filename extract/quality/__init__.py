"""Quality: scoring a built dataset against hand labels (gold sentences, same-claim pairs).
Reads Parquet and label files; imports :mod:`extract.errors` only, never spaCy.
"""
