"""Benchmark citylinks at scale: run_all.py per corpus size, matching baselines, fixed costs.

    python benchmarks/run_benchmark.py --sizes 1000,10000 --repeat 3 [--write-readme]

For each corpus size (synthetic corpora from make_corpus.py, kept in benchmarks/corpora/):
- run_all.py as a subprocess: wall time of each stage (parsed from its "[1/3] name: done in
  3.1 s" lines), start-up and publishing (the time around them) and the whole run; peak memory
  of run_all.py and all its children (the notebook kernels and their workers): the sum of their
  proportional set sizes (PSS, shared pages split between processes) and, as an upper bound, of
  their resident set sizes (summed RSS, sampled every 0.1 s).
- baselines on the same texts and the same terms, side by side: (a) reading the files, (b) one
  pass of a pyahocorasick automaton over the lowercased text, (c) the NLTK route (tokenise,
  MWETokenizer, Counter), and citylinks' own matchers (find_sector_mentions +
  find_place_mentions) with their ratio to (b).
The evidence pages of each size's first run: their size and what they hold, and the step
that writes them timed again on its tables (the size check of issue 21:
`--sizes 10000 --repeat 1 --skip baselines,fixed,rerun,imports`).
Once per benchmark: the notebook machinery floor (notebook_floor.py) against run_all.py on the
five seed articles; the re-run case (a full run on 10,000 articles, ten articles added, run
again); start-up import costs (`python -X importtime`). Every figure is the median of --repeat
runs; every ratio is the median of ratios measured in the same repeat.

The results are a markdown table on stdout (progress goes to stderr); --write-readme puts it
into benchmarks/README.md between the results markers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

import psutil

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from make_corpus import (  # noqa: E402 - the folder is put on the path just above
    GENERATOR_VERSION,
    PARTNER_TERMS,
    SECTOR_TERMS,
    make_corpus,
    read_manifest,
)

CORPORA = BENCH_DIR / "corpora"
README = BENCH_DIR / "README.md"
RUN_ALL = ROOT / "run_all.py"
SEED_CORPUS = ROOT / "corpus"
LEXICON = ROOT / "config" / "sectors.yaml"
GAZETTEER = ROOT / "config" / "partners.yaml"
RESULTS_START = "<!-- results:start -->"
RESULTS_END = "<!-- results:end -->"
STAGE_LINE = re.compile(r"^\[(\d+)/(\d+)\] (\S+): done in ([\d.]+) s")
SAMPLE_SECONDS = 0.1
# Reading PSS makes the kernel walk each process's page tables (about 50 ms per GB here): it is
# sampled only as often as keeps that under this share of one core, so it cannot slow the run.
PSS_SHARE = 0.05
DEFAULT_SIZES = "1000,10000,100000"
BUILTIN_TERMS = SECTOR_TERMS + PARTNER_TERMS
# What the issue asks of the pipeline (issue 7), shown next to the measured figures.
TARGET_MATCHER_RATIO = 2.0
TARGET_SEED_RATIO = 1.3
TARGET_RERUN_RATIO = 0.2
TARGET_100K_SECONDS = 120
TARGET_100K_MB = 1536
LARGE = 100_000  # corpora this big may take fewer repeats (--large-repeat)
DEFAULT_MEMORY_LIMIT_MB = 12_000  # half the machine: other work goes on beside a benchmark


def say(message: str) -> None:
    """Progress for the person waiting, on stderr (stdout holds only the results)."""
    print(f"[benchmark {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- Corpora ----------------------------------------------------------------------------------


def size_label(n: int) -> str:
    """Return a short name for a corpus size: 1000 -> '1k', 100000 -> '100k'."""
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def ensure_corpus(n_articles: int, *, seed: int = 0, folder: Path | None = None) -> Path:
    """Return the folder of the synthetic corpus of this size and seed, generating it if needed."""
    folder = folder or CORPORA / (size_label(n_articles) + (f"-seed{seed}" if seed else ""))
    manifest = read_manifest(folder)
    wanted = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "first": 0,
        "articles": n_articles,
    }
    if manifest and all(manifest.get(k) == v for k, v in wanted.items()):
        if sum(1 for _ in folder.glob("*.txt")) == n_articles:
            return folder
    shutil.rmtree(folder, ignore_errors=True)
    say(f"generating {n_articles:,} articles into {folder}")
    started = time.perf_counter()
    make_corpus(folder, n_articles, seed=seed, workers=os.cpu_count() or 1)
    say(f"generated in {time.perf_counter() - started:.1f} s")
    return folder


def list_articles(corpus: Path) -> list[Path]:
    """Return the article files of a corpus, in name order."""
    return sorted(corpus.glob("*.txt"))


def read_texts(files: list[Path]) -> list[str]:
    """Return the decoded text of every file."""
    return [p.read_bytes().decode("utf-8") for p in files]


# --- Baselines --------------------------------------------------------------------------------


@dataclass
class Timing:
    """Seconds one pass took, and how many things it handled (bytes, matches, tokens)."""

    seconds: float
    items: int


@dataclass
class Terms:
    """The terms every baseline looks for, where they came from, and the compiled matchers."""

    terms: list[str]
    source: str
    lexicon: object = None
    gazetteer: object = None
    notes: list[str] = field(default_factory=list)


def load_terms(*, lexicon_path: Path = LEXICON, gazetteer_path: Path = GAZETTEER) -> Terms:
    """Return the sector lexicon's terms and the gazetteer's names, or the built-in list."""
    terms: list[str] = []
    sources: list[str] = []
    notes: list[str] = []
    lexicon = gazetteer = None
    if lexicon_path.exists():
        try:
            from citylinks.sectors import load_lexicon

            lexicon = load_lexicon(lexicon_path)
            found = [t for s in lexicon.sectors for t in (*s.terms, *s.exclude)]
            terms += found
            sources.append(f"{len(found):,} terms and excludes of {lexicon_path.name}")
        except Exception as exc:  # noqa: BLE001 - the benchmark still runs on built-in terms
            notes.append(f"sector lexicon not used ({type(exc).__name__}: {exc})")
    if lexicon is None:
        terms += SECTOR_TERMS
        sources.append(f"{len(SECTOR_TERMS)} built-in sector terms")
    if gazetteer_path.exists():
        try:
            from citylinks.partners import load_gazetteer

            gazetteer = load_gazetteer(gazetteer_path, home="Hanoi", home_country="VN")
            found = [key for key, _ in gazetteer.keys]
            terms += found
            sources.append(f"{len(found):,} place names of {gazetteer_path.name} and the packages")
        except Exception as exc:  # noqa: BLE001
            notes.append(f"partner gazetteer not used ({type(exc).__name__}: {exc})")
    if gazetteer is None:
        terms += PARTNER_TERMS
        sources.append(f"{len(PARTNER_TERMS)} built-in partner names")
    unique = list(dict.fromkeys(t.lower() for t in terms if t.strip()))
    return Terms(unique, " + ".join(sources), lexicon, gazetteer, notes)


def time_reading(files: list[Path]) -> Timing:
    """(a) Read and decode every file, nothing else."""
    started = time.perf_counter()
    size = 0
    for path in files:
        size += len(path.read_bytes().decode("utf-8"))
    return Timing(time.perf_counter() - started, size)


def build_automaton(terms: list[str]):
    """Compile lowercased terms into one pyahocorasick automaton."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for term in terms:
        key = term.lower()
        automaton.add_word(key, len(key))
    automaton.make_automaton()
    return automaton


