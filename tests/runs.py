"""Helpers the end-to-end tests share: the seed articles and run_all.py as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from citylinks.paths import DEFAULT_CORPUS, ROOT

SEEDS = sorted(DEFAULT_CORPUS.glob("*.txt"))


def copy_seeds(folder: Path, *, count: int = 5) -> Path:
    """Copy the first `count` seed articles into a folder, creating it."""
    folder.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS[:count]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


def run_all(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run run_all.py as a user would, in a separate process."""
    return subprocess.run(
        [sys.executable, str(ROOT / "run_all.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
