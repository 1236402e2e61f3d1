"""Shared fixtures: the seed corpus and a way to write small corpora."""

from __future__ import annotations

from pathlib import Path

import pytest
from runs import SEEDS, copy_seeds


@pytest.fixture
def seed_files() -> list[Path]:
    """The five Hanoi Times articles the project starts from."""
    assert len(SEEDS) == 5
    return SEEDS


@pytest.fixture
def make_corpus(tmp_path):
    """Write files (name -> str or bytes) into a fresh corpus folder and return it."""

    def make(files: dict[str, str | bytes], *, seeds: bool = False) -> Path:
        folder = copy_seeds(tmp_path / "corpus", count=5 if seeds else 0)
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            (folder / name).write_bytes(data)
        return folder

    return make