def time_automaton(texts: list[str], automaton) -> Timing:
    """(b) Lowercase each text and take every automaton hit once: the floor for matching."""
    started = time.perf_counter()
    hits = 0
    for text in texts:
        for _ in automaton.iter(text.lower()):
            hits += 1
    return Timing(time.perf_counter() - started, hits)


def build_rust_automaton(terms: list[str]):
    """Compile lowercased terms into one ahocorasick-rs automaton (the engine of citylinks' own
    matchers), reporting every hit as pyahocorasick does."""
    import ahocorasick_rs

    keys = list(dict.fromkeys(term.lower() for term in terms if term))
    return ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard)


def time_rust_automaton(texts: list[str], automaton) -> Timing:
    """(b″) Lowercase each text and take every hit of the ahocorasick-rs automaton at once."""
    started = time.perf_counter()
    hits = 0
    for text in texts:
        hits += len(automaton.find_matches_as_indexes(text.lower(), overlapping=True))
    return Timing(time.perf_counter() - started, hits)


NLTK_TOKEN = r"\w+(?:[-'’]\w+)*"


def build_nltk(terms: list[str]):
    """Return (word tokenizer, multi-word tokenizer, term keys) for the NLTK route."""
    from nltk.tokenize import MWETokenizer, RegexpTokenizer

    tokenizer = RegexpTokenizer(NLTK_TOKEN)
    phrases = [tuple(tokenizer.tokenize(t.lower())) for t in terms]
    phrases = [p for p in phrases if p]
    mwe = MWETokenizer([p for p in phrases if len(p) > 1], separator=" ")
    return tokenizer, mwe, frozenset(" ".join(p) for p in phrases)


def time_nltk(texts: list[str], route) -> Timing:
    """(c) Tokenise the lowercased text, join multi-word terms, count the terms."""
    tokenizer, mwe, keys = route
    started = time.perf_counter()
    counts: Counter = Counter()
    for text in texts:
        counts.update(t for t in mwe.tokenize(tokenizer.tokenize(text.lower())) if t in keys)
    return Timing(time.perf_counter() - started, sum(counts.values()))


def time_sector_matcher(texts: list[str], lexicon) -> Timing:
    """citylinks.sectors.find_sector_mentions over every text."""
    from citylinks.sectors import find_sector_mentions

    started = time.perf_counter()
    found = 0
    for text in texts:
        found += len(find_sector_mentions(text, lexicon))
    return Timing(time.perf_counter() - started, found)


def time_place_matcher(texts: list[str], gazetteer) -> Timing:
    """citylinks.partners.find_place_mentions over every text."""
    from citylinks.partners import find_place_mentions

    started = time.perf_counter()
    found = 0
    for text in texts:
        found += len(find_place_mentions(text, gazetteer))
    return Timing(time.perf_counter() - started, found)


def measure_baselines(files: list[Path], terms: Terms, *, repeat: int) -> dict:
    """Run every baseline `repeat` times on the same texts; return medians and ratios."""
    say(f"baselines on {len(files):,} files ({repeat}×)")
    texts = read_texts(files)
    automaton = build_automaton(terms.terms)
    small = build_automaton(BUILTIN_TERMS)  # the trial used about 40 terms
    rust = build_rust_automaton(terms.terms)
    route = build_nltk(terms.terms)
    rows: list[dict[str, float]] = []
    items: dict[str, int] = {}
    for r in range(repeat):
        row = {}
        for name, run in [
            ("read", lambda: time_reading(files)),
            ("automaton", lambda: time_automaton(texts, automaton)),
            ("automaton42", lambda: time_automaton(texts, small)),
            ("automaton_rs", lambda: time_rust_automaton(texts, rust)),
            ("nltk", lambda: time_nltk(texts, route)),
            ("sectors", lambda: time_sector_matcher(texts, terms.lexicon)),
            ("partners", lambda: time_place_matcher(texts, terms.gazetteer)),
        ]:
            if name == "sectors" and terms.lexicon is None:
                continue
            if name == "partners" and terms.gazetteer is None:
                continue
            timing = run()
            row[name] = timing.seconds
            items[name] = timing.items
        if "sectors" in row and "partners" in row:
            row["matchers"] = row["sectors"] + row["partners"]
            row["matchers/automaton"] = row["matchers"] / row["automaton"]
        row["nltk/automaton"] = row["nltk"] / row["automaton"]
        row["automaton/read"] = row["automaton"] / row["read"]
        rows.append(row)
        say(f"  repeat {r + 1}: " + ", ".join(f"{k} {v:.2f}" for k, v in row.items()))
    medians = {k: statistics.median(row[k] for row in rows) for k in rows[0]}
    return {
        "files": len(files),
        "chars": sum(len(t) for t in texts),
        "medians": medians,
        "items": items,
        "terms": len(terms.terms),
    }


