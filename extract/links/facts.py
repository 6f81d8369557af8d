"""Structured facts: the quantities and statuses a claim states, normalized for comparison.

Pages state the same facts in many shapes: "Onset: 15 - 60 minutes" under a "### Oral"
heading, "**Common:** 100-250mg", "Light 50mg+; Common 100mg+", "Onset / Duration: 1 Hour /
6 Hours", "an elimination half-life of about 6 hours", "**Austria:** … legal for medical use".
Each value becomes a :class:`Fact`: its kind (onset, duration, dose, half-life, legal status,
…), the conditions it holds under (route, dose level, jurisdiction, qualifiers such as
"metabolite" or "children"), a range in one unit (seconds, milligrams) and the characters it
was read from. Two sources' facts with the same kind and conditions can then be compared
exactly: ranges overlap or they do not.

The words are data (``patterns/fact_terms.json``). The section headings above a claim give
the route ("### Oral") and the kind of unlabelled values ("**Duration:**"); a value whose
kind or unit is unclear is left out rather than guessed.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from extract.links.dates import date_facts
from extract.links.events import dated_events
from extract.links.fact_record import Fact, value_form
from extract.links.fact_terms import Terms, fact_terms, find_phrases, nearest_phrase
from extract.links.grades import grade_facts
from extract.links.legal_status import legal_facts
from extract.links.quantities import Quantity, read_quantities

__all__ = ["Fact", "PageContext", "claim_facts"]

TIME_KINDS = frozenset(
    {"onset", "come_up", "peak", "time_to_peak", "offset", "duration", "after_effects", "half_life"}
)
# "Plasma", "blood": pharmacokinetic, not felt, for these kinds; a half-life is a plasma one.
_PLASMA_NEUTRAL = frozenset({"half_life", "bioavailability"})
# Conditions that hold for every value of a claim wherever they are said ("… is lethal").
_CLAIM_WIDE = frozenset({"lethal", "maximum"})
# A list lead or heading this far above a claim (in characters) still sets its context.
_HEADING_REACH = 6000
_SLASH_LEAD = re.compile(r"([\w -]+(?:\s*/\s*[\w -]+)+)\W*:")
# Where a clause ends inside a claim: a value's route and qualifiers are read within its clause.
_CLAUSE_BREAK = re.compile(r";|,\s|\.\s|\s-\s|\(|\)")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$|^\*\*([^*\n]{1,60}?):?\*\*:?[ \t]*$", re.M)


class PageContext:
    """The headings of one document, to find the ones above a claim quickly."""

    def __init__(self, text: str) -> None:
        self._starts: list[int] = []
        self._headings: list[tuple[int, str]] = []  # (depth, text); bold leads are depth 7
        for match in _HEADING.finditer(text):
            depth = len(match.group(1)) if match.group(1) else 7
            self._starts.append(match.start())
            self._headings.append((depth, (match.group(2) or match.group(3) or "").strip()))

    def headings_above(self, position: int) -> list[str]:
        """The heading path above ``position``, innermost first (a deeper heading is
        forgotten once a shallower one follows it)."""
        index = bisect.bisect_right(self._starts, position) - 1
        path: list[str] = []
        depth_limit = 8
        while index >= 0 and depth_limit > 1:
            if position - self._starts[index] > _HEADING_REACH and path:
                break
            depth, text = self._headings[index]
            if depth < depth_limit and self._starts[index] < position:
                path.append(text)
                depth_limit = depth
            index -= 1
        return path


def _kind_allows(kind: str, unit: str) -> bool:
    if kind in TIME_KINDS:
        return unit == "s"
    if kind.startswith("dose"):
        return unit in ("mg", "mg/kg", "µg/kg", "ml")
    if kind == "bioavailability":
        return unit == "%"
    return False


def _heading_facts(
    headings: Sequence[str], terms: Terms
) -> tuple[str | None, str | None, frozenset[str]]:
    """Route, kind and conditions set by the headings above a claim (innermost wins)."""
    route = kind = None
    conditions = frozenset(
        q
        for heading in headings
        for _, _, q in find_phrases(terms.qualifiers, terms.qualifier_of, heading)
    )
    for heading in headings:
        if route is None:
            found = find_phrases(terms.routes, terms.route_of, heading)
            if len(found) == 1:
                route = found[0][2]
        if kind is None:
            found = find_phrases(terms.labels, terms.label_kind, heading)
            if found:
                kind = found[0][2]
    return route, kind, conditions


def _slash_pairs(text: str, terms: Terms, quantities: Sequence[Quantity]) -> dict[int, str]:
    """'Onset / Duration: 1 Hour / 6 Hours': the n-th label goes with the n-th value."""
    lead = _SLASH_LEAD.search(text[:120])
    if lead is None:
        return {}
    names = [part.strip(" *").lower() for part in lead.group(1).split("/")]
    kinds = [terms.label_kind.get(name) for name in names]
    after = [q for q in quantities if q.start >= lead.end()]
    if None in kinds or len(after) != len(kinds):
        return {}
    return {q.start: str(kind) for q, kind in zip(after, kinds, strict=True)}


def claim_facts(
    text: str,
    char_start: int,
    *,
    context: PageContext | None = None,
    claim_routes: Sequence[str] = (),
) -> list[Fact]:
    """The facts one claim states. ``text`` is the claim's text, ``char_start`` its offset
    in the document (facts carry document offsets)."""
    terms = fact_terms()
    headings = context.headings_above(char_start) if context is not None else []
    heading_route, heading_kind, heading_conditions = _heading_facts(headings, terms)
    facts = _quantity_facts(
        text, char_start, terms, heading_route, heading_kind, claim_routes, heading_conditions
    )
    facts.extend(dated_events(text, char_start, date_facts(text, char_start), terms))
    facts.extend(legal_facts(text, char_start, terms, headings))
    facts.extend(grade_facts(text, char_start, terms))
    return facts


def _quantity_facts(
    text: str,
    char_start: int,
    terms: Terms,
    heading_route: str | None,
    heading_kind: str | None,
    claim_routes: Sequence[str],
    heading_conditions: frozenset[str] = frozenset(),
) -> list[Fact]:
    quantities = read_quantities(text, terms)
    if not quantities:
        return []
    labels = [
        (start, end, kind)
        for start, end, kind in find_phrases(terms.labels, terms.label_kind, text)
        if text[start:end].lower() != "last"
        or not _NOT_A_LABEL.search(text[max(0, start - 9) : start])
    ]
    form = value_form(text)
    routes = find_phrases(terms.routes, terms.route_of, text)
    qualifiers = [
        (s, e, q)
        for s, e, q in find_phrases(terms.qualifiers, terms.qualifier_of, text)
        if not _NEGATED_QUALIFIER.search(text, max(0, s - 12), s)
    ]
    qualifiers += [(m.start(), m.end(), "metabolite") for m in terms.metabolite.finditer(text)]
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)]
    slash = _slash_pairs(text, terms, quantities)
    facts = []
    for number, quantity in enumerate(quantities):
        label_gap: int | None = None
        kind = slash.get(quantity.start)
        if kind is None:
            labelled = _label_for(quantity, labels, text)
            if labelled is not None:
                kind, label_end = labelled
                between = text[label_end : quantity.start]
                if form == "sentence" and terms.delta_words.search(between):
                    continue  # "the Tmax is pushed back about an hour": a change
                label_gap = sum(
                    word.lower() not in terms.linking_words for word in _GAP_WORD.findall(between)
                )
        if form == "sentence" and _measures_what_follows(text, quantity.end, terms):
            continue  # "the 20-30% first-pass metabolism": a value of the words after it
        if kind is None and heading_kind is not None and form == "labelled":
            kind = heading_kind  # "6 - 10 hours" under "**Duration:**"; not a long sentence
        if kind is None and quantity.unit in ("mg", "mg/kg"):
            kind = "dose"
        if kind is None or not _kind_allows(kind, quantity.unit):
            continue
        longest = terms.plausible_s.get(kind)
        if longest is not None and (quantity.high or quantity.low or 0) > longest:
            continue  # "a duration of 6 weeks" is a trial's length, not the drug's effect
        level = kind.split(":", 1)[1] if kind.startswith("dose:") else None
        kind = "dose" if kind.startswith("dose") else kind
        if kind == "dose" and level is None:
            # "a common dose is 100 mg": the level word may come before "dose".
            level_kinds = [(s, e, k) for s, e, k in labels if k.startswith("dose:")]
            nearest = nearest_phrase(level_kinds, quantity.start, before_only=True)
            level = nearest.split(":", 1)[1] if nearest else None
        # The value's clause: from the previous value or clause break to the next.
        low = max(
            [quantities[number - 1].end if number else 0]
            + [b for b in breaks if b < quantity.start]
        )
        high = min(
            [quantities[number + 1].start if number + 1 < len(quantities) else len(text)]
            + [b for b in breaks if b >= quantity.end]
        )
        in_clause = [(s, e, r) for s, e, r in routes if s >= low and e <= high]
        route = nearest_phrase(in_clause, quantity.start) if in_clause else None
        if route is None and len({r for _, _, r in routes}) == 1:
            route = routes[0][2]
        from_heading = False
        if route is None and len(claim_routes) == 1:
            route = claim_routes[0]
        if route is None and heading_route is not None:
            route, from_heading = heading_route, True
        first = quantities[0].start
        conditions = heading_conditions | frozenset(
            q
            for s, e, q in qualifiers
            if (s >= low and e <= high) or e <= first or q in _CLAIM_WIDE
        )
        if kind in _PLASMA_NEUTRAL:
            conditions -= {"plasma"}
        facts.append(
            Fact(
                kind=kind,
                route=route,
                level=level,
                jurisdiction=None,
                low=quantity.low,
                high=quantity.high,
                unit=quantity.unit,
                status=None,
                text=text[quantity.start : quantity.end],
                start=char_start + quantity.start,
                end=char_start + quantity.end,
                conditions=conditions,
                route_from_heading=from_heading,
                form=form,
                label_gap=label_gap,
            )
        )
    return facts


def _measures_what_follows(text: str, end: int, terms: Terms) -> bool:
    """Whether a value in running text is followed straight away by a word naming what it
    measures ("20-30% first-pass metabolism"), rather than ending its clause or going on
    with a linking word ("6 hours in adults", "30 minutes after dosing")."""
    following = _NEXT_WORD.match(text, end)
    if following is None:
        return False
    word = following.group(1).lower()
    return word not in terms.linking_words and word not in terms.value_followers


# The word right after a value, if a word follows with no punctuation between.
_NEXT_WORD = re.compile(r"[ \t\u00a0]+([^\W\d_][\w-]*)")


# "the last 3 weeks", "at last": "last" is no duration label there.
_NOT_A_LABEL = re.compile(r"(?:\bthe|\bat|\bfor)\s+$", re.I)


def _label_for(
    quantity: Quantity, labels: Sequence[tuple[int, int, str]], text: str
) -> tuple[str, int] | None:
    """The label that introduces a value, and where it ends: the nearest before it in the
    same clause (a semicolon ends a clause) and at most 80 characters away ("lasts 6 hours"
    is the common order; "6 hours of duration" is rare and not read)."""
    before = [(s, e, k) for s, e, k in labels if e <= quantity.start]
    if before:
        start, end, kind = before[-1]
        if ";" not in text[end : quantity.start] and quantity.start - end <= 80:
            if text[start:end].lower() in fact_terms().verb_labels and len(before) > 1:
                # "the ride up usually lasts 30 minutes": the come-up's length, not the drug's.
                _, phase_end, phase = before[-2]
                between = _LINK_TARGET.sub("]", text[phase_end:start])
                if phase in _PHASES and not _CLAUSE_BREAK.search(between):
                    return phase, end
            return kind, end
    return None


# "not in sustained-release form", "non-pregnant adults": the qualifier is ruled out.
_NEGATED_QUALIFIER = re.compile(r"(?:\bnot(?:\s+in)?(?:\s+an?|\s+the)?\s+|\bnon-?\s*)$", re.I)
# A markdown link's target: its brackets end no clause.
_LINK_TARGET = re.compile(r"\]\([^()\s]*\)")

# Parts of an experience a verb label ("lasts") may be said of.
_PHASES = frozenset({"come_up", "peak", "offset", "after_effects"})


# A word between a label and its value ("of", "about", "caffeine"); markup is none.
_GAP_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
