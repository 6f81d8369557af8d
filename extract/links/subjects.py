"""What a claim is about: the drugs it speaks of, as canonical (case-folded) names.

A claim's subject is the drugs it names (entity mentions, and the page's own drug by
name), in the order it names them. A claim that names none ("It blocks the NMDA receptor",
"Onset: 15 - 60 minutes"), or refers back to the page's drug ("the drug", "its half-life"),
speaks of the page's subject. The page's subject comes from its title when the title is a
name rather than a headline, else from a file name of the form "SITE - Drug.md", else from
the drug its claims mention most.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

# A title of at most this many words that is not a sentence is a name ("# Tramadol").
_TITLE_MAX_WORDS = 4
_TITLE = re.compile(r"\A\s*(?:#{1,2}[ \t]+)?([^\n]{1,120})")
_MARKUP = re.compile(r"[*_`\[\]]|\(https?://[^)]*\)")
_TITLE_PARTS = re.compile(r"[()/,;]| - ")
_FILE_NAME = re.compile(r"^[A-Z0-9_]+ - (.+)$")
# A drug named within this many characters of a claim's start is what it speaks of.
_SUBJECT_REACH = 30
# Words that refer back to the page's subject.
_ANAPHOR = re.compile(
    r"\b(?:it|its|both|(?:this|the) (?:drug|substance|medication|medicine))\b",
    re.I,
)


# Words before a drug that set the claim's drug beside it ("as with other opioids", "unlike
# most benzodiazepines", "like many stimulants").
_SET_BESIDE = re.compile(
    r"\b(?:other|most|many|all|some|unlike|like)\s+(?:\[)?(?:[\w-]+\s+)?(?:\[)?$", re.I
)


def _clean(name: str) -> str:
    return " ".join(_MARKUP.sub("", name).split()).strip(" :-–|").casefold()


def _drug_mentions(claims: Iterable[Mapping[str, Any]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for claim in claims:
        for entity in claim["entities"]:
            if entity["label"] == "DRUG":
                counts[str(entity["canonical"]).casefold()] += 1
    return counts


def _name_of_title(text: str) -> str | None:
    match = _TITLE.match(text)
    if match is None:
        return None
    title = _clean(match.group(1))
    words = title.split()
    if (
        not words
        or len(words) > _TITLE_MAX_WORDS
        or re.search(r"[.!?;:,]$|\b(?:is|are|the|for|and|how|what|why)\b", title)
    ):
        return None
    return title


def page_subject(text: str, source_file: str, claims: Sequence[Mapping[str, Any]]) -> str | None:
    """The drug a page is about, case-folded; None when nothing says."""
    mentions = _drug_mentions(claims)
    aliases = {
        str(entity["text"]).casefold(): str(entity["canonical"]).casefold()
        for claim in claims
        for entity in claim["entities"]
        if entity["label"] == "DRUG"
    }
    # A title naming a known drug ("# 3,4-Methylenedioxymethamphetamine (MDMA)"), then a
    # file name of the form "SITE - Drug.md", then any short title.
    title = _name_of_title(text)
    if title is not None:
        for part in [title, *_TITLE_PARTS.split(title)]:
            if part.strip() in aliases:
                return aliases[part.strip()]
    named = _FILE_NAME.match(PurePosixPath(source_file).stem)
    if named is not None:
        name = _clean(named.group(1))
        return aliases.get(name, name)
    if title is not None:
        return title
    if mentions:
        return mentions.most_common(1)[0][0]
    return None


def claim_subjects(claim: Mapping[str, Any], page: str | None) -> list[str]:
    """The drugs one claim speaks of, in the order it names them (the page's drug first
    when the claim names none or refers back to it)."""
    text: str = claim["text"]
    base = int(claim["char_start"])
    named: list[tuple[int, str]] = [
        (int(entity["start"]) - base, str(entity["canonical"]).casefold())
        for entity in claim["entities"]
        if entity["label"] == "DRUG"
    ]
    if page is not None:
        for match in re.finditer(r"(?<!\w)" + re.escape(page) + r"(?!\w)", text, re.I):
            named.append((match.start(), page))
    # "As with other opioids, oxycodone …": a class the drug is set beside is not what the
    # claim speaks of first.
    named = [
        (len(text) if _SET_BESIDE.search(text[max(0, start - 24) : start]) else start, name)
        for start, name in named
    ]
    subjects: list[str] = []
    for _, name in sorted(named):
        if name not in subjects:
            subjects.append(name)
    # The page's drug, unless the claim opens on another drug ("Codeine is converted to
    # morphine"): a claim naming other drugs only later speaks of the page's drug too.
    opens_on_other = bool(named) and min(named)[0] <= _SUBJECT_REACH
    if page is not None and page not in subjects and (not opens_on_other or _ANAPHOR.search(text)):
        subjects.insert(0, page)
    return subjects
