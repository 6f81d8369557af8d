"""Names of the Doc extension attributes the claims component fills (no spaCy import)."""

SENTENCES_ATTR = "claimset_sentences"
DOC_STATS_ATTR = "claimset_doc_stats"
