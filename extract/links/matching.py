"""Claims across sources: which state the same proposition, which contradict each other.

Claims are compared only within a block of claims about one subject (the drug a claim speaks
of first), and only across documents, so the cost grows with the corpus rather than its
square. Reference entries and sentences repeated on pages about several drugs (a site's
boilerplate) stay out. Within a block, the first test that applies decides:

1. **Facts.** Two claims stating a value of one kind under the same conditions (onset for
   one route, the common dose, the legal status in one country, the same qualifiers) are
   compared on the values (:mod:`extract.links.fact_comparison`). A value whose page gives
   no route is taken for the route the block states most often (the reason says so). A
   value said in running text agrees only with a claim that shares wording and never
   contradicts: audits of links on real pages found such numbers mostly measure something
   else. A legal status must be the subject's own ("Methadone is …", not "penalties for
   Class A drugs").
2. **Dates.** Two similar claims that date one event under the same places agree when the
   dates overlap; differing dates make no contradiction (audits: mostly two steps of one
   history, "listed" and "in force").
3. **Text.** Otherwise two claims of at least a few words whose character 3-5-gram TF-IDF
   cosine is at least ``SAME_MIN_SIMILARITY`` state the same proposition
   (:mod:`extract.links.text_similarity`), unless one negates what the other asserts. Claims
   that both state values the facts test could not pair are not linked on wording ("Light:
   25 - 100 mg" and "Threshold: 25 mg" share every word but one). Polarity links (the same
   words, one negated) are off: an audit found none of 21 right.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from extract.links.confidence import MIN_LINK_CONFIDENCE, confidence_digest, link_confidence
from extract.links.fact_comparison import compare_facts
from extract.links.fact_record import value_form
from extract.links.fact_terms import fact_terms, find_phrases
from extract.links.text_similarity import CharVectors, row_similarity, similar_pairs

if TYPE_CHECKING:
    from scipy import sparse

# Character TF-IDF cosine at or above which two claims state one proposition. Opposite
# polarity never does; nor does it make a contradiction on its own: an audit of 21 such
# links found none right ("little or no metabolism" vs "negligible metabolism").
SAME_MIN_SIMILARITY = 0.66
# Two claims this similar that both give dates speak of one event: the dates decide.
DATE_MIN_SIMILARITY = 0.35
# Values said in running text agree only between claims this similar (by how many of the
# two values are in running text: one, two), and never contradict: a number in running text
# often measures something else (a trial's length, a comedown, a level in spinal fluid).
FACT_SENTENCE_MIN_SIMILARITY = {1: 0.2, 2: 0.3}
# A value in running text at most this many words after the word naming its kind ("a
# half-life of about 6 hours") is that kind's: it is compared like a listed value.
ATTACHED_MAX_GAP = 2
# A reference entry, not a statement: "Smith J, et al. (2005). … J Pharmacol. 12(3):45-67."
_REFERENCE = re.compile(
    r"\bet al\b|\bdoi\b|\bISBN\b|\bPMID\b|\bRetrieved\b|\bArchived\b|\bpp?\.\s*\d"
    r"|\bVol\.?\s*\d|\b\d+\s*\(\d+\)\s*:\s*\d+|\(\d{4}[a-z]?\)\.",
    re.I,
)
# Claims of fewer words are headings or link labels ("**ssris**", "Opioids"): the same words
# on two pages say nothing of one proposition.
_TEXT_MIN_WORDS = 5
LINKING_VERSION = "links.v6"


@dataclass(frozen=True)
class Link:
    a: int  # positions in the claims, a < b
    b: int
    subject: str
    relation: str  # "same" or "contradicts"
    method: str  # "fact", "date" or "text_similarity"
    fact_kind: str | None
    reason: str
    score: float
    confidence: float


def link_id_for(claim_a: str, claim_b: str) -> str:
    first, second = sorted((claim_a, claim_b))
    return "l" + hashlib.sha256(f"link\x1f{first}\x1f{second}".encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------- blocks


def blocks_by_subject(claims: Sequence[Mapping[str, Any]]) -> dict[str, list[int]]:
    """Claims by the drug they speak of first. Reference entries are left out (their years
    and titles repeat across pages without stating a fact), and so is a text that appears on
    pages of several drugs (a test kit's advert, a template warning whose "it" differs)."""
    # A document's subject: the one its claims speak of most.
    by_doc: dict[str, Counter[str]] = defaultdict(Counter)
    for claim in claims:
        if claim["subject"]:
            by_doc[claim["doc_id"]][claim["subject"][0]] += 1
    page_subject = {doc: counts.most_common(1)[0][0] for doc, counts in by_doc.items()}
    subjects_of: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        if claim["doc_id"] in page_subject:
            subjects_of[_normalized(claim["text"])].add(page_subject[claim["doc_id"]])
    blocks: dict[str, list[int]] = defaultdict(list)
    for position, claim in enumerate(claims):
        if not claim["subject"] or _REFERENCE.search(str(claim["text"])):
            continue
        if len(subjects_of[_normalized(claim["text"])]) > 1 and _is_prose(claim["text"]):
            continue  # the same sentence on pages about several drugs: a site's boilerplate
        blocks[claim["subject"][0]].append(position)
    return blocks


def _is_prose(text: Any) -> bool:
    """A sentence, not a value line ("Onset: 15 - 60 minutes" recurs across drugs)."""
    return len(str(text).split()) >= _BOILERPLATE_MIN_WORDS and value_form(str(text)) != "labelled"


# Sentences of at least this many words repeated on pages of several drugs are boilerplate.
_BOILERPLATE_MIN_WORDS = 8


def _normalized(text: Any) -> str:
    return " ".join(str(text).lower().split())


# Conditions under which a dose is comparable without a level ("the maximum daily dose",
# "the lethal dose"); a lethal dose "per day" or not is the same threshold.
_DOSE_BOUNDS = frozenset({"maximum", "lethal"})


def _fact_key(fact: Mapping[str, Any]) -> tuple[Any, ...]:
    conditions = set(fact["conditions"])
    if "lethal" in conditions:
        conditions.discard("daily")
    return (
        fact["kind"],
        fact["level"],
        fact["jurisdiction"],
        fact["unit"],
        tuple(sorted(conditions)),
    )


def _comparable(fact: Mapping[str, Any]) -> bool:
    if fact["kind"] == "date":
        # A date is comparable once it is known which event it dates ("first synthesized
        # in 1912"); others only in similar claims (the text test).
        return bool(fact["conditions"]) and fact["label_gap"] is not None
    if fact["kind"] == "dose" and fact["level"] is None:
        # "doses over 300 mg can be dangerous": no level, nothing to set it against.
        return bool(_DOSE_BOUNDS & set(fact["conditions"]))
    if fact["kind"] == "legal_status":
        return fact["jurisdiction"] is not None and fact["status"] is not None
    return fact["low"] is not None


def _names(claim: Mapping[str, Any], subject: str) -> bool:
    return bool(re.search(r"(?<!\w)" + re.escape(subject) + r"(?!\w)", str(claim["text"]), re.I))


def _speaks_of(claim: Mapping[str, Any], subject: str) -> bool:
    """Whether a claim names its subject ("Methadone is …"), refers to it ("In Australia,
    it is …", a sentence going on from the drug's name on the line above) or is a labelled
    line ("**Canada:** …")."""
    text = str(claim["text"])
    return (
        _names(claim, subject) or bool(_REFERS_BACK.search(text)) or value_form(text) == "labelled"
    )


_REFERS_BACK = re.compile(
    # "… (its name on the line above) is a triazolobenzodiazepine with …": DrugBank breaks
    # a sentence after the drug's name, which is a link.
    r"\b(?:it|its|this (?:drug|substance|medication))\b|^(?:is|was|has)\s",
    re.I,
)


def _usual_route(claims: Sequence[Mapping[str, Any]], block: Sequence[int]) -> str | None:
    routes = Counter(
        fact["route"]
        for position in block
        for fact in claims[position]["facts"]
        if fact["route"] is not None
    )
    if not routes:
        return None
    # The route the block states most often; oral wins a tie (how most drugs are taken).
    usual: str = max(routes, key=lambda route: (routes[route], route == "oral"))
    return usual


def _one_study(claim: Mapping[str, Any]) -> bool:
    """A claim stating one study's result: typed so, or saying "study", "volunteers"…"""
    return claim["claim_type"] == "study_finding" or bool(
        fact_terms().study_words.search(str(claim["text"]))
    )


def _loose(fact: Mapping[str, Any]) -> bool:
    """A value said in running text that may measure something else: far from the word
    naming its kind, or a dose (running text grades doses loosely: "doses as low as 100 mg")."""
    if fact["form"] != "sentence" or fact["kind"] == "date":
        return False  # a date is compared only when read with its event, next to it
    gap = fact["label_gap"]
    return fact["kind"] == "dose" or gap is None or gap > ATTACHED_MAX_GAP


def _fact_links(
    claims: Sequence[Mapping[str, Any]],
    block: Sequence[int],
    subject: str,
    similarity: Callable[[Sequence[tuple[int, int]]], Sequence[float]],
) -> dict[tuple[int, int], Link]:
    usual = _usual_route(claims, block)
    groups: dict[tuple[Any, ...], list[tuple[int, Mapping[str, Any], bool]]] = defaultdict(list)
    for position in block:
        for fact in claims[position]["facts"]:
            if not _comparable(fact):
                continue
            if fact["kind"] == "legal_status" and not _speaks_of(claims[position], subject):
                continue  # "penalties for Class A drugs": a status, but of no drug in particular
            if fact["unit"] in ("year", "grade") and not _speaks_of(claims[position], subject):
                continue  # "Shulgin synthesized MDA in 1961", "MDA is long-acting" on MDMA's page
            if (
                fact["kind"] == "date"
                and "scheduling" in fact["conditions"]
                and (fact["jurisdiction"] is None)
            ):
                continue  # "it was finally scheduled in 1985": where?
            if fact["kind"] == "legal_status":
                fact = {**fact, "form": "labelled"}  # a status of the drug itself, stated
            # Only a measured quantity has a route to infer (not a status, date or grade).
            inferred = (
                fact["route"] is None
                and usual is not None
                and fact["unit"] not in (None, "year", "grade")
            )
            route = usual if inferred else fact["route"]
            groups[(*_fact_key(fact), route)].append((position, {**fact, "route": route}, inferred))
    # Per pair of claims and kind of value: the same when any two of their values agree
    # (a claim may give one value per population), a contradiction when none does.
    verdicts: dict[tuple[int, int], dict[tuple[Any, ...], list[tuple[str, str, bool, str]]]] = (
        defaultdict(lambda: defaultdict(list))
    )
    # A value said in running text may belong to something else ("the ride up lasts 30
    # minutes"): it is compared only with a claim that shares wording.
    pending: list[tuple[tuple[int, int], int, tuple[Any, ...], tuple[str, str, bool, str]]] = []
    for key, entries in groups.items():
        for i, (pa, fa, ia) in enumerate(entries):
            for pb, fb, ib in entries[i + 1 :]:
                if pa == pb or claims[pa]["doc_id"] == claims[pb]["doc_id"]:
                    continue
                a_first = pa < pb
                compared = compare_facts(fa, fb) if a_first else compare_facts(fb, fa)
                if compared is None:
                    continue
                relation, reason = compared
                pair = (pa, pb) if a_first else (pb, pa)
                sentences = _loose(fa) + _loose(fb)
                pending.append(
                    (pair, sentences, key, (relation, reason, ia or ib, str(fa["route"])))
                )
    # Read once per claim, not once per pair it is in.
    one_study = cache(lambda position: _one_study(claims[position]))
    names_others_in_running_text = cache(
        lambda position: (
            len(claims[position]["subject"]) > 1
            and value_form(str(claims[position]["text"])) == "sentence"
        )
    )
    needed = sorted({pair for pair, sentences, _, _ in pending if sentences})
    scores = dict(zip(needed, similarity(needed), strict=True)) if needed else {}
    for pair, sentences, key, verdict in pending:
        if sentences and verdict[0] == "contradicts":
            continue  # audited: most such "contradictions" were values of other things
        if sentences and scores[pair] < FACT_SENTENCE_MIN_SIMILARITY[sentences]:
            continue
        if (
            verdict[0] == "contradicts"
            and link_confidence("contradicts", "fact", str(key[0])) < MIN_LINK_CONFIDENCE
        ):
            continue  # a kind of contradiction audits found wrong more often than right
        if verdict[0] == "contradicts" and any(one_study(p) for p in pair):
            continue  # "a 2015 study found 3.6 hours": one measurement, no general claim
        if verdict[0] == "contradicts" and {"past", "future"} & set(key[4]):
            continue  # a status that was or will be contradicts none that is
        if (
            verdict[0] == "contradicts"
            and key[3] not in ("grade", "year")
            and any(names_others_in_running_text(p) for p in pair)
        ):
            continue  # "tramadol's peak at 3.6 h vs 1.4 h for oxycodone": whose value?
        verdicts[pair][key].append(verdict)
    found: dict[tuple[int, int], Link] = {}
    for (a, b), by_key in verdicts.items():
        outcome: tuple[str, str, bool, str, str] | None = None
        for key, results in sorted(by_key.items(), key=lambda item: repr(item[0])):
            agreeing = [r for r in results if r[0] == "same"]
            relation, reason, inferred, route = agreeing[0] if agreeing else results[0]
            if outcome is None or (outcome[0] == "same" and relation == "contradicts"):
                outcome = (relation, reason, inferred, route, str(key[0]))
        assert outcome is not None
        relation, reason, inferred, route, kind = outcome
        if (
            kind == "legal_status"
            and relation == "contradicts"
            and not (_names(claims[a], subject) and _names(claims[b], subject))
        ):
            continue  # "it has been listed as Schedule III": its "it" may be a precursor
        if inferred:
            reason += (
                f" (route not stated on one page; taken as {route}, the usual route of the others)"
            )
        confidence = link_confidence(relation, "fact", kind)
        found[(a, b)] = Link(a, b, subject, relation, "fact", kind, reason, 0.0, confidence)
    return found


# ---------------------------------------------------------------------------- text


_NEGATOR = re.compile(r"\b(?:not|no|never|cannot|none|neither|nor|without any)\b|n[’']t\b", re.I)


def _negators(text: str) -> list[str]:
    """The negating words of a claim: an odd number of them negates what it says."""
    return [match.group(0) for match in _NEGATOR.finditer(text)]


def _places(claim: Mapping[str, Any]) -> frozenset[str]:
    terms = fact_terms()
    found = find_phrases(terms.jurisdictions, terms.jurisdiction_of, str(claim["text"]))
    return frozenset(place for _, _, place in found)


def _dates(claim: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [fact for fact in claim["facts"] if fact["kind"] == "date"]


def _dates_agree(
    a: int,
    b: int,
    subject: str,
    dates: tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]],
    score: float,
) -> Link | None:
    """Similar claims giving dates: the same when a date of one falls in a date of the other
    ("August 18, 2014" in "August 2014"). Dates that differ make no contradiction: audits
    found them mostly two steps of one history ("listed" and "in force")."""
    for x in dates[0]:
        for y in dates[1]:
            if x["low"] < y["high"] and y["low"] < x["high"]:
                reason = f"dates agree: {x['text']} vs {y['text']} (text similarity {score:.2f})"
                confidence = link_confidence("same", "date", "date")
                return Link(a, b, subject, "same", "date", "date", reason, score, confidence)
    return None


