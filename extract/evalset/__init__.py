"""Evaluation sets: claim verification and detection sets from a finished (and reviewed)
dataset, with seeded leakage-free splits, a dataset card and Croissant metadata. Reads the
tables and the review log; imports :mod:`extract.review` and :mod:`extract.tables`, never
spaCy or the NLP pass.
"""
