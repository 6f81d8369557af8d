"""Dataset: the build. The one place where documents meet the NLP pass and rows meet
Parquet: per-file work, engines (local, process pool, Dask), result cache, configuration,
output folder and its atomic switch. Imports read, nlp, tables, links and review (to refresh
the reviewed view); nothing below imports it.
"""