def _text_links(
    claims: Sequence[Mapping[str, Any]],
    block: Sequence[int],
    subject: str,
    matrix: sparse.csr_matrix,
    skip: set[tuple[int, int]],
    min_similarity: float,
) -> list[Link]:
    """Pairs of the block from different documents whose text similarity is at least
    ``min_similarity``, of the same polarity: the same proposition, or the same event when
    both give dates that agree."""
    links = []
    for a, b, score in sorted(similar_pairs(matrix, block, min_similarity)):
        if (a, b) in skip or claims[a]["doc_id"] == claims[b]["doc_id"]:
            continue
        score = min(score, 1.0)
        negators = _negators(claims[a]["text"]), _negators(claims[b]["text"])
        if len(negators[0]) % 2 != len(negators[1]) % 2:
            continue  # one negates what the other asserts: never the same
        dates = _dates(claims[a]), _dates(claims[b])
        if dates[0] and dates[1]:
            # One event only where the places agree: "approved in the US in 1998" is no
            # evidence about "launched in the UK in 2002"; one naming no place, or both one
            # in common, may be.
            places = _places(claims[a]), _places(claims[b])
            if score >= DATE_MIN_SIMILARITY and (
                not places[0] or not places[1] or places[0] & places[1]
            ):
                dated = _dates_agree(a, b, subject, dates, score)
                if dated is not None:
                    links.append(dated)
            continue
        words = min(len(str(claims[a]["text"]).split()), len(str(claims[b]["text"]).split()))
        both_state_values = bool(claims[a]["facts"]) and bool(claims[b]["facts"])
        if both_state_values or score < SAME_MIN_SIMILARITY or words < _TEXT_MIN_WORDS:
            continue
        links.append(
            Link(
                a,
                b,
                subject,
                "same",
                "text_similarity",
                None,
                f"text similarity {score:.2f}",
                score,
                link_confidence("same", "text_similarity", None),
            )
        )
    return links


