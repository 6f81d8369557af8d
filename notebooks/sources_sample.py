"""The pages behind ``04_sources_disagree.ipynb``: eleven drugs of the shared real corpus.

Reads them straight from the archive (``../shared/corpus-real/dosewiki.tar.xz``, never
copied into the repository): every Markdown page of each drug's folder except the forum
threads (BLUELIGHT, up to 1 MB each, first-person talk rather than facts). These are the
drugs of the labelled cross-source pairs (``tests/fixtures/cross_source_pairs.jsonl``), so
the notebook, the pair scores and the tests read one build.

    python notebooks/sources_sample.py --pages /tmp/claimset-sources --out output/sources-sample
"""

from __future__ import annotations

import argparse
import sys
import tarfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

NOTEBOOKS_DIR = Path(__file__).resolve().parent
REPO_DIR = NOTEBOOKS_DIR.parent
ARCHIVE = REPO_DIR.parent / "shared" / "corpus-real" / "dosewiki.tar.xz"
DRUGS = (
    "Alprazolam", "Caffeine", "Diazepam", "Etizolam", "LSD", "MDMA", "Methadone",
    "Modafinil", "Oxycodone", "Pregabalin", "Tramadol",
)  # fmt: skip
# The drugs of the held-out pairs (``tests/fixtures/cross_source_pairs_heldout.jsonl``),
# labelled after the rules were written and never used to write them.
HELDOUT_DRUGS = ("Amphetamine", "Buprenorphine", "Clonazepam", "Gabapentin", "Heroin", "Lorazepam")
_LEFT_OUT_SITES = ("BLUELIGHT",)


def wanted(name: str, drugs: Sequence[str] = DRUGS) -> bool:
    """Whether an archive member is one of the sample's pages."""
    parts = PurePosixPath(name).parts
    return (
        len(parts) == 3
        and parts[0] == "drug-info-articles"
        and parts[1] in drugs
        and parts[2].endswith(".md")
        and not parts[2].startswith(_LEFT_OUT_SITES)
    )


def extract_pages(archive: Path, pages: Path, drugs: Sequence[str] = DRUGS) -> int:
    """Write the sample's pages under ``pages/<Drug>/``; the number written."""
    count = 0
    with tarfile.open(archive, "r:xz") as members:
        for member in members:
            if not member.isfile() or not wanted(member.name, drugs):
                continue
            handle = members.extractfile(member)
            assert handle is not None
            target = pages / PurePosixPath(member.name).parts[1] / PurePosixPath(member.name).name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(handle.read())
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--pages", type=Path, required=True, help="where to write the pages")
    parser.add_argument("--out", type=Path, required=True, help="the dataset to build")
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument(
        "--drugs",
        type=lambda value: tuple(v.strip() for v in value.split(",") if v.strip()),
        default=DRUGS,
        help="comma-separated drug folders of the archive (default: the eleven of the pairs; "
        f"the held-out pairs' six: {','.join(HELDOUT_DRUGS)})",
    )
    args = parser.parse_args(argv)
    n = extract_pages(args.archive, args.pages, args.drugs)
    print(f"{n} pages of {len(args.drugs)} drugs in {args.pages}")
    from extract.dataset.build import build
    from extract.dataset.config import BuildConfig

    summary = build([args.pages], args.out, BuildConfig(n_process=args.n_process), progress=False)
    print(summary.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
