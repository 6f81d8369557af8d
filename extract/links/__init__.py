"""Links: claims across sources. Reads claim rows (plain data), returns clusters of the
same claim; the build writes them. Imports only :mod:`extract.errors` and
:mod:`extract.tables`; never spaCy.
"""
