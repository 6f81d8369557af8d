"""What a date dates: "first synthesized in 1912", "brought to market in 1943", "placed in
Schedule I in the U.S. on 31 May 1985".

A date is only comparable with another page's when both date one event: the first
synthesis, a patent, the first sale, an approval, a scheduling. The event is read from the
words next to the date in its clause (``events`` in ``patterns/fact_terms.json``), with the
place and, for a scheduling, the schedule named there. A date near the words of another step
of the same history ("proposed", "filed", "expired") dates nothing comparable: audits of
links found two steps of one history dated differently read as a contradiction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from extract.links.fact_record import Fact
from extract.links.fact_terms import Terms, find_phrases

# Where a clause ends: an event word and its date are read within one.
# "in July 1984 and was classified as …": a second predicate has its own date.
_CLAUSE_BREAK = re.compile(
    r";|(?<![A-Z])\.\s|\s-\s|\(|\)|:\s|\b(?:and|but|while|whereas|which|then)\b"
)
_WORD = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")  # "U.S." is one word
# Words between an event word and its date ("was first synthesized in the 1890s": 2;
# "classified as a Schedule I controlled substance in the U.S. on 31 May 1985": 9), and
# between a date and the event word after it ("In 1943, it was brought to market": 3).
_MAX_WORDS_AFTER = 9
_MAX_WORDS_BEFORE = 4
# A scheduling's schedule: "Schedule I", "Schedule 8", "Class A", "Anlage I".
_SCHEDULE = re.compile(r"\b(schedule|class|anlage)\s+([0-9]|i{1,3}v?|iv|v|[abc])\b", re.I)
_PLACE_AFTER = 15
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}


def _schedule(text: str) -> str | None:
    found = {
        f"{m.group(1).lower()} {_ROMAN.get(m.group(2), m.group(2).upper())}"
        for m in _SCHEDULE.finditer(text)
    }
    return found.pop() if len(found) == 1 else None


def dated_events(text: str, char_start: int, dates: Sequence[Fact], terms: Terms) -> list[Fact]:
    """``dates`` (the claim's date facts) with the event each dates as a condition, its place
    as the jurisdiction and the words between event and date as ``label_gap``; a date
    dating no event is returned as it was."""
    events = find_phrases(terms.events, terms.event_of, text)
    if not events:
        return list(dates)
    places = find_phrases(terms.jurisdictions, terms.jurisdiction_of, text)
    result = []
    for fact in dates:
        start, end = fact.start - char_start, fact.end - char_start
        best: tuple[int, int, int, str] | None = None  # (words, from, to, event)
        for event_start, event_end, event in events:
            if event_end <= start:
                between, limit = text[event_end:start], _MAX_WORDS_AFTER
                span = (event_start, end)
            elif event_start >= end:
                between, limit = text[end:event_start], _MAX_WORDS_BEFORE
                span = (start, event_end)
            else:
                continue
            words = len(_WORD.findall(between))
            if words > limit or _CLAUSE_BREAK.search(between):
                continue
            if best is None or words < best[0]:
                best = (words, span[0], span[1], event)
        if best is None:
            result.append(fact)
            continue
        words, low, high, event = best
        person = _WORD.findall(text[max(0, low - 12) : low])
        if person and person[-1].lower() in terms.event_persons:
            result.append(fact)  # "he first synthesized MDMA in 1965": his first, not the drug's
            continue
        clause = text[max(0, low - 40) : high + 40]
        if terms.event_steps.search(clause):
            result.append(fact)  # "proposed for scheduling in July 1984": another step
            continue
        # "MDMA's analogue MDA was first synthesized in 1910": another compound's event.
        conditions = {event} | {
            q for s, e, q in find_phrases(terms.qualifiers, terms.qualifier_of, text[:high])
        }
        if event == "scheduling":
            schedule = _schedule(text[max(0, low - 40) : high + 40])
            if schedule is not None:
                conditions.add(schedule)
        # The place named in the clause up to the date, or just after it ("in 1916 in Germany").
        clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, low)), default=0)
        named = {place for s, e, place in places if clause_start <= s and e <= high + _PLACE_AFTER}
        result.append(
            replace(
                fact,
                conditions=frozenset(conditions),
                jurisdiction=named.pop() if len(named) == 1 else None,
                label_gap=words,
            )
        )
    return result
