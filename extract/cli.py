"""The ``claimset`` command: a thin layer over the library API."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import DEFAULT_OUT_DIR, EXIT_SOME_DOCUMENTS_FAILED, build
from .config import DEFAULT_MODEL, BuildConfig
from .errors import ClaimsetError
from .evaluate import evaluate, format_report

MAIN_EPILOG = """\
examples:
  claimset build                               # the bundled sample corpus into output/
  claimset build pages/ --out data/claims      # every .txt/.md under pages/
  claimset eval --gold labelled/ --dataset output/
  python -c "import pandas as pd; print(pd.read_parquet('output/claims.parquet').head())"
"""

BUILD_EPILOG = """\
examples:
  claimset build
  claimset build ../shared/seeds --out /tmp/seeds
  claimset build a.txt notes/ --model en_core_web_md --n-process 2
  claimset build scraped.jsonl --text-column body --id-column url
  claimset build pages/ --engine dask --scheduler tcp://scheduler.example.org:8786

reads .txt .md .html .htm .pdf, and .jsonl .csv .parquet corpora (one document per row).
writes OUT/claims.parquet, OUT/documents.parquet, OUT/errors.jsonl and OUT/manifest.json,
switched in together at the end.
exit status: 0 all read, 3 finished with documents in error (OUT/errors.jsonl), 1 fatal,
2 usage.
"""


EVAL_EPILOG = """\
examples:
  claimset build ../shared/seeds --out /tmp/seeds
  claimset eval --gold ../shared/gold --dataset /tmp/seeds --report /tmp/seeds-eval.json
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimset",
        description="Turn health web pages into a typed, span-exact, citation-flagged claim "
        "dataset (Parquet).",
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"claimset {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    build_cmd = commands.add_parser(
        "build",
        help="extract claims from files or folders into Parquet",
        description="Extract claims from .txt and .md files (folders are searched recursively, "
        "hidden files skipped) into OUT/claims.parquet and OUT/documents.parquet. With no "
        "INPUT, builds the bundled sample corpus.",
        epilog=BUILD_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build_cmd.add_argument(
        "inputs", nargs="*", metavar="INPUT", help="files, folders or fsspec URLs (s3://…)"
    )
    build_cmd.add_argument(
        "--out",
        default=str(DEFAULT_OUT_DIR),
        help="output folder or fsspec URL (default: output/)",
    )
    build_cmd.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        help=f"installed spaCy pipeline to use (default: {DEFAULT_MODEL})",
    )
    build_cmd.add_argument(
        "--n-process", type=int, default=1, help="worker processes for the NLP pass (default: 1)"
    )
    build_cmd.add_argument(
        "--text-column",
        default="text",
        help="corpus files (.jsonl/.csv/.parquet): column holding the text (default: text)",
    )
    build_cmd.add_argument(
        "--id-column",
        default="id",
        help="corpus files: column holding the row id (default: id; row numbers if absent)",
    )
    build_cmd.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="where the NLP pass runs: this machine (default) or a Dask cluster",
    )
    build_cmd.add_argument(
        "--scheduler",
        default=None,
        help="with --engine dask: the scheduler address (default: a local 2-worker cluster)",
    )
    build_cmd.add_argument(
        "--no-cache",
        action="store_true",
        help="process every input afresh (default: reuse results of unchanged inputs)",
    )
    build_cmd.add_argument("--quiet", action="store_true", help="no progress bar, no summary line")
    eval_cmd = commands.add_parser(
        "eval",
        help="score a built dataset against hand-labelled gold sentences",
        description="Score a built dataset against gold JSONL files (one labelled sentence "
        "unit per line; see the README). Prints a table and writes the same figures as JSON.",
        epilog=EVAL_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    eval_cmd.add_argument("--gold", type=Path, required=True, help="folder of gold .jsonl files")
    eval_cmd.add_argument(
        "--dataset", type=Path, default=DEFAULT_OUT_DIR, help="built dataset (default: output/)"
    )
    eval_cmd.add_argument(
        "--report",
        type=Path,
        default=None,
        help="where to write the JSON report (default: DATASET/eval.json)",
    )
    return parser


def _run_eval(args: argparse.Namespace) -> int:
    report = evaluate(args.dataset, args.gold)
    print(format_report(report))
    target = args.report or args.dataset / "eval.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.tmp")
    staging.write_text(json.dumps(report.to_json(), indent=2) + "\n", "utf-8")
    os.replace(staging, target)
    print(f"Wrote {target}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            config = BuildConfig(
                model=args.model,
                n_process=args.n_process,
                text_column=args.text_column,
                id_column=args.id_column,
                engine=args.engine,
                scheduler=args.scheduler,
            )
            summary = build(
                args.inputs, args.out, config, progress=not args.quiet, use_cache=not args.no_cache
            )
            if not args.quiet:
                print(summary.line())
            return EXIT_SOME_DOCUMENTS_FAILED if summary.n_errors else 0
        if args.command == "eval":
            return _run_eval(args)
    except ClaimsetError as error:
        print(f"Error: {error}", file=sys.stderr)
        return error.exit_code
    except OSError as error:
        print(
            f"Error: {error.strerror or error}: {error.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("Error: interrupted; the previous dataset was left untouched", file=sys.stderr)
        return 130
    parser.error(f"unknown command {args.command!r}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
