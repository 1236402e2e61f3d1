"""Stage times of two revisions on one corpus, run alternately: the "before and after" of a change.

Checks the base revision out into a temporary git worktree, then runs `run_all.py` of the base
and of the working tree in turn, each time into fresh folders (so no cache helps either), and
prints each stage's times, their medians and the ratio of the medians. Alternating spreads the
machine's slow and fast spells over both sides; on a noisy machine, repeat more.

    python benchmarks/compare_revisions.py --base 4b944b2 --articles 100000 --repeat 2
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_benchmark import STAGE_LINE, ensure_corpus, say  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def run_once(tree: Path, corpus: Path, scratch: Path) -> dict[str, float]:
    """Seconds of each stage (and in all) of one run of `tree`'s run_all.py into fresh folders."""
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        env = dict(os.environ, PYTHONPATH=str(tree))  # the tree's own package, not the installed
        done = subprocess.run(
            [sys.executable, "run_all.py", "--corpus", str(corpus)]
            + ["--out", f"{folder}/out", "--work", f"{folder}/work"],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
        )
    if done.returncode != 0:
        raise SystemExit(f"run_all.py failed in {tree}:\n{done.stderr[-2000:]}")
    return stage_times(done.stdout)


def stage_times(stdout: str) -> dict[str, float]:
    """Seconds of each stage and of the whole run, from what run_all.py printed."""
    times = {}
    for line in stdout.splitlines():
        m = STAGE_LINE.match(line)
        if m:
            times[m.group(3)] = float(m.group(4))
        elif line.startswith("Reports written to") and " in " in line:
            times["whole run"] = float(line.rsplit(" in ", 1)[1].split(" s")[0])
    return times


def compare(base: str, corpus: Path, *, repeat: int) -> dict[str, dict[str, list[float]]]:
    """{stage: {"base": [...], "head": [...]}}, from `repeat` alternating pairs of runs."""
    found: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="citylinks-compare-") as scratch:
        tree = Path(scratch) / "base"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(tree), base],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            for i in range(repeat):
                for side, where in (("base", tree), ("head", ROOT)):
                    say(f"run {i + 1}/{repeat}: {side}")
                    for stage, seconds in run_once(where, corpus, Path(scratch)).items():
                        found.setdefault(stage, {"base": [], "head": []})[side].append(seconds)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False
            )
    return found


def table_lines(found: dict[str, dict[str, list[float]]], base: str) -> list[str]:
    """A markdown table: each stage's times on both sides and the ratio of their medians."""
    lines = [
        f"| stage | {base} (s) | working tree (s) | ratio of medians |",
        "| --- | --- | --- | --- |",
    ]
    for stage, sides in found.items():
        before, after = sides["base"], sides["head"]
        ratio = statistics.median(after) / statistics.median(before) if before and after else 0
        runs = [", ".join(f"{t:.1f}" for t in side) for side in (before, after)]
        lines.append(f"| {stage} | {runs[0]} | {runs[1]} | {ratio:.2f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the revision to compare against")
    parser.add_argument("--articles", type=int, default=10_000, help="benchmark corpus size")
    parser.add_argument("--corpus", type=Path, help="a corpus folder instead of a generated one")
    parser.add_argument("--repeat", type=int, default=2, help="pairs of runs")
    args = parser.parse_args()
    corpus = args.corpus or ensure_corpus(args.articles)
    found = compare(args.base, corpus.resolve(), repeat=args.repeat)
    print("\n".join(table_lines(found, args.base)))


if __name__ == "__main__":
    main()
