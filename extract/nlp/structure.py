"""Per-claim structure from the dependency parse: who acts, how, on what, in whom, by what design.

``claim_structure(span)`` reads the parse the pipeline already made (no re-parsing) and returns
plain strings: the agent, a relation label from a closed vocabulary, the verb as written, the
target, the studied population and the study design. The word lists live in
``patterns/relations.json``.

Rules, in order:

* The main predicate is the span's root. A reporting or light verb ("found that", "was observed
  to", "it has been suggested that", "can help reduce") hands over to its complement clause
  (ccomp/xcomp), which inherits the reporting verb's subject when it has none of its own;
  "works by blocking X" hands over to "blocking". A root that is not a verb (the small model
  sometimes hangs a spun sentence on a preposition) falls back to the first finite
  relation verb that follows a noun ("…, ketamine reversed anhedonia").
* The relation comes from "<lemma> <preposition>" first ("act on" → ACTS_ON, whose object is the
  target), then from the lemma alone; a copula with an attribute is IS_A. A phrase mapped to
  null ("confine to") is no relation. An unmapped verb keeps ``relation_text`` with
  ``relation=None``.
* Passive voice: the "by" phrase is the agent and the passive subject the target ("NMDA
  receptors are blocked by ketamine"). Relations about the subject itself (USED_FOR,
  ADMINISTERED_AS, DERIVED_FROM, ASSOCIATED_WITH, APPROVED_FOR, IS_A; and any prepositional
  relation) keep the passive subject as the agent and ignore a "by" phrase: "Esketamine was
  approved by the FDA in 2019" → Esketamine APPROVED_FOR (no target; the approver is not kept),
  "Ketamine is derived from PCP" → Ketamine DERIVED_FROM PCP.
* An imperative (bare verb, no subject: "Report this page") has no structure.
* Phrases are the head noun with its compounds and adjectival modifiers, without determiners;
  a few relational heads keep their of/to phrase ("exposure to ketamine", "class of drugs") and a
  population keeps "with …" ("patients with TRD").
* Population: a study-participant noun anywhere; another population noun (rats, patients…) after
  in/among/of-a-group, or marked as treated ("rats exposed to…", "mice that received…",
  "rats were given…"). Design: the first design phrase in the text, as its canonical name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span, Token

from extract.nlp.lexicons import load_json

LEXICON = "relations.json"

_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
_PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
_COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp"})
# Left dependents kept in a phrase: the head noun's compounds and adjectival modifiers.
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss", "hmod", "npadvmod"})
_EDGE_TRIM_POS = frozenset({"DET", "PUNCT", "ADV", "CCONJ", "SCONJ", "ADP", "PART"})
_NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON", "ADJ", "NUM", "X"})
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "VBN"})
# Prepositions whose object can be the target of a verb with no direct object.
_TARGET_PREPS = frozenset({"on", "to", "into", "with", "against", "at", "in"})
_RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom", "whose"})
_MAX_HOPS = 4


@dataclass(frozen=True)
class ClaimStructure:
    agent: str | None = None
    relation: str | None = None
    relation_text: str | None = None
    target: str | None = None
    population: str | None = None
    design: str | None = None


EMPTY = ClaimStructure()


@dataclass(frozen=True)
class _Lexicon:
    relations: frozenset[str]
    verbs: dict[str, str]
    phrasal: dict[str, str | None]
    phrasal_lemmas: frozenset[str]
    copulas: frozenset[str]
    subject_side: frozenset[str]
    reporting: frozenset[str]
    light: frozenset[str]
    by_means: frozenset[str]
    light_heads: frozenset[str]
    study_population: frozenset[str]
    population: frozenset[str]
    population_preps: frozenset[str]
    population_of_heads: frozenset[str]
    treatment: frozenset[str]
    time_nouns: frozenset[str]
    design_regex: re.Pattern[str]
    design_names: dict[str, str]


@cache
def _lexicon(name: str = LEXICON) -> _Lexicon:
    data = load_json(name)
    relations = frozenset(data["relations"])
    verbs: dict[str, str] = dict(data["verb_lemmas"])
    phrasal: dict[str, str | None] = dict(data["phrasal"])
    labels = {*verbs.values(), *data["subject_side_relations"]}
    unknown = (labels | {v for v in phrasal.values() if v}) - relations
    if unknown:
        raise ValueError(f"{name}: labels outside the relation vocabulary: {sorted(unknown)}")
    design_names = {
        variant.lower(): canonical
        for canonical, variants in data["designs"].items()
        for variant in variants
    }
    alternatives = sorted(design_names, key=len, reverse=True)
    design_regex = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w-])",
        re.IGNORECASE,
    )

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data[key])

    return _Lexicon(
        relations=relations,
        verbs=verbs,
        phrasal=phrasal,
        phrasal_lemmas=frozenset(key.split()[0] for key in phrasal),
        copulas=words("copulas"),
        subject_side=frozenset(data["subject_side_relations"]),
        reporting=words("reporting_lemmas"),
        light=words("light_lemmas"),
        by_means=words("by_means_lemmas"),
        light_heads=words("light_heads"),
        study_population=words("study_population_nouns"),
        population=words("population_nouns"),
        population_preps=words("population_preps"),
        population_of_heads=words("population_of_heads"),
        treatment=words("study_treatment_lemmas"),
        time_nouns=words("time_nouns"),
        design_regex=design_regex,
        design_names=design_names,
    )


def relation_vocabulary() -> frozenset[str]:
    """The closed set of relation labels."""
    return _lexicon().relations


def _lemma(token: Token) -> str:
    return (token.lemma_ or token.text).lower()


def _is_verb(token: Token) -> bool:
    return token.pos_ in {"VERB", "AUX"}


def _is_light_head(token: Token, lex: _Lexicon) -> bool:
    lower = token.lower_
    return (
        _lemma(token) in lex.light_heads
        or lower in lex.light_heads
        or (lower.endswith("s") and lower[:-1] in lex.light_heads)
    )


def _phrase(
    token: Token, span: Span, lex: _Lexicon, *, keep_with: bool = False, after: int = -1
) -> str | None:
    """The short noun phrase headed by ``token``, trimmed to the span (and to the right of token
    index ``after``), without determiners."""
    if token.lower_ in _RELATIVE_PRONOUNS and token.pos_ in {"PRON", "DET"}:
        return None
    left = token.i
    for child in token.lefts:
        if child.dep_ in _MODIFIER_DEPS and not (child.dep_ == "poss" and child.pos_ == "PRON"):
            left = min(left, child.left_edge.i)
    right = token.i
    keep_preps = set()
    if _is_light_head(token, lex):
        keep_preps |= {"of", "to"}
    if keep_with:
        keep_preps.add("with")
    if keep_preps:
        for child in token.rights:
            if child.dep_ == "prep" and child.lower_ in keep_preps:
                objects = [c for c in child.children if c.dep_ in {"pobj", "pcomp"}]
                if objects:
                    right = max(right, *(o.i for o in objects))
                break
    left = max(left, span.start, after + 1)
    right = min(right, span.end - 1)
    doc = token.doc
    while left < token.i and (doc[left].pos_ in _EDGE_TRIM_POS or doc[left].is_punct):
        left += 1
    while right > token.i and doc[right].is_punct:
        right -= 1
    text = doc[left : right + 1].text.strip(" \t\n\"'“”‘’«»")
    return text or None


def _children(token: Token, deps: frozenset[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def _first(token: Token, deps: frozenset[str]) -> Token | None:
    for child in token.children:
        if child.dep_ in deps:
            return child
    return None


def _prep_object(prep: Token) -> Token | None:
    for child in prep.children:
        if child.dep_ in {"pobj", "pcomp"}:
            return child
    return None


def _complement_verb(token: Token, deps: frozenset[str]) -> Token | None:
    for child in token.children:
        if child.dep_ in deps and _is_verb(child):
            return child
    return None


def _misparsed_that_clause(token: Token) -> tuple[Token, Token] | None:
    """'shown that low doses … can lower X', parsed with "that" as a determiner of the subject
    (which becomes a direct object) and the clause verb as a conjunct: (verb, subject)."""
    obj = _first(token, frozenset({"dobj"}))
    if obj is None or not any(
        c.lower_ == "that" and c.dep_ == "det" and c.tag_ == "IN" for c in obj.children
    ):
        return None
    for child in token.rights:
        if child.dep_ == "conj" and _is_verb(child) and not _children(child, _SUBJECT_DEPS):
            return child, obj
    return None


def _phrasal_key(predicate: Token, lex: _Lexicon) -> tuple[str, Token] | None:
    """The first "<lemma> <preposition>" entry the predicate forms, with its preposition."""
    lemma = _lemma(predicate)
    for child in predicate.children:
        if child.dep_ in {"prep", "agent", "dative", "prt"} and child.lower_ != "by":
            key = f"{lemma} {child.lower_}"
            if key in lex.phrasal:
                return key, child
    return None


def _main_predicate(root: Token, lex: _Lexicon) -> tuple[Token, Token | None]:
    """Descend from reporting/light verbs to the verb that carries the claim.

    Returns the predicate and, when its subject is inherited, the inherited subject. Only an
    xcomp (which has no subject of its own: "ketamine was observed to result in") inherits;
    a that-clause keeps its own subject, so "Krystal says" never becomes the agent.
    """
    predicate = root
    inherited: Token | None = None
    for _ in range(_MAX_HOPS):
        lemma = _lemma(predicate)
        subject = (
            _first(predicate, _SUBJECT_DEPS | _PASSIVE_SUBJECT_DEPS)
            or inherited
            or _left_nominal(predicate)
        )
        nxt: Token | None = None
        nxt_subject: Token | None = None
        if lemma in lex.reporting or lemma in lex.light:
            deps = _COMPLEMENT_DEPS if lemma in lex.reporting else frozenset({"xcomp"})
            nxt = _complement_verb(predicate, deps)
            if nxt is not None and nxt.dep_ == "xcomp":
                nxt_subject = subject
        if nxt is None and lemma in lex.reporting:
            repaired = _misparsed_that_clause(predicate)
            if repaired:
                nxt, nxt_subject = repaired
        if nxt is None and lemma in lex.by_means and _phrasal_key(predicate, lex) is None:
            for child in predicate.children:
                if child.dep_ == "prep" and child.lower_ == "by":
                    obj = _prep_object(child)
                    if obj is not None and _is_verb(obj) and obj.tag_ == "VBG":
                        nxt, nxt_subject = obj, subject
        if nxt is None:
            break
        predicate = nxt
        inherited = None if _first(nxt, _SUBJECT_DEPS | _PASSIVE_SUBJECT_DEPS) else nxt_subject
    return predicate, inherited


def _fallback_predicate(span: Span, lex: _Lexicon) -> Token | None:
    """For roots that are not verbs: the first finite relation verb right after a noun."""
    doc = span.doc
    for token in span:
        if token.i == span.start or token.tag_ not in _FINITE_TAGS:
            continue
        if _lemma(token) not in lex.verbs and _lemma(token) not in lex.phrasal_lemmas:
            continue
        before = doc[token.i - 1]
        subject_like = before.pos_ in {"NOUN", "PROPN", "PRON"} or before.dep_ == "nsubj"
        if subject_like and token.i + 1 < span.end:
            return token
    return None


def _noun_after(verb: Token, span: Span) -> Token | None:
    """Linear target for the fallback: the head of the phrase right after the verb."""
    if verb.i + 1 >= span.end:
        return None
    token = verb.doc[verb.i + 1]
    for _ in range(_MAX_HOPS):
        if token.dep_ in {"compound", "amod", "det", "nummod", "nmod"} and token.head.i > token.i:
            token = token.head
        else:
            break
    if token.pos_ in {"NOUN", "PROPN"} and span.start <= token.i < span.end:
        return token
    return None


def _is_population(token: Token, lex: _Lexicon) -> bool:
    if token.pos_ not in {"NOUN", "PROPN"}:
        return False
    lower = token.lower_
    lemma = _lemma(token)
    if lower in lex.study_population or lemma in lex.study_population:
        return True
    if lower not in lex.population and lemma not in lex.population:
        return False
    head = token.head
    if (
        token.dep_ == "pobj"
        and head.lower_ in lex.population_preps
        and (head.lower_ != "of" or _lemma(head.head) in lex.population_of_heads)
    ):
        return True
    if token.dep_ in _PASSIVE_SUBJECT_DEPS and _lemma(head) in lex.treatment:
        return True
    return any(
        child.dep_ in {"acl", "relcl"} and _lemma(child) in lex.treatment
        for child in token.children
    )


def _design(span: Span, lex: _Lexicon) -> str | None:
    match = lex.design_regex.search(span.text)
    return lex.design_names.get(match.group(0).lower()) if match else None


def _is_imperative(verb: Token, first: Token) -> bool:
    return (
        verb.tag_ == "VB"
        and verb.i == first.i
        and not any(
            c.dep_ in _SUBJECT_DEPS | _PASSIVE_SUBJECT_DEPS | {"aux"} for c in verb.children
        )
    )


def _left_nominal(verb: Token) -> Token | None:
    """A subject the parser attached under another label ("Ketamine" as amod of "acts")."""
    for child in verb.lefts:
        if child.dep_ in {"amod", "compound", "npadvmod", "dep", "nmod"} and (
            child.pos_ in _NOMINAL_POS
        ):
            return child
    return None


def _analyse(
    predicate: Token,
    inherited: Token | None,
    span: Span,
    lex: _Lexicon,
    *,
    linear: bool = False,
) -> tuple[str | None, str | None, str | None]:
    """(agent, relation, target) of a predicate verb; ``linear`` adds the fallback target."""
    lemma = _lemma(predicate)
    subject = _first(predicate, _SUBJECT_DEPS)
    passive_subject = _first(predicate, _PASSIVE_SUBJECT_DEPS)

    relation: str | None
    target_token: Token | None = None
    phrasal = _phrasal_key(predicate, lex)
    if phrasal is not None:
        relation = lex.phrasal[phrasal[0]]
        target_token = _prep_object(phrasal[1])
    else:
        attribute = _first(predicate, frozenset({"attr"}))
        if lemma in lex.copulas and attribute is not None:
            # "There is a risk": existential, not a classification.
            has_expletive = any(c.dep_ == "expl" for c in predicate.children)
            relation = None if has_expletive else "IS_A"
            target_token = attribute
        else:
            relation = lex.verbs.get(lemma)

    agent_token: Token | None
    subject_side = phrasal is not None or relation in lex.subject_side
    if passive_subject is not None and not subject_side:
        agent_token = None
        for child in predicate.children:
            if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
                obj = _prep_object(child)
                if obj is not None and not _is_verb(obj):
                    agent_token = obj
                    break
        if target_token is None:
            target_token = passive_subject
    else:
        agent_token = subject or passive_subject or inherited or _left_nominal(predicate)
        if target_token is None and passive_subject is None:
            target_token = _first(predicate, frozenset({"dobj", "oprd"}))
        if target_token is None and relation is not None and relation != "IS_A":
            for child in predicate.children:
                if child.dep_ == "prep" and child.lower_ in _TARGET_PREPS:
                    obj = _prep_object(child)
                    if obj is not None and obj.pos_ != "NUM" and _lemma(obj) not in lex.time_nouns:
                        target_token = obj
                        break
    after = -1
    if target_token is None and linear:
        target_token = _noun_after(predicate, span)
        after = predicate.i
    return (
        _phrase(agent_token, span, lex) if agent_token is not None else None,
        relation,
        _phrase(target_token, span, lex, after=after) if target_token is not None else None,
    )


def claim_structure(span: Span) -> ClaimStructure:
    """The agent, relation, target, population and design of one claim sentence."""
    if len(span) == 0 or not span.doc.has_annotation("DEP"):
        return EMPTY
    lex = _lexicon()
    # One pass: the first word, the root (the first verbal one if the span has several) and
    # the population noun.
    root: Token | None = None
    first: Token | None = None
    population_token: Token | None = None
    for token in span:
        if first is None and not token.is_punct and not token.is_space:
            first = token
        if population_token is None and _is_population(token, lex):
            population_token = token
        is_root = token.head.i == token.i or not span.start <= token.head.i < span.end
        if is_root and (root is None or (_is_verb(token) and not _is_verb(root))):
            root = token
    population = _phrase(population_token, span, lex, keep_with=True) if population_token else None
    design = _design(span, lex)
    if root is None or first is None:
        return ClaimStructure(population=population, design=design)

    inherited: Token | None = None
    if _is_verb(root):
        if _is_imperative(root, first):
            return ClaimStructure(population=population, design=design)
        predicate, inherited = _main_predicate(root, lex)
        linear = False
    else:
        fallback = _fallback_predicate(span, lex)
        if fallback is None:
            return ClaimStructure(population=population, design=design)
        predicate, inherited = _main_predicate(fallback, lex)
        if predicate is fallback:
            inherited = span.doc[fallback.i - 1]
        linear = True
    agent, relation, target = _analyse(predicate, inherited, span, lex, linear=linear)
    return ClaimStructure(
        agent=agent,
        relation=relation,
        relation_text=predicate.text,
        target=target,
        population=population,
        design=design,
    )
