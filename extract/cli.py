"""The ``claimset`` command: a thin layer over the library API."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from extract import __version__
from extract.dataset.build import DEFAULT_OUT_DIR, EXIT_SOME_DOCUMENTS_FAILED, build
from extract.dataset.config import BuildConfig
from extract.errors import ClaimsetError, UsageError
from extract.nlp.attrs import DEFAULT_MODEL
from extract.tables.io import write_text_atomic

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


REVIEW_EPILOG = """\
examples:
  claimset review status --dataset /tmp/seeds
  claimset review export --format csv --out queue.csv     # open in Excel, fill 'decision'
  claimset review import queue.csv --reviewer ana
  claimset review export --format labelstudio --out tasks.json
  claimset review import label-studio-export.json
  claimset review serve --port 8765                       # then open http://127.0.0.1:8765
  claimset review apply                                   # refresh OUT/claims_reviewed.parquet

decisions: accept (a claim as extracted), reject (not a claim), relabel (a claim of another
type: set claim_type), skip (seen, undecided). verdicts: supported, refuted,
not_enough_info, unverified. Every decision is appended to OUT/reviews.parquet; the latest
decision per claim counts; nothing is ever overwritten or deleted.
"""

EVALSET_EPILOG = """\
examples:
  claimset evalset --dataset /tmp/seeds --out /tmp/seeds-eval
  claimset evalset --out evalsets/v1 --split 70/15/15 --seed 7 --reviewed-only

