"""Lists of facts: which lines are items under a lead-in, and what kind of fact they list.

Drug pages state many facts as lists: "Adverse effects of methadone include:" over
"- Sedation" and "- Flushing[40]", "**Dosage:**" over "- Common: 0.5 - 1.5 mg", a
"#### Negative" heading over "- Tachycardia", "Diazepam has several uses, including:" over
unbulleted lines ("Treatment of muscle spasms"). An item alone is too short to read as a
sentence; under its lead-in it is a claim, and the lead-in says what kind.

A lead-in is a markdown heading, a line in bold alone, a short line in capitals, or a short
line ending in a colon. The lines after it are its items while they are bulleted or
numbered, or "Label: value" lines ("Onset: 15 - 30 minutes"), or, after a lead-in ending in
a colon, short lines without a closing full stop. Anything else ends the list: a paragraph
of prose, or the cells of a table, one per line ("Tablet", "5 MG"), which state nothing
alone. Lead-ins are matched against
``patterns/list_lead_ins.json`` (phrases and the claim type they give their items); a
lead-in that matches nothing leaves its items to the ordinary rules. Pure text, no spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from extract.nlp.lexicons import load_json

LEAD_INS_FILE = "list_lead_ins.json"
# A lead-in ending in a colon is a short line, not a sentence that happens to end in one.
_LEAD_IN_MAX_WORDS = 15
# An unbulleted item is a short line without a closing full stop.
_ITEM_MAX_WORDS = 50
# An unbulleted line this short just before a paragraph is that paragraph's heading.
_TITLE_MAX_WORDS = 4
_LIST_MARK = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)])\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(?P<title>[^*_]+?)(?:\*\*|__)\s*:?\s*$")
_CAPITALS_MAX_WORDS = 6
_LABEL_VALUE = re.compile(
    r"^\s*(?:\*\*|__|\*|_)?[^\W\d_][^:\n]{0,40}?(?:\*\*|__|\*|_)?\s*:\s*(?:\*\*|__)?\s*[^\s*_/]"
)
# A bold line that gives a value ("**Onset : 1 - 15 minutes Peak : 10 - 30 minutes**") is a
# fact in bold, not a lead-in.
_QUANTITY = (
    r"~?\d[\d.,]*\s*(?:(?:[-–]|to)\s*\d[\d.,]*\s*)?"
    r"(?:s|sec|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|mg|µg|ug|mcg|g|ml|%"
    r"|g/mol|l/kg|ml/min(?:/kg)?)(?![\w/])"
)
_VALUE_WITH_UNIT = re.compile(r":\s*(?:\*\*|__)?\s*" + _QUANTITY, re.I)
# A line that is only a quantity ("23-215 hours", "98-99%"): the value of the heading above.
_BARE_QUANTITY = re.compile(r"^\s*" + _QUANTITY + r"(?:\s*\([^()\n]{0,80}\))?\s*$", re.I)
# A "Label: value" line whose value is a quantity is a fact wherever it stands; a label this
# long is a sentence that happens to hold a colon.
_VALUE_LABEL_MAX_WORDS = 5
_REFERENCE_AT_END = re.compile(r"\[[^\]\n]{1,12}\]$")
# Where the last sentence of a line starts: after a stop and any references glued to it.
_SENTENCE_BREAK = re.compile(r"[.!?](?:\[[^\]\n]{1,12}\])*\s+")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class ListItem:
    """A line that is an item of a list under a lead-in."""

    lead_in: str  # the lead-in's words ("Adverse effects of methadone include")
    claim_type: str | None  # the kind of fact its lead-in lists, None if not known
    colon: bool = False  # the lead-in ends in a colon: it announces the lines after it


@dataclass(frozen=True)
class _LeadInLexicon:
    pattern: re.Pattern[str]  # every phrase, longest first: the leftmost-longest match wins
    whole: Mapping[str, str]  # phrase -> claim type


@cache
def _lexicon() -> _LeadInLexicon:
    data: Mapping[str, list[str]] = load_json(LEAD_INS_FILE)["types"]
    pairs = [(phrase.lower(), claim_type) for claim_type, words in data.items() for phrase in words]
    pairs.sort(key=lambda pair: (-len(pair[0]), pair[0]))
    alternatives = "|".join(re.escape(phrase) for phrase, _ in pairs)
    return _LeadInLexicon(re.compile(r"\b(?:" + alternatives + r")\b"), dict(pairs))


def _without_trailing_references(line: str) -> str:
    """The line stripped, and without the bracketed references closing it ("… include:[4]")."""
    bare = line.strip()
    end = len(bare)
    while end and bare[end - 1] == "]":
        # Only the last few characters before ``end`` are looked at: linear however long.
        found = _REFERENCE_AT_END.search(bare, max(0, end - 14), end)
        if found is None:
            break
        end = found.start()
        while end and bare[end - 1].isspace():
            end -= 1
    return bare[:end]


def lead_in_type(lead_in: str) -> str | None:
    """The claim type a lead-in gives its items ("Adverse effects include" -> safety)."""
    lexicon = _lexicon()
    found = lexicon.pattern.search(lead_in.lower())
    return lexicon.whole[found.group(0)] if found else None


# Levels of lead-ins: markdown headings 1-6; a bold or capitals line sits below any heading,
# a colon line below that.
_BOLD_LEVEL = 7
_COLON_LEVEL = 8


@dataclass(frozen=True)
class _LeadIn:
    words: str
    level: int
    colon: bool


def _lead_in(line: str) -> _LeadIn | None:
    """The lead-in a line is, or None."""
    heading = _HEADING.match(line)
    if heading:
        title = heading.group("title").strip()
        level = len(line) - len(line.lstrip().lstrip("#"))
        return _LeadIn(title.rstrip(":").strip(), min(level, 6), title.endswith(":"))
    bold = _BOLD_LINE.match(line)
    if bold and not _VALUE_WITH_UNIT.search(bold.group("title")):
        title = bold.group("title").strip()
        colon = title.endswith(":") or line.rstrip().endswith(":")
        return _LeadIn(title.rstrip(":").strip(), _BOLD_LEVEL, colon)
    if _LIST_MARK.match(line):
        return None
    bare = _without_trailing_references(line)
    if bare.endswith(":"):
        # A paragraph may end in its lead-in: "… Adverse effects of methadone include:".
        # (split, not a search anchored at the end: linear on a long line)
        words = _SENTENCE_BREAK.split(bare[:-1])[-1].strip()
        if 0 < len(_WORD.findall(words)) <= _LEAD_IN_MAX_WORDS:
            return _LeadIn(words, _COLON_LEVEL, True)
        return None
    words_found = _WORD.findall(bare)
    if (
        words_found
        and len(words_found) <= _CAPITALS_MAX_WORDS
        and bare.isupper()
        and bare[-1].isalpha()
    ):
        return _LeadIn(bare, _BOLD_LEVEL, False)  # "COGNITIVE SYMPTOMS"
    if (
        words_found
        and len(words_found) <= _TITLE_MAX_WORDS
        and not bare.endswith((".", "!", "?"))
        and bare.lower() in _lexicon().whole
    ):
        return _LeadIn(bare, _BOLD_LEVEL, False)  # a plain-text heading: "Adverse effects"
    return None


def _is_prose(line: str) -> bool:
    bare = _without_trailing_references(line)
    return not _LIST_MARK.match(line) and bare.endswith((".", "!", "?"))


def _is_item(line: str, lead_in: ListItem, first: bool, next_line: str | None) -> bool:
    if _LIST_MARK.match(line) or _LABEL_VALUE.match(line):
        return True
    bare = _without_trailing_references(line)
    words = len(_WORD.findall(bare))
    if first and words <= _TITLE_MAX_WORDS and next_line is not None and _is_prose(next_line):
        return False  # "Constipation" over a paragraph about it: a heading, not a list
    return lead_in.colon and not bare.endswith((".", "!", "?")) and words <= _ITEM_MAX_WORDS


def _value_line(
    line: str, current: ListItem | None, first: bool, sections: list[tuple[int, str | None]]
) -> ListItem | None:
    """A line stating a value on its own: "Molecular weight: 315.369 g/mol", or a bare
    "23-215 hours" first under its heading ("### Half-life"). Its type: the label's or the
    section's kind of fact, else "other"."""
    section_type = next((t for _, t in reversed(sections) if t is not None), None)
    if _BARE_QUANTITY.match(line) and current is not None and first:
        return ListItem(current.lead_in, current.claim_type or "other")
    label_value = _LABEL_VALUE.match(line)
    if label_value is None or _LIST_MARK.match(line) or not _VALUE_WITH_UNIT.search(line):
        return None
    label = line[: line.index(":")].strip(" \t*_\u00a0")
    if len(_WORD.findall(label)) > _VALUE_LABEL_MAX_WORDS or label.lower() in _chrome_labels():
        return None
    claim_type = lead_in_type(label) or section_type or "other"
    return ListItem(current.lead_in if current is not None else label, claim_type)


