"""Legal status per jurisdiction: "Schedule II in Canada", "**UK:** Class A", "unscheduled".

One status per claim and place, the most specific (a schedule over "controlled"); a status
with no place is no fact (it cannot be compared). Words placing it in the past or future
("was", "will become") are its conditions.
"""

from __future__ import annotations

from collections.abc import Sequence

from extract.links.fact_record import Fact, value_form
from extract.links.fact_terms import Terms, find_phrases

_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}

_SPECIFIC = frozenset({"schedule", "class", "anlage"})


def _STATUS_RANK(value: str) -> int:
    """Which of a claim's statuses for one place to keep: the most specific."""
    head = value.split(" ")[0]
    if head in _SPECIFIC:
        return 0
    return {"unscheduled": 1, "controlled": 2, "prescription only": 3, "legal": 4}.get(value, 5)


def _place_of(
    number: int, statuses: Sequence[tuple[int, int, str]], places: Sequence[tuple[int, int, str]]
) -> str | None:
    """The place a status is for: the first place named after it ("Schedule II in Canada")
    before the next status, else the last named before it ("In Canada, it is …")."""
    start, end, _ = statuses[number]
    following = statuses[number + 1][0] if number + 1 < len(statuses) else None
    after = [p for p in places if p[0] >= end and (following is None or p[0] < following)]
    if after and after[0][0] - end <= 40:
        return after[0][2]
    previous = statuses[number - 1][1] if number else 0
    before = [p for p in places if p[1] <= start and p[0] >= previous]
    if before:
        return before[-1][2]
    before = [p for p in places if p[1] <= start]
    return before[-1][2] if before else (after[0][2] if after else None)


def legal_facts(text: str, char_start: int, terms: Terms, headings: Sequence[str]) -> list[Fact]:
    statuses: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, name in terms.statuses:
        for match in pattern.finditer(text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            number = (match.group(1) or "").upper() if "{1}" in name else ""
            value = name.replace("{1}", _ROMAN.get(number, number))
            statuses.append((match.start(), match.end(), value))
    if not statuses:
        return []
    # "a Schedule IV controlled substance" is one status, the specific one.
    specific = [(st, en) for st, en, value in statuses if value.split(" ")[0] in _SPECIFIC]
    statuses = [
        (st, en, value)
        for st, en, value in statuses
        if value.split(" ")[0] in _SPECIFIC or not any(0 <= st - e <= 30 for _, e in specific)
    ]
    statuses.sort()
    places = find_phrases(terms.jurisdictions, terms.jurisdiction_of, text)
    heading_place = None
    for heading in headings:
        found = find_phrases(terms.jurisdictions, terms.jurisdiction_of, heading)
        if found:
            heading_place = found[0][2]
            break
    chosen: dict[str | None, tuple[int, int, str]] = {}
    for number, (start, end, value) in enumerate(statuses):
        place = _place_of(number, statuses, places) or heading_place
        current = chosen.get(place)
        if current is None or _STATUS_RANK(value) < _STATUS_RANK(current[2]):
            chosen[place] = (start, end, value)
    tenses = frozenset(t for _, _, t in find_phrases(terms.tenses, terms.tense_of, text))
    facts = []
    for place, (start, end, value) in chosen.items():
        if place is None:
            continue  # a status without a place cannot be compared
        facts.append(
            Fact(
                kind="legal_status",
                route=None,
                level=None,
                jurisdiction=place,
                low=None,
                high=None,
                unit=None,
                status=value,
                text=text[start:end],
                start=char_start + start,
                end=char_start + end,
                conditions=tenses,
                form=value_form(text),
            )
        )
    return facts