def link_claims(claims: Sequence[Mapping[str, Any]]) -> list[Link]:
    """Every link between claims of different sources (rows of claims.parquet in order,
    with ``subject`` and ``facts``)."""
    vectors = CharVectors([str(claim["text"]) for claim in claims])
    links: dict[tuple[int, int], Link] = {}
    for subject, block in sorted(blocks_by_subject(claims).items()):
        if len({claims[p]["doc_id"] for p in block}) < 2:
            continue
        matrix = vectors.matrix(block)
        facts = _fact_links(claims, block, subject, row_similarity(matrix, block))
        for pair, link in facts.items():
            links.setdefault(pair, link)
        text_min = min(SAME_MIN_SIMILARITY, DATE_MIN_SIMILARITY)
        for link in _text_links(claims, block, subject, matrix, set(facts), text_min):
            links.setdefault((link.a, link.b), link)
    return [links[pair] for pair in sorted(links)]


def linking_digest(inputs: Any) -> str:
    """sha256 of everything linking depends on: the claims' columns, the words, the rules."""
    from extract.links.clusters import clustering_digest

    digest = hashlib.sha256(clustering_digest(inputs).encode())
    digest.update(
        f"{LINKING_VERSION}\x1f{SAME_MIN_SIMILARITY}\x1f{DATE_MIN_SIMILARITY}"
        f"\x1f{sorted(FACT_SENTENCE_MIN_SIMILARITY.items())}".encode()
    )
    digest.update(confidence_digest())
    digest.update(_REFERENCE.pattern.encode())
    return digest.hexdigest()


def link_rows(claims: Sequence[Mapping[str, Any]], links: Iterable[Link]) -> list[dict[str, Any]]:
    """Rows of ``claim_links.parquet`` (``schema/claim_link.schema.json``)."""
    rows = []
    for link in links:
        a, b = claims[link.a], claims[link.b]
        rows.append(
            {
                "link_id": link_id_for(str(a["claim_id"]), str(b["claim_id"])),
                "claim_id_a": a["claim_id"],
                "claim_id_b": b["claim_id"],
                "source_file_a": a["source_file"],
                "source_file_b": b["source_file"],
                "subject": link.subject,
                "relation": link.relation,
                "method": link.method,
                "fact_kind": link.fact_kind,
                "reason": link.reason,
                "score": round(min(1.0, max(0.0, link.score)), 4),
                "confidence": round(link.confidence, 3),
            }
        )
    return rows