# --- Runs of run_all.py (and of the floor) -----------------------------------------------------


@dataclass
class Step:
    """One step of a run: its name, seconds and the peak memory seen while it ran."""

    name: str
    seconds: float
    peak_mb: float  # summed resident set sizes
    pss_mb: float = 0.0  # summed proportional set sizes: shared pages split between processes


@dataclass
class RunResult:
    """A monitored run: total wall time, peak memory, its steps, and whether it succeeded."""

    seconds: float
    peak_mb: float
    steps: list[Step]
    returncode: int
    error: str = ""
    pss_mb: float = 0.0


def _tree_memory(process: psutil.Process, *, with_pss: bool = True) -> tuple[int, int | None]:
    """Return the summed resident and proportional set sizes of a process and its descendants.

    RSS counts a page shared between processes (a forked worker's inherited memory) in each;
    PSS splits it between them, so their sum is what the run takes from the machine. Without
    `with_pss`, only RSS is read (PSS is None)."""
    rss, pss = 0, 0 if with_pss else None
    try:
        family = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0, pss
    for member in family:
        try:
            size = member.memory_info().rss
        except psutil.Error:
            continue
        rss += size
        if with_pss:
            pss += _pss(member.pid, size)
    return rss, pss


def _pss(pid: int, rss: int) -> int:
    """Return a process's proportional set size from the kernel's one-line summary.

    /proc/PID/smaps_rollup costs well under a millisecond; psutil's memory_full_info parses every
    mapping (tens of milliseconds a sample for a process of a few GB, enough to slow the run it
    measures). Where the summary is missing (not Linux), the resident size stands in."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return rss


def _stop_tree(process: psutil.Process) -> None:
    """Kill a process this benchmark started, and its children (the notebook kernels)."""
    try:
        family = [*process.children(recursive=True), process]
    except psutil.Error:
        family = [process]
    for member in family:
        try:
            member.kill()
        except psutil.Error:
            pass


def run_monitored(
    command: list[str],
    *,
    env: dict | None = None,
    cwd: Path = ROOT,
    memory_limit_mb: float | None = None,
) -> RunResult:
    """Run a command that prints run_all.py's stage lines; time its steps and sample its memory.

    With `memory_limit_mb`, a run whose processes together grow past it is stopped (so a
    benchmark cannot take the machine's memory from everyone else) and reported as failed."""
    errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    started = time.perf_counter()
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=errors,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )
    lines: list[tuple[float, str]] = []

    def read_stdout() -> None:
        for line in proc.stdout:
            lines.append((time.perf_counter(), line.rstrip("\n")))

    reader = threading.Thread(target=read_stdout, daemon=True)
    reader.start()
    watched = psutil.Process(proc.pid)
    samples: list[tuple[float, int, int | None]] = []
    stopped = ""
    next_pss = 0.0
    while proc.poll() is None:
        now = time.perf_counter()
        rss, pss = _tree_memory(watched, with_pss=now >= next_pss)
        if pss is not None:
            next_pss = now + (time.perf_counter() - now) / PSS_SHARE
        samples.append((now, rss, pss))
        if memory_limit_mb and rss > memory_limit_mb * 2**20 and not stopped:
            done = [line for _, line in lines if STAGE_LINE.match(line)]
            stopped = (
                f"stopped by the benchmark: its processes held {rss / 2**20:,.0f} MB, over the "
                f"--memory-limit of {memory_limit_mb:,.0f} MB, "
                f"{time.perf_counter() - started:.0f} s in, after {len(done)} finished stage(s)"
            )
            _stop_tree(watched)
        time.sleep(SAMPLE_SECONDS)
    ended = time.perf_counter()
    reader.join(timeout=10)
    errors.seek(0)
    error = errors.read()[-2000:]
    errors.close()
    if stopped:
        error = stopped

    def peak(t0: float, t1: float, column: int = 1) -> float:
        inside = [s[column] for s in samples if t0 <= s[0] <= t1 and s[column] is not None]
        return max(inside, default=0) / 2**20

    steps: list[Step] = []
    mark = started
    for t, line in lines:
        m = STAGE_LINE.match(line)
        if not m:
            continue
        seconds = float(m.group(4))
        if not steps:
            begin = max(started, t - seconds)
            steps.append(
                Step("start-up", begin - started, peak(started, begin), peak(started, begin, 2))
            )
            mark = begin
        steps.append(Step(m.group(3), seconds, peak(mark, t), peak(mark, t, 2)))
        mark = t
    if steps:
        steps.append(
            Step("render and publish", ended - mark, peak(mark, ended), peak(mark, ended, 2))
        )
    returncode = proc.returncode if not stopped else -9
    return RunResult(
        ended - started,
        peak(started, ended),
        steps,
        returncode,
        error.strip(),
        pss_mb=peak(started, ended, 2),
    )


def run_pipeline(
    corpus: Path,
    work_root: Path,
    *,
    workers: int | None = None,
    memory_limit_mb: float | None = None,
    extra: list[str] = (),
) -> RunResult:
    """Run run_all.py on a corpus with its output and work folders under `work_root`."""
    command = [
        sys.executable,
        str(RUN_ALL),
        "--corpus",
        str(corpus),
        "--out",
        str(work_root / "out"),
        "--work",
        str(work_root / "work"),
        *extra,
    ]
    if workers is not None:
        command += ["-p", "workers", str(workers)]
    result = run_monitored(command, memory_limit_mb=memory_limit_mb)
    if result.returncode != 0:
        say(f"run_all.py failed ({result.returncode}) on {corpus}: {result.error[-600:]}")
    return result