@cache
def _chrome_labels() -> frozenset[str]:
    return frozenset(label.lower() for label in load_json(LEAD_INS_FILE)["not_value_labels"])


@dataclass(frozen=True)
class PageLists:
    """The lists of a page: items by the start of their line, and the lines that lead in."""

    items: Mapping[int, ListItem]
    lead_in_lines: frozenset[int]  # starts of colon lead-in lines followed by items


def page_lists(text: str, lines: Iterable[tuple[int, int]]) -> PageLists:
    """Find the lists of a page. ``lines``: ``(start, end)`` of every line, in order.

    Sections nest: a lead-in naming no kind of fact takes its section's ("## Timeline" over
    "#### Oral" over "- Onset: 15 minutes": onset).
    """
    items: dict[int, ListItem] = {}
    lead_in_lines: set[int] = set()
    sections: list[tuple[int, str | None]] = []  # (level, claim type) of open lead-ins
    current: ListItem | None = None
    current_line = -1
    listed = 0  # items in the current list so far
    # Blank lines separate items as often as they end lists: only the others count.
    filled = [(start, end) for start, end in lines if text[start:end].strip()]
    for number, (start, end) in enumerate(filled):
        line = text[start:end]
        following = filled[number + 1] if number + 1 < len(filled) else None
        next_line = text[following[0] : following[1]] if following else None
        lead_in = _lead_in(line)
        if lead_in is not None:
            while sections and sections[-1][0] >= lead_in.level:
                sections.pop()
            sections.append((lead_in.level, lead_in_type(lead_in.words)))
            claim_type = next((t for _, t in reversed(sections) if t is not None), None)
            current = ListItem(lead_in.words, claim_type, lead_in.colon)
            current_line = start
            listed = 0
            continue
        if current is not None and _is_item(line, current, not listed, next_line):
            # An item under a lead-in of no known kind may still state a value of its own.
            items[start] = (
                current
                if current.claim_type
                else _value_line(line, current, not listed, sections) or current
            )
            listed += 1
            if current.colon:
                lead_in_lines.add(current_line)
            continue
        value_item = _value_line(line, current, not listed, sections)
        if value_item is not None:
            items[start] = value_item
            listed += 1
            continue
        current = None  # prose ends the list, and the lead-ins below headings with it
        while sections and sections[-1][0] >= _BOLD_LEVEL:
            sections.pop()
    return PageLists(items, frozenset(lead_in_lines))
