"""Read: input files and corpora → documents (the exact text every offset indexes, plus
encoding, status, title, URL, pages). Reads bytes, writes nothing. Imports only
:mod:`extract.errors`; never spaCy or the NLP pass.
"""
