"""Dates in a claim, as intervals: "31 May 1985", "July 1, 1985", "February 2014", "1962",
"the 1960s", "the late 1930s".

A date is as precise as it is written: "2014" is the whole year, "August 2014" the month.
Two statements of one event agree when their intervals overlap ("August 18, 2014" and
"August 2014") and conflict when they do not ("January 2014" and "February 2014"). Values
are decimal years (2014.5 is mid-2014), so a reader of the Parquet sees plain numbers.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from extract.links.fact_record import Fact, value_form

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_MONTH = r"(?P<{0}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)"
# "2000 mg", "1500 patients": a number before a unit or a count noun is no year.
_NOT_A_QUANTITY = (
    r"(?!\s*(?:mg|g|µg|μg|mcg|ug|ml|kg|%|percent|hours?|hrs?|days?|minutes?|mins?|cases|"
    r"patients|people|participants|deaths|users|times|subjects|tablets|doses)\b)"
)
_DAY_MONTH_YEAR = [
    _MONTH.format("month1") + r"\s+" + _DAY.format("day1") + r",?\s+" + _YEAR.replace("year", "y1"),
    _DAY.format("day2") + r"\s+" + _MONTH.format("month2") + r",?\s+" + _YEAR.replace("year", "y2"),
    _MONTH.format("month3") + r",?\s+(?:of\s+)?" + _YEAR.replace("year", "y3"),
    r"(?:the\s+)?(?P<part>early|mid|late)?-?\s*(?P<decade>1[5-9]\d0|20\d0)'?s",
    _YEAR.replace("year", "y4") + _NOT_A_QUANTITY,
]
_DATE = re.compile(r"(?<![\w/-])(?:" + "|".join(_DAY_MONTH_YEAR) + r")(?![\w/-])", re.I)


def _decimal(day: date) -> float:
    start = date(day.year, 1, 1).toordinal()
    length = date(day.year + 1, 1, 1).toordinal() - start
    return round(day.year + (day.toordinal() - start) / length, 4)


def _interval(match: re.Match[str]) -> tuple[float, float] | None:
    groups = match.groupdict()
    try:
        for number in ("1", "2"):
            if groups[f"y{number}"]:
                year, month = int(groups[f"y{number}"]), _MONTHS[groups[f"month{number}"].lower()]
                day = date(year, month, int(groups[f"day{number}"]))
                return _decimal(day), _decimal(day) + 0.0027
        if groups["y3"]:
            year, month = int(groups["y3"]), _MONTHS[groups["month3"].lower()]
            last = calendar.monthrange(year, month)[1]
            return _decimal(date(year, month, 1)), _decimal(date(year, month, last)) + 0.0027
    except ValueError:
        return None  # "February 30, 2014"
    if groups["decade"]:
        start = int(groups["decade"])
        offset = {"early": (0, 3), "mid": (3, 7), "late": (6, 10)}.get(
            (groups["part"] or "").lower(), (0, 10)
        )
        return float(start + offset[0]), float(start + offset[1])
    year = int(groups["y4"])
    return float(year), float(year + 1)


# A year that names a law or treaty ("Misuse of Drugs Act 1971", "the 1961 Single
# Convention") dates no event of the drug.
_NAMING_YEAR = re.compile(
    r"\b(?:act|acts|convention|regulations?|law|ordinance|order)(?:\s+of)?\s*,?\s*$", re.I
)
_NAMED_BY_YEAR = re.compile(r"^\s*(?:single\s+)?(?:convention|act|regulations?|law)\b", re.I)


def date_facts(text: str, char_start: int) -> list[Fact]:
    """Every date of a claim, as a ``date`` fact (an interval of decimal years)."""
    facts = []
    for match in _DATE.finditer(text):
        if _NAMING_YEAR.search(text[max(0, match.start() - 20) : match.start()]) or (
            _NAMED_BY_YEAR.match(text[match.end() : match.end() + 30])
        ):
            continue
        interval = _interval(match)
        if interval is None:
            continue
        facts.append(
            Fact(
                kind="date",
                route=None,
                level=None,
                jurisdiction=None,
                low=interval[0],
                high=interval[1],
                unit="year",
                status=None,
                text=match.group(0).strip(),
                start=char_start
                + match.start()
                + (len(match.group(0)) - len(match.group(0).lstrip())),
                end=char_start + match.end(),
                form=value_form(text),
            )
        )
    return facts