def run_floor(work_root: Path) -> RunResult:
    """Run the notebook machinery floor (notebook_floor.py) as its own process."""
    command = [sys.executable, str(BENCH_DIR / "notebook_floor.py"), str(work_root)]
    result = run_monitored(command)
    if result.returncode != 0:
        say(f"notebook floor failed: {result.error[-600:]}")
    return result


def summarise_runs(runs: list[RunResult]) -> dict:
    """Return the medians of several runs of the same thing, step by step."""
    ok = [r for r in runs if r.returncode == 0]
    if not ok:
        return {"ok": False, "error": runs[-1].error[-600:] if runs else "not run"}
    names = list(dict.fromkeys(s.name for r in ok for s in r.steps))
    steps = []
    for name in names:
        found = [s for r in ok for s in r.steps if s.name == name]
        steps.append(
            {
                "name": name,
                "seconds": statistics.median(s.seconds for s in found),
                "peak_mb": statistics.median(s.peak_mb for s in found),
                "pss_mb": statistics.median(s.pss_mb for s in found),
            }
        )
    return {
        "ok": True,
        "runs": len(ok),
        "seconds": statistics.median(r.seconds for r in ok),
        "peak_mb": statistics.median(r.peak_mb for r in ok),
        "pss_mb": statistics.median(r.pss_mb for r in ok),
        "steps": steps,
    }


def measure_pipeline(
    corpus: Path,
    *,
    repeat: int,
    workers: int | None,
    memory_limit_mb: float | None = None,
    evidence: dict | None = None,
) -> dict:
    """Run run_all.py `repeat` times on a corpus, each time into fresh folders; with
    `evidence` (a dict), fill it with the evidence pages' figures of the first run."""
    runs = []
    for r in range(repeat):
        with tempfile.TemporaryDirectory(prefix="citylinks-bench-") as tmp:
            say(f"run_all.py on {corpus.name} ({r + 1}/{repeat})")
            runs.append(
                run_pipeline(corpus, Path(tmp), workers=workers, memory_limit_mb=memory_limit_mb)
            )
            say(
                f"  {runs[-1].seconds:.1f} s, peak {runs[-1].pss_mb:.0f} MB PSS "
                f"({runs[-1].peak_mb:.0f} MB summed RSS)"
            )
            if runs[-1].returncode != 0:
                break  # a failed or stopped run would fail the same way again
            if evidence is not None and r == 0:
                evidence.update(measure_evidence(Path(tmp)))
    summary = summarise_runs(runs)
    if not summary["ok"]:
        last = runs[-1]
        summary.update(
            seconds=last.seconds,
            peak_mb=last.peak_mb,
            pss_mb=last.pss_mb,
            steps_seen=len(last.steps),
        )
    return summary


