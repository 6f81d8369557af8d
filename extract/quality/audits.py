"""Link confidence from audits: how often links of each kind were judged right on real pages.

A link's ``confidence`` is the share of links of its kind (relation, method and, for a
contradiction between values, the kind of value) that readers judged right in the audits of
``tests/fixtures/link_audits/`` (links sampled from builds and judged by reading both pages),
counting only the audited links the released rules still make. The share is smoothed
(``(right + 1) / (judged + 2)``) so a kind judged a few times is not called certain.

    python -m extract.quality.audits tests/fixtures/link_audits

rewrites ``extract/links/patterns/link_confidence.json``; a test checks the shipped file is
what the audits give.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from extract.links.confidence import CONFIDENCE_FILE, KIND_GROUPS, link_class


def audit_counts(folder: Path) -> dict[str, tuple[int, int]]:
    """(judged right, judged) per link class, over every audit round's links the released
    rules still make (``in_release``)."""
    right: Counter[str] = Counter()
    judged: Counter[str] = Counter()
    for path in sorted(folder.glob("round*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            row = json.loads(line)
            if not row.get("in_release") or row["judged"] == "unclear":
                continue
            name = link_class(row["predicted"], row["method"], row.get("fact_kind"))
            judged[name] += 1
            right[name] += row["judged"] == row["predicted"]
    return {name: (right[name], judged[name]) for name in sorted(judged)}


def confidence_table(folder: Path) -> dict[str, object]:
    """What ``link_confidence.json`` holds: per class, the smoothed share judged right and
    the counts it comes from."""
    counts = audit_counts(folder)
    return {
        "_about": (
            "Confidence of a link by its class (relation, method, and for a contradiction "
            "between values the kind of value): (right + 1) / (judged + 2) over the audited "
            "links the released rules still make (tests/fixtures/link_audits/). Written by "
            "`python -m extract.quality.audits tests/fixtures/link_audits`; do not edit."
        ),
        "kind_groups": {group: list(kinds) for group, kinds in KIND_GROUPS.items()},
        "confidence": {
            name: round((right + 1) / (judged + 2), 3) for name, (right, judged) in counts.items()
        },
        "judged": {
            name: {"right": right, "judged": judged} for name, (right, judged) in counts.items()
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("audits", type=Path, help="folder of audit rounds (round*.jsonl)")
    parser.add_argument("--out", type=Path, default=CONFIDENCE_FILE)
    args = parser.parse_args(argv)
    args.out.write_text(json.dumps(confidence_table(args.audits), indent=2) + "\n", "utf-8")
    for name, (right, judged) in audit_counts(args.audits).items():
        print(f"{name:<32} {right:>3} / {judged:<3} {(right + 1) / (judged + 2):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
