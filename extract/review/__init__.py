"""Review: the decision log, the reviewed view, review context, CSV and Label Studio
round trips and the local review page. Reads and writes tables only: imports
:mod:`extract.tables` and :mod:`extract.errors`, never spaCy or the NLP pass.
"""