EVIDENCE_PAGES = ("evidence-sectors.html", "evidence-partners.html")
EVIDENCE_STEP = """
import json, resource, sys, time
from citylinks.evidence import write_evidence_pages
t0 = time.perf_counter()
write_evidence_pages(sys.argv[1], sys.argv[2], cache_dir=sys.argv[3], lexicon=sys.argv[4])
print(json.dumps({"seconds": time.perf_counter() - t0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def evidence_figures(out: Path) -> dict:
    """Return the size of each evidence page of a run and what it holds: sections (sectors,
    partners), groups (a sector's periods) and sentences shown."""
    figures = {}
    for name in EVIDENCE_PAGES:
        page = (out / name).read_text(encoding="utf-8") if (out / name).exists() else ""
        figures[name] = {
            "bytes": len(page.encode("utf-8")),
            "sections": page.count('<section class="cl-evidence">'),
            "groups": page.count("<h3 id="),
            "sentences": page.count("<li><blockquote>") + page.count('<li><div class="cl-what">'),
            "more": page.count('class="cl-more"'),
        }
    return figures


def measure_evidence(run_root: Path) -> dict:
    """The evidence pages of a finished run: their figures, and the evidence step timed again
    on its stage tables in a fresh process (seconds inside it, its peak RSS)."""
    figures = evidence_figures(run_root / "out")
    with tempfile.TemporaryDirectory(prefix="citylinks-evidence-") as tmp:
        args = [run_root / "work", tmp, run_root / "work" / "cache", LEXICON]
        done = subprocess.run(
            [sys.executable, "-c", EVIDENCE_STEP, *map(str, args)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
    step = json.loads(done.stdout) if done.returncode == 0 else {"error": done.stderr[-300:]}
    return {"pages": figures, "step": step}


def evidence_rows(sizes: dict) -> list[str]:
    """Return the table of the evidence pages' sizes, with the bound the caps set."""
    rows = []
    for n, entry in sizes.items():
        found = (entry.get("pipeline") or {}).get("evidence") or {}
        pages, step = found.get("pages"), found.get("step", {})
        if not pages:
            continue
        sectors, partners = pages[EVIDENCE_PAGES[0]], pages[EVIDENCE_PAGES[1]]
        rows.append(
            f"| {int(n):,} | {sectors['bytes'] / 1e6:.2f} MB ({sectors['sections']} sectors, "
            f"{sectors['groups']} periods, {sectors['sentences']:,} sentences, "
            f"{sectors['more']} groups capped) | {partners['bytes'] / 1e6:.2f} MB "
            f"({partners['sections']} partners, {partners['sentences']:,} sentences) | "
            f"{_s(step.get('seconds'))} | {_mb(step.get('peak_mb'))} |"
        )
    if not rows:
        return []
    return [
        "### Evidence pages",
        "",
        "The evidence pages of the first run of each size, and the step that writes them timed "
        "again on that run's tables in a fresh process (peak: its resident set). A sector's "
        "period shows at most 20 sentences, a partner at most 20 engagements and 20 sentences: "
        "the sector page is bounded by sectors × periods × 20 sentences whatever the number of "
        "articles (periods grow with the span of dates), the partner page by partners × 40.",
        "",
        "| articles | sector page | partner page | evidence step | peak |",
        "| ---: | --- | --- | ---: | ---: |",
        *rows,
        "",
    ]


def measure_fixed_costs(*, repeat: int, workers: int | None) -> dict:
    """The floor and run_all.py on the five seed articles, alternated, with their ratio.

    The seeds run twice into the same folders: first with an empty cache (a fresh clone), then
    again with the cache the first run left (as every later run of a user finds it)."""
    floors, seeds, warm, ratios, warm_ratios = [], [], [], [], []
    for r in range(repeat):
        with tempfile.TemporaryDirectory(prefix="citylinks-floor-") as tmp:
            say(f"notebook floor ({r + 1}/{repeat})")
            floor = run_floor(Path(tmp))
        with tempfile.TemporaryDirectory(prefix="citylinks-seeds-") as tmp:
            say(f"run_all.py on the seed articles ({r + 1}/{repeat})")
            seed = run_pipeline(SEED_CORPUS, Path(tmp), workers=workers)
            again = run_pipeline(SEED_CORPUS, Path(tmp), workers=workers)
        floors.append(floor)
        seeds.append(seed)
        warm.append(again)
        if floor.returncode == 0 and seed.returncode == 0:
            ratios.append(seed.seconds / floor.seconds)
        if floor.returncode == 0 and again.returncode == 0:
            warm_ratios.append(again.seconds / floor.seconds)
        say(
            f"  floor {floor.seconds:.1f} s, seeds {seed.seconds:.1f} s, again {again.seconds:.1f} s"
        )
    return {
        "seed_bytes": sum(p.stat().st_size for p in list_articles(SEED_CORPUS)),
        "floor": summarise_runs(floors),
        "seeds": summarise_runs(seeds),
        "seeds_warm": summarise_runs(warm),
        "ratio": statistics.median(ratios) if ratios else None,
        "warm_ratio": statistics.median(warm_ratios) if warm_ratios else None,
    }


def measure_rerun(
    n_articles: int, *, added: int = 10, seed: int = 0, repeat: int, workers: int | None
) -> dict:
    """Full run on a fresh corpus, add `added` articles, run again into the same folders."""
    full, again, ratios = [], [], []
    for r in range(repeat):
        corpus = CORPORA / f"rerun-{size_label(n_articles)}"
        shutil.rmtree(corpus, ignore_errors=True)
        make_corpus(corpus, n_articles, seed=seed, workers=os.cpu_count() or 1)
        with tempfile.TemporaryDirectory(prefix="citylinks-rerun-") as tmp:
            say(f"re-run case: full run on {n_articles:,} articles ({r + 1}/{repeat})")
            first = run_pipeline(corpus, Path(tmp), workers=workers)
            make_corpus(corpus, added, seed=seed, first=n_articles)
            say(f"re-run case: again after adding {added} articles")
            second = run_pipeline(corpus, Path(tmp), workers=workers)
        shutil.rmtree(corpus, ignore_errors=True)
        full.append(first)
        again.append(second)
        if first.returncode == 0 and second.returncode == 0:
            ratios.append(second.seconds / first.seconds)
        say(f"  full {first.seconds:.1f} s, re-run {second.seconds:.1f} s")
    return {
        "articles": n_articles,
        "added": added,
        "full": summarise_runs(full),
        "rerun": summarise_runs(again),
        "ratio": statistics.median(ratios) if ratios else None,
    }


# --- Start-up imports -------------------------------------------------------------------------

IMPORT_COMMANDS = [
    ("`python -c pass` (the interpreter alone)", "pass"),
    ("`import papermill, nbconvert`", "import papermill, nbconvert"),
    (
        "`import papermill, nbconvert` with `rfc3987_syntax` blocked",
        "import sys; sys.modules['rfc3987_syntax'] = None; import papermill, nbconvert",
    ),
    ("`import nltk`", "import nltk"),
    ("`import pandas, matplotlib.pyplot`", "import pandas, matplotlib.pyplot"),
    (
        "`import citylinks.sectors, citylinks.partners`",
        "import citylinks.sectors, citylinks.partners",
    ),
]
IMPORTTIME = re.compile(r"^import time:\s*(\d+)\s*\|\s*(\d+)\s*\|(\s*)(\S+)")


def time_python(code: str) -> float:
    """Return the wall time of a fresh `python -c code`."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def parse_importtime(stderr: str) -> list[dict]:
    """Return -X importtime lines as dicts: module, self and cumulative ms, depth, importer."""
    rows = []
    for line in stderr.splitlines():
        m = IMPORTTIME.match(line)
        if m:
            depth = (len(m.group(3)) - 1) // 2
            rows.append(
                {
                    "module": m.group(4),
                    "self_ms": int(m.group(1)) / 1000,
                    "cumulative_ms": int(m.group(2)) / 1000,
                    "depth": depth,
                }
            )
    # A module's importer is the next line with one level less (children are printed first).
    for i, row in enumerate(rows):
        row["chain"] = []
        want = row["depth"] - 1
        for later in rows[i + 1 :]:
            if want < 0:
                break
            if later["depth"] == want:
                row["chain"].append(later["module"])
                want -= 1
    return rows


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def dependency_path(package: str, roots: set[str]) -> list[str]:
    """Return who installs `package`: the chain of requirements from one of `roots` down to it."""
    edges: dict[str, list[tuple[str, str, str]]] = {}  # child -> [(parent, extra needed, as)]
    for dist in metadata.distributions():
        parent = _canonical(dist.metadata["Name"] or "")
        for req in dist.requires or []:
            m = re.match(r"\s*([A-Za-z0-9._-]+)\s*(?:\[([^\]]*)\])?", req)
            if not m:
                continue
            extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", req)
            requested = {_canonical(e) for e in (m.group(2) or "").split(",") if e.strip()}
            edges.setdefault(_canonical(m.group(1)), []).append(
                (parent, _canonical(extra.group(1)) if extra else "", ",".join(sorted(requested)))
            )
    roots = {_canonical(r) for r in roots}
    start = (_canonical(package), "")
    queue = [(start, [_canonical(package)])]
    seen = {start}
    while queue:
        (name, needs_extra), path = queue.pop(0)
        if name in roots and not needs_extra:
            return list(reversed(path))
        for parent, parent_extra, requested in edges.get(name, []):
            if needs_extra and needs_extra not in requested.split(","):
                continue
            state = (parent, parent_extra)
            if state in seen:
                continue
            seen.add(state)
            label = f"{parent}[{parent_extra}]" if parent_extra else parent
            queue.append((state, [*path, label]))
    return []


def requirement_roots() -> set[str]:
    """Return the package names requirements.txt asks for."""
    names = set()
    path = ROOT / "requirements.txt"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            m = re.match(r"([A-Za-z0-9._-]+)", line)
            if m and not line.startswith("-"):
                names.add(m.group(1))
    return names


def measure_imports(*, repeat: int, top: int = 8) -> dict:
    """Time the imports run_all.py pays for, and find the slowest modules of papermill+nbconvert."""
    say(f"import times ({repeat}×)")
    times = {}
    for label, code in IMPORT_COMMANDS:
        try:
            times[label] = statistics.median(time_python(code) for _ in range(repeat))
        except subprocess.CalledProcessError:
            times[label] = None
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import papermill, nbconvert"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        runs.append(parse_importtime(done.stderr))
    # Median self time of each module over the repeats.
    by_module: dict[str, list[dict]] = {}
    for rows in runs:
        for row in rows:
            by_module.setdefault(row["module"], []).append(row)
    offenders = []
    for module, rows in by_module.items():
        offenders.append(
            {
                "module": module,
                "self_ms": statistics.median(r["self_ms"] for r in rows),
                "cumulative_ms": statistics.median(r["cumulative_ms"] for r in rows),
                "chain": rows[0]["chain"],
            }
        )
    offenders.sort(key=lambda r: -r["self_ms"])
    total = max((r["cumulative_ms"] for r in offenders if r["module"] == "papermill"), default=0)
    total += max((r["cumulative_ms"] for r in offenders if r["module"] == "nbconvert"), default=0)
    grammar = next((r for r in offenders if r["module"].startswith("rfc3987_syntax")), None)
    installed_by = dependency_path("rfc3987-syntax", requirement_roots()) if grammar else []
    return {
        "times": times,
        "offenders": offenders[:top],
        "papermill_nbconvert_ms": total,
        "grammar": grammar,
        "grammar_installed_by": installed_by,
    }


# --- The report -------------------------------------------------------------------------------


def _s(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:,.1f} s" if seconds >= 1 else f"{seconds:.2f} s"


def _mb(mb: float | None) -> str:
    return "–" if not mb else f"{mb:,.0f} MB"


def _x(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio:.2f}×"


def _met(ok: bool | None) -> str:
    return "–" if ok is None else ("yes" if ok else "**no**")


def machine_line(started: datetime, repeat: int, large_repeat: int | None = None) -> str:
    """Describe where and when the benchmark ran, so numbers can be read in context."""
    memory = psutil.virtual_memory().total / 2**30
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    try:
        code = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        code = "unknown"
    return (
        f"Measured {started:%Y-%m-%d %H:%M} on {os.cpu_count()} cores, {memory:.0f} GB RAM, "
        f"Python {platform.python_version()}, code {code}; load average at the start {load}. "
        f"Medians of {repeat} runs"
        + (
            f" ({large_repeat} for {LARGE:,} articles and more)."
            if large_repeat and large_repeat != repeat
            else "."
        )
    )


def render_markdown(results: dict) -> str:
    """Return the results as markdown tables."""
    out = [results["machine"], ""]
    sizes = results.get("sizes", {})
    fixed = results.get("fixed") or {}
    steps = []
    for n, entry in sizes.items():
        steps += step_rows(f"{int(n):,}", f"{entry['bytes'] / 1e6:,.0f} MB", entry.get("pipeline"))
    seeds_size = f"{fixed.get('seed_bytes', 0) / 1e3:,.0f} KB"
    steps += step_rows("5 (the seeds), empty cache", seeds_size, fixed.get("seeds"))
    steps += step_rows("5 (the seeds), cache kept", seeds_size, fixed.get("seeds_warm"))
    steps += step_rows("floor: 4 trivial notebooks", "–", fixed.get("floor"))
    if steps:
        out += [
            "### run_all.py, step by step",
            "",
            "Start-up is the time before the first stage starts; a stage's time is the one "
            "run_all.py prints. Peak memory covers run_all.py, its notebook kernels and their "
            "worker processes: PSS is the sum of their proportional set sizes (a page shared "
            "between processes, such as what a forked worker inherits, is split between them), "
            "which is what the run takes from the machine, sampled as often as costs at most "
            "5% of one core (every few seconds once processes reach gigabytes); summed RSS, "
            "sampled every 0.1 s, counts every shared page once in each process, an upper bound.",
            "",
            "| articles | corpus | step | wall time | peak memory (PSS) | summed RSS |",
            "| ---: | ---: | --- | ---: | ---: | ---: |",
            *steps,
            "",
        ]
    if sizes:
        with_base = {n: e["baselines"] for n, e in sizes.items() if e.get("baselines")}
        if with_base:
            first = next(iter(with_base.values()))
            out += [
                "### Matching against its baselines",
                "",
                f"Same texts (the files as read, decoded; warm page cache) and the same "
                f"{first['terms']:,} terms ({results.get('terms_source', '')}). (a) reading "
                "the files only; (b) one pass of a pyahocorasick automaton over the lowercased "
                "text; (c) NLTK RegexpTokenizer + MWETokenizer + Counter; then citylinks' own "
                "find_sector_mentions and find_place_mentions. Ratios are medians of the "
                "ratios within each repeat.",
                "",
                f"(b′) is the same automaton pass with the {len(BUILTIN_TERMS)} built-in terms, "
                "the size of term list the issue's trial used. (b″) is the same pass with "
                "ahocorasick-rs, the engine citylinks' matchers use (the same hits, returned as "
                "one list per text): what the target is judged against stays (b), as the issue "
                "sets it.",
                "",
                "| articles | text | (a) read | (b) automaton | (b′) 42 terms | (b″) ahocorasick-rs "
                "| (c) NLTK | sectors | partners | sectors + partners | ÷ (b) (target ≤ 2) "
                "| (c) ÷ (b) | (b) ÷ (a) |",
                "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
                "| ---: | ---: |",
            ]
            for n, b in with_base.items():
                m = b["medians"]
                out.append(
                    f"| {int(n):,} | {b['chars'] / 1e6:,.0f} M chars | {_s(m['read'])} | "
                    f"{_s(m['automaton'])} | {_s(m['automaton42'])} | "
                    f"{_s(m.get('automaton_rs'))} | {_s(m['nltk'])} | "
                    f"{_s(m.get('sectors'))} | "
                    f"{_s(m.get('partners'))} | {_s(m.get('matchers'))} | "
                    f"{_x(m.get('matchers/automaton'))} | {_x(m['nltk/automaton'])} | "
                    f"{_x(m['automaton/read'])} |"
                )
            out.append("")
    out += evidence_rows(sizes)
    out += fixed_cost_rows(results)
    imports = results.get("imports")
    if imports:
        out += import_rows(imports)
    if results.get("notes"):
        out += ["Notes: " + " ".join(results["notes"]), ""]
    return "\n".join(out).rstrip() + "\n"


def step_rows(label: str, size: str, run: dict | None) -> list[str]:
    """Return the step-by-step rows of one summarised run."""
    if not run:
        return []
    if not run["ok"]:
        error = " ".join(run["error"].split())[-300:].replace("|", "/")
        return [
            f"| {label} | {size} | **did not finish**: {error} | {_s(run.get('seconds'))} | "
            f"{_mb(run.get('pss_mb'))} | {_mb(run.get('peak_mb'))} |"
        ]
    rows = [
        f"| {label} | {size} | {step['name']} | {_s(step['seconds'])} | "
        f"{_mb(step.get('pss_mb'))} | {_mb(step['peak_mb'])} |"
        for step in run["steps"]
    ]
    rows.append(
        f"| {label} | {size} | **whole run** | **{_s(run['seconds'])}** | "
        f"**{_mb(run.get('pss_mb'))}** | {_mb(run['peak_mb'])} |"
    )
    return rows


def fixed_cost_rows(results: dict) -> list[str]:
    """Return the table of fixed costs, the re-run case and the targets of issue 7."""
    rows = []
    fixed = results.get("fixed")
    if fixed and fixed["floor"]["ok"]:
        rows.append(
            f"| notebook machinery floor: 4 trivial notebooks run and rendered by run_all.py's "
            f"machinery | {_s(fixed['floor']['seconds'])} | | |"
        )
    if fixed and fixed["seeds"]["ok"]:
        ratio = fixed["ratio"]
        rows.append(
            f"| run_all.py on the 5 seed articles, empty cache (a fresh clone) | "
            f"{_s(fixed['seeds']['seconds'])} | {_x(ratio)} the floor | ≤ {TARGET_SEED_RATIO}×: "
            f"{_met(None if ratio is None else ratio <= TARGET_SEED_RATIO)} |"
        )
    if fixed and (fixed.get("seeds_warm") or {}).get("ok"):
        ratio = fixed.get("warm_ratio")
        rows.append(
            f"| run_all.py on the 5 seed articles again, cache kept | "
            f"{_s(fixed['seeds_warm']['seconds'])} | {_x(ratio)} the floor | ≤ "
            f"{TARGET_SEED_RATIO}×: {_met(None if ratio is None else ratio <= TARGET_SEED_RATIO)} |"
        )
    rerun = results.get("rerun")
    if rerun and rerun["full"]["ok"]:
        rows.append(
            f"| full run, {rerun['articles']:,} articles | {_s(rerun['full']['seconds'])} | | |"
        )
    if rerun and rerun["rerun"]["ok"]:
        ratio = rerun["ratio"]
        rows.append(
            f"| re-run after adding {rerun['added']} articles | {_s(rerun['rerun']['seconds'])} "
            f"| {_x(ratio)} the full run | < {TARGET_RERUN_RATIO}×: "
            f"{_met(None if ratio is None else ratio < TARGET_RERUN_RATIO)} |"
        )
    big = results.get("sizes", {}).get("100000", {}).get("pipeline")
    if big and not big["ok"]:
        rows.append(
            f"| run_all.py on 100,000 articles | did not finish ({_s(big.get('seconds'))}, "
            f"{_mb(big.get('pss_mb'))} PSS when it ended) | | < {TARGET_100K_SECONDS} s: **no**; "
            "< 1.5 GB: **no** |"
        )
    if big and big["ok"]:
        rows.append(
            f"| run_all.py on 100,000 articles | {_s(big['seconds'])}, {_mb(big['pss_mb'])} PSS "
            f"({_mb(big['peak_mb'])} summed RSS) | | "
            f"< {TARGET_100K_SECONDS} s: {_met(big['seconds'] < TARGET_100K_SECONDS)}; "
            f"< 1.5 GB: {_met(big['pss_mb'] < TARGET_100K_MB)} |"
        )
    for n, entry in results.get("sizes", {}).items():
        m = (entry.get("baselines") or {}).get("medians", {})
        if "matchers/automaton" in m:
            ok = m["matchers/automaton"] <= TARGET_MATCHER_RATIO
            rows.append(
                f"| sector + partner matching, {int(n):,} articles | {_s(m['matchers'])} | "
                f"{_x(m['matchers/automaton'])} the automaton floor | ≤ "
                f"{TARGET_MATCHER_RATIO:.0f}×: {_met(ok)} |"
            )
    if not rows:
        return []
    return [
        "### Fixed costs, re-runs and the targets of issue 7",
        "",
        "| measure | median | ratio | target met |",
        "| --- | ---: | ---: | --- |",
        *rows,
        "",
    ]


def import_rows(imports: dict) -> list[str]:
    """Return the start-up import table and the slowest modules of papermill + nbconvert."""
    out = [
        "### Start-up imports",
        "",
        "| command (a fresh interpreter each time) | wall time |",
        "| --- | ---: |",
    ]
    out += [f"| {label} | {_s(t)} |" for label, t in imports["times"].items()]
    out += [
        "",
        'Slowest modules in `python -X importtime -c "import papermill, nbconvert"` '
        f"(together {imports['papermill_nbconvert_ms'] / 1000:.1f} s), by time spent in the "
        "module itself:",
        "",
        "| module | self | with its imports | imported by |",
        "| --- | ---: | ---: | --- |",
    ]
    for row in imports["offenders"]:
        chain = " ← ".join(row["chain"][:5]) + (" ← …" if len(row["chain"]) > 5 else "")
        out.append(
            f"| `{row['module']}` | {row['self_ms']:,.0f} ms | {row['cumulative_ms']:,.0f} ms | "
            f"{chain} |"
        )
    grammar = imports.get("grammar")
    if grammar:
        path = " → ".join(imports["grammar_installed_by"]) or "unknown"
        out += [
            "",
            f"The JSON-schema format checker's grammar: `{grammar['module']}` builds a lark "
            f"grammar at import, {grammar['cumulative_ms'] / 1000:.1f} s, reached through "
            "jsonschema's format checker (`jsonschema._format` tries `import rfc3987_syntax`), "
            f"which nbformat imports. It is installed by: {path}.",
        ]
    out.append("")
    return out


def write_readme(markdown: str, *, path: Path = README) -> None:
    """Replace the results section of the benchmark README with new tables."""
    text = path.read_text(encoding="utf-8")
    start, end = text.find(RESULTS_START), text.find(RESULTS_END)
    if start < 0 or end < start:
        raise SystemExit(f"{path} has no {RESULTS_START} … {RESULTS_END} section to replace")
    text = text[: start + len(RESULTS_START)] + "\n" + markdown + text[end:]
    path.write_text(text, encoding="utf-8")


# --- Command line -----------------------------------------------------------------------------

PARTS = ("pipeline", "baselines", "fixed", "rerun", "imports")


def parse_sizes(raw: str) -> list[int]:
    """Parse '1000,10000' (underscores and 'k' allowed: '10k', '100_000')."""
    sizes = []
    for part in raw.split(","):
        part = part.strip().lower().replace("_", "")
        if part:
            sizes.append(int(float(part[:-1]) * 1000) if part.endswith("k") else int(part))
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive numbers, e.g. 1000,10000")
    return sizes


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line interface."""
    parser = argparse.ArgumentParser(
        description="Benchmark run_all.py and the matchers on synthetic corpora.",
        epilog="Progress goes to stderr, the markdown results to stdout.",
    )
    parser.add_argument(
        "--sizes", type=parse_sizes, default=parse_sizes(DEFAULT_SIZES), help=DEFAULT_SIZES
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--large-repeat",
        type=int,
        default=None,
        help=f"runs per figure for corpora of {LARGE:,} articles or more (default: --repeat)",
    )
    parser.add_argument(
        "--memory-limit",
        type=float,
        default=DEFAULT_MEMORY_LIMIT_MB,
        metavar="MB",
        help="stop a run_all.py whose processes together hold more (default: "
        f"{DEFAULT_MEMORY_LIMIT_MB:,}; 0 = no limit)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpora")
    parser.add_argument("--workers", type=int, default=None, help="pass -p workers N to run_all.py")
    parser.add_argument(
        "--rerun-size", type=int, default=10000, help="corpus size of the re-run case"
    )
    parser.add_argument(
        "--skip",
        default="",
        help=f"comma-separated parts to leave out: {', '.join(PARTS)}",
    )
    parser.add_argument(
        "--write-readme", action="store_true", help="rewrite the results in benchmarks/README.md"
    )
    parser.add_argument("--json", metavar="FILE", help="also write the raw results as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    args = build_parser().parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if skip - set(PARTS):
        build_parser().error(f"--skip takes {', '.join(PARTS)}")
    repeat = max(1, args.repeat)
    started = datetime.now()
    results: dict = {
        "machine": machine_line(started, repeat, args.large_repeat),
        "sizes": {},
        "notes": [],
    }
    terms = None
    if "baselines" not in skip:
        terms = load_terms()
        results["terms_source"] = terms.source
        results["notes"] += terms.notes
        if terms.lexicon is None or terms.gazetteer is None:
            results["notes"].append(
                "citylinks' matchers were not measured: config/sectors.yaml or "
                "config/partners.yaml (or the modules that read them) are missing."
            )
    limit = args.memory_limit or None
    for n in args.sizes:
        runs = max(1, args.large_repeat or repeat) if n >= LARGE else repeat
        corpus = ensure_corpus(n, seed=args.seed)
        files = list_articles(corpus)
        entry: dict = {"bytes": sum(p.stat().st_size for p in files), "repeat": runs}
        if "pipeline" not in skip:
            evidence: dict = {}
            entry["pipeline"] = measure_pipeline(
                corpus,
                repeat=runs,
                workers=args.workers,
                memory_limit_mb=limit,
                evidence=evidence,
            )
            entry["pipeline"]["evidence"] = evidence
        if terms is not None:
            entry["baselines"] = measure_baselines(files, terms, repeat=runs)
        results["sizes"][str(n)] = entry
    if "fixed" not in skip:
        results["fixed"] = measure_fixed_costs(repeat=repeat, workers=args.workers)
    if "rerun" not in skip:
        results["rerun"] = measure_rerun(
            args.rerun_size, seed=args.seed, repeat=repeat, workers=args.workers
        )
    if "imports" not in skip:
        results["imports"] = measure_imports(repeat=repeat)
    say(f"done in {(datetime.now() - started).total_seconds() / 60:.1f} min")
    markdown = render_markdown(results)
    print(markdown)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    if args.write_readme:
        write_readme(markdown)
        say(f"results written to {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