writes OUT/verification/{train,validation,test}.{jsonl,parquet},
OUT/detection/{train,validation,test}.{jsonl,parquet}, OUT/README.md (dataset card),
OUT/croissant.json and OUT/evalset.json; an existing set in OUT is replaced only at the end.
"""

EVAL_EPILOG = """\
examples:
  claimset build ../shared/seeds --out /tmp/seeds
  claimset eval --gold ../shared/gold --dataset /tmp/seeds --report /tmp/seeds-eval.json
  claimset eval --pairs tests/fixtures/same_claim_pairs.jsonl --dataset /tmp/seeds
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
    eval_cmd.add_argument("--gold", type=Path, default=None, help="folder of gold .jsonl files")
    eval_cmd.add_argument(
        "--pairs",
        type=Path,
        default=None,
        help="JSONL of claim pairs: labelled same/contradicts/different by offsets (scores "
        "claim_links.parquet: precision and recall of same and of contradicts), or same/not "
        "by text (scores the clusters)",
    )
    eval_cmd.add_argument(
        "--dataset", type=Path, default=DEFAULT_OUT_DIR, help="built dataset (default: output/)"
    )
    eval_cmd.add_argument(
        "--report",
        type=Path,
        default=None,
        help="where to write the JSON report (default: DATASET/eval.json)",
    )
    eval_cmd.add_argument(
        "--genres",
        type=Path,
        default=None,
        help="a markdown table or CSV with 'file' and 'genre' columns (e.g. a corpus's "
        "SOURCES.md): adds scores by genre",
    )
    eval_cmd.add_argument(
        "--errors",
        type=Path,
        default=None,
        help="where to write every error as JSONL (default: DATASET/eval_errors.jsonl)",
    )
    _add_review_parser(commands)
    evalset_cmd = commands.add_parser(
        "evalset",
        help="export claim verification and claim detection sets with leak-safe splits",
        description="Export evaluation sets from a built (and reviewed) dataset: claim "
        "verification (FEVER/SciFact-style JSONL and Parquet) and claim detection "
        "(CheckThat!-style, every sentence), split train/validation/test so that no source "
        "document and no cluster of the same claim is in two splits; with a Hugging Face "
        "dataset card (README.md) and croissant.json.",
        epilog=EVALSET_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evalset_cmd.add_argument(
        "--dataset", type=Path, default=DEFAULT_OUT_DIR, help="built dataset (default: output/)"
    )
    evalset_cmd.add_argument("--out", type=Path, required=True, help="folder to write")
    evalset_cmd.add_argument(
        "--split", default="80/10/10", help="train/validation/test shares (default 80/10/10)"
    )
    evalset_cmd.add_argument("--seed", type=int, default=13, help="split seed (default 13)")
    evalset_cmd.add_argument(
        "--reviewed-only",
        action="store_true",
        help="verification: only claims a reviewer accepted or relabelled",
    )
    evalset_cmd.add_argument(
        "--license",
        default="other",
        help="license id for the card (default: other; the source pages keep their own terms)",
    )
    return parser


def _add_review_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    review_cmd = commands.add_parser(
        "review",
        help="review claims by hand: status, export/import (CSV, Label Studio), a review page",
        description="Review the claims of a built dataset. Decisions go to an append-only log, "
        "OUT/reviews.parquet, and follow their claims through rebuilds.",
        epilog=REVIEW_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = review_cmd.add_subparsers(dest="review_command", metavar="ACTION")
    actions.required = True

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(
            name, help=help_text, description=help_text[0].upper() + help_text[1:] + "."
        )
        sub.add_argument(
            "--dataset",
            type=Path,
            default=DEFAULT_OUT_DIR,
            help="built dataset folder (default: output/)",
        )
        return sub

    status = action("status", "print review progress by type and decision, and list orphans")
    status.add_argument("--json", action="store_true", help="print the figures as JSON")
    export = action("export", "write a review queue: a CSV for spreadsheets or Label Studio tasks")
    export.add_argument("--format", choices=("csv", "labelstudio"), default="csv")
    export.add_argument(
        "--out",
        type=Path,
        default=None,
        help="file to write (default: DATASET/review-queue.csv or DATASET/labelstudio-tasks.json)",
    )
    export.add_argument(
        "--all",
        action="store_true",
        help="include claims already decided (pre-filled with their latest decision)",
    )
    export.add_argument(
        "--offset-unit",
        choices=("utf-16", "codepoints"),
        default="utf-16",
        help="labelstudio: how task offsets count characters (default utf-16, as Label Studio "
        "counted them in the browser; newer releases count code points, which imports accept)",
    )
    import_cmd = action("import", "append the decisions of a filled CSV or a Label Studio export")
    import_cmd.add_argument("file", type=Path, metavar="FILE")
    import_cmd.add_argument(
        "--format",
        choices=("auto", "csv", "labelstudio"),
        default="auto",
        help="auto: .json is a Label Studio export, anything else CSV",
    )
    import_cmd.add_argument(
        "--reviewer", default=None, help="who decided (default: the file's reviewer column, $USER)"
    )
    action("apply", "write DATASET/claims_reviewed.parquet: claims with their latest decision")
    serve = action("serve", "start the local review page (http://127.0.0.1:PORT)")
    serve.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free)")
    serve.add_argument("--reviewer", default=None, help="reviewer name shown in the page")
    serve.add_argument("--open", action="store_true", help="open the page in a browser")


def _run_review(args: argparse.Namespace) -> int:
    from extract.review.view import apply_reviews, review_status, status_json

    dataset: Path = args.dataset
    command = args.review_command
    if command == "status":
        status = review_status(dataset)
        print(status_json(status) if args.json else status.format())
        return 0
    if command == "apply":
        print(apply_reviews(dataset).line())
        return 0
    if command == "export":
        if args.format == "csv":
            from extract.review.spreadsheet import export_csv

            target = args.out or dataset / "review-queue.csv"
            count = export_csv(dataset, target, include_reviewed=args.all)
        else:
            from extract.review.labelstudio import export_labelstudio

            target = args.out or dataset / "labelstudio-tasks.json"
            count = export_labelstudio(
                dataset, target, include_reviewed=args.all, offset_unit=args.offset_unit
            )
        print(f"Wrote {count} claim(s) to {target}")
        return 0
    if command == "import":
        return _run_review_import(args)
    if command == "serve":
        from extract.review.server import serve

        serve(dataset, port=args.port, reviewer=args.reviewer, open_browser=args.open)
        return 0
    return 2


def _run_review_import(args: argparse.Namespace) -> int:
    from extract.review.view import apply_reviews

    kind = args.format
    if kind == "auto":
        kind = "labelstudio" if args.file.suffix.lower() == ".json" else "csv"
    if kind == "csv":
        from extract.review.spreadsheet import import_csv

        result = import_csv(args.file, args.dataset, reviewer=args.reviewer)
        print(
            f"Recorded {len(result.decisions)} decision(s) from {args.file} "
            f"({result.n_unchanged} unchanged, {result.n_blank} row(s) without a decision)"
        )
    else:
        from extract.review.labelstudio_import import import_labelstudio

        count = import_labelstudio(args.file, args.dataset, reviewer=args.reviewer)
        print(f"Recorded {count} decision(s) from {args.file}")
    print(apply_reviews(args.dataset).line())
    return 0


def _run_eval(args: argparse.Namespace) -> int:
    if args.gold is None and args.pairs is None:
        raise UsageError("give --gold DIR (claims against gold sentences), --pairs FILE, or both")
    if args.pairs is not None:
        from extract.quality.pairs import score_pairs

        pairs = score_pairs(args.dataset, args.pairs)
        print(pairs.format())
        if args.gold is None:
            return 0
    from extract.quality.breakdown import (
        format_confusion,
        format_genres,
        genre_scores,
        read_genres,
        write_errors,
    )
    from extract.quality.gold import evaluate, format_report

    report = evaluate(args.dataset, args.gold)
    print(format_report(report))
    figures = report.to_json()
    if args.genres is not None:
        by_genre = genre_scores(report, read_genres(args.genres))
        figures["per_genre"] = by_genre
        print("\n" + format_genres(by_genre))
    print("\ntypes, gold (rows) against predicted (columns), gold claim units:")
    print(format_confusion(report.type_confusion))
    target = args.report or args.dataset / "eval.json"
    write_text_atomic(target, json.dumps(figures, indent=2) + "\n")
    errors = args.errors or args.dataset / "eval_errors.jsonl"
    write_errors(report, errors)
    print(f"Wrote {target} and {errors} ({len(report.errors)} errors)")
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
        if args.command == "review":
            return _run_review(args)
        if args.command == "evalset":
            from extract.evalset.export import export_evalset, parse_split

            exported = export_evalset(
                args.dataset,
                args.out,
                ratios=parse_split(args.split),
                seed=args.seed,
                reviewed_only=args.reviewed_only,
                license_id=args.license,
            )
            print(exported.format())
            return 0
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
