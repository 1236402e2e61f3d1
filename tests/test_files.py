"""Which files of the corpus folder are read, and how each is opened (issue 20)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from citylinks import files
from citylinks.files import Listed, inspect_corpus_file, list_corpus_files, read_corpus_file


def write(root: Path, *relatives: str) -> None:
    for relative in relatives:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(f"page {relative}")


@pytest.fixture
def folders(tmp_path) -> tuple[Path, Path]:
    """A corpus folder and a folder beside it (outside the corpus) with a file in each."""
    root, outside = tmp_path / "corpus", tmp_path / "elsewhere"
    write(root, "a.txt", "b/z.txt", "b/c/d.html", ".hidden.txt", "b/.drafts/e.txt")
    write(root, ".ipynb_checkpoints/a-checkpoint.txt")
    write(outside, "secret.txt", "sub/f.txt")
    return root, outside


def test_the_listing_reads_regular_files_and_skips_hidden_ones(folders):
    root, _ = folders
    listed = list_corpus_files(root)
    assert [item[:3] for item in listed] == [
        ("a.txt", str(root / "a.txt"), ""),
        ("b/c/d.html", str(root / "b/c/d.html"), ""),
        ("b/z.txt", str(root / "b/z.txt"), ""),
    ]
    assert [item.inode for item in listed] == [os.stat(item.path).st_ino for item in listed]


# link name -> (target, relative to the corpus's parent folder; what the listing says)
LINKS = {
    "passwd_link.txt": ("/etc/passwd", files.LINK_OUTSIDE),
    "secret.txt": ("elsewhere/secret.txt", files.LINK_OUTSIDE),
    "up.txt": ("corpus/../elsewhere/secret.txt", files.LINK_OUTSIDE),
    "linked-folder": ("elsewhere/sub", files.FOLDER_LINK_OUTSIDE),
    "broken.txt": ("corpus/missing.txt", files.BROKEN_LINK),
    "loop": ("corpus/b", None),  # walked once: its own c/ is not a loop
    "b/back-to-b": ("corpus/b", files.LOOP_LINK),
    "b/c/to-root": ("corpus", files.LOOP_LINK),
    "copy-of-a.txt": ("corpus/a.txt", ""),
    "b/copy-of-d.html": ("corpus/b/c/d.html", ""),
}


@pytest.fixture
def linked(folders) -> tuple[Path, dict[str, Listed]]:
    root, _ = folders
    for name, (target, _) in LINKS.items():
        absolute = target if target.startswith("/") else str(root.parent / target)
        os.symlink(absolute, root / name)
    return root, {item.relative: item for item in list_corpus_files(root)}


@pytest.mark.parametrize("name", [n for n, (_, said) in LINKS.items() if said])
def test_a_link_the_listing_does_not_read_is_listed_with_its_reason(linked, name):
    _, listed = linked
    assert listed[name] == Listed(name, "", LINKS[name][1])


@pytest.mark.parametrize("name", [n for n, (_, said) in LINKS.items() if said == ""])
def test_a_link_to_a_file_inside_the_corpus_is_read_from_its_target(linked, name):
    root, listed = linked
    target = os.path.realpath(root.parent / LINKS[name][0])
    assert listed[name] == Listed(name, target, "", os.stat(target).st_ino)


def test_a_link_to_a_folder_inside_the_corpus_is_walked_and_a_loop_is_not(linked):
    root, listed = linked
    walked = sorted(r for r in listed if r.startswith("loop/"))
    # loop -> b: its files and its links, each once; b's link back to b is a loop, not walked
    assert walked == [
        "loop/back-to-b",
        "loop/c/d.html",
        "loop/c/to-root",
        "loop/copy-of-d.html",
        "loop/z.txt",
    ]
    assert listed["loop/c/d.html"].path == str(root / "b/c/d.html")
    assert listed["loop/back-to-b"].problem == files.LOOP_LINK
    assert not any(r.startswith(("linked-folder/", "b/back-to-b/")) for r in listed)


def test_nothing_outside_the_corpus_is_ever_to_be_opened(linked):
    root, listed = linked
    inside = os.path.join(os.path.realpath(root), "")
    for item in listed.values():
        assert item.path == "" or os.path.realpath(item.path).startswith(inside), item


def special_files(root: Path) -> dict[str, str]:
    """Make a named pipe and a socket in the folder; return name -> the kind the reason names."""
    os.mkfifo(root / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(root / "socket.txt"))
    server.close()
    return {"pipe.txt": "a named pipe", "socket.txt": "a socket"}


def test_special_files_are_listed_with_a_reason_and_never_opened(tmp_path):
    root = tmp_path / "c"
    write(root, "a.txt")
    kinds = special_files(root)
    os.symlink(root / "pipe.txt", root / "link-to-pipe.txt")
    listed = {item.relative: item for item in list_corpus_files(root)}
    for name, kind in {**kinds, "link-to-pipe.txt": "a named pipe"}.items():
        assert listed[name].path == "", name
        assert listed[name].problem == f"special file ({kind}), not a saved page: not read"
    assert listed["a.txt"].problem == ""


def test_a_device_is_a_special_file(tmp_path):
    os.symlink("/dev/null", tmp_path / "null.txt")  # outside the corpus anyway
    assert list_corpus_files(tmp_path)[0].problem == files.LINK_OUTSIDE
    listed = inspect_corpus_file("/dev", "null")
    assert listed.problem == "special file (a device), not a saved page: not read"


def test_a_corpus_folder_that_is_a_link_is_read_through_it(folders, tmp_path):
    root, _ = folders
    os.symlink(root, tmp_path / "corpus-link")
    os.symlink(root / "a.txt", root / "same.txt")
    listed = {item.relative: item for item in list_corpus_files(tmp_path / "corpus-link")}
    assert listed["same.txt"][:3] == ("same.txt", os.path.realpath(root / "a.txt"), "")
    assert listed["a.txt"].path == str(tmp_path / "corpus-link" / "a.txt")


def test_an_unreadable_sub_folder_is_listed_and_a_missing_corpus_raises(folders, monkeypatch):
    root, _ = folders
    real = os.scandir

    def refuse(path):
        if str(path).endswith("/b"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(files.os, "scandir", refuse)
    listed = {item.relative: item for item in list_corpus_files(root)}
    assert listed["b"] == Listed("b", "", "folder could not be read: Permission denied")
    monkeypatch.undo()
    with pytest.raises(FileNotFoundError):
        list_corpus_files(root / "gone")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("metadata.csv", "regular"),
        ("missing.csv", None),
        ("outside.csv", files.LINK_OUTSIDE),
        ("inside.csv", "regular"),
        ("pipe.csv", "special file (a named pipe), not a saved page: not read"),
        ("folder", "a folder, not a file: not read"),
        ("folder-link", "link to a folder: not read"),
    ],
)
def test_inspect_corpus_file_judges_one_name_as_the_listing(folders, name, expected):
    root, outside = folders
    write(root, "metadata.csv")
    (root / "folder").mkdir()
    os.symlink(outside / "secret.txt", root / "outside.csv")
    os.symlink(root / "metadata.csv", root / "inside.csv")
    os.symlink(root / "b", root / "folder-link")
    os.mkfifo(root / "pipe.csv")
    listed = inspect_corpus_file(root, name)
    if expected is None:
        assert listed is None
    elif expected == "regular":
        assert listed.problem == "" and Path(listed.path).read_text() == "page metadata.csv"
    else:
        assert listed == Listed(name, "", expected)


def test_read_corpus_file_reads_a_regular_file_and_refuses_what_changed(tmp_path):
    page = tmp_path / "a.txt"
    page.write_bytes(b"x" * 70_000)
    assert read_corpus_file(str(page), max_bytes=100_000) == (b"x" * 70_000, 70_000, "")
    assert read_corpus_file(str(page), max_bytes=1000) == (None, 70_000, "")  # too large
    # Replaced by a link after the listing (to a file outside): not followed.
    (tmp_path / "outside.txt").write_text("secret")
    page.unlink()
    page.symlink_to(tmp_path / "outside.txt")
    assert read_corpus_file(str(page), max_bytes=1000) == (None, 0, files.BECAME_LINK)
    # Replaced by a named pipe with no writer: opened without waiting, refused.
    page.unlink()
    os.mkfifo(page)
    data, _, problem = read_corpus_file(str(page), max_bytes=1000)
    assert data is None and "named pipe" in problem
    with pytest.raises(FileNotFoundError):
        read_corpus_file(str(tmp_path / "gone.txt"), max_bytes=1000)


def test_a_file_is_read_only_if_it_is_the_one_listed_or_still_inside_the_corpus(tmp_path):
    root, outside = tmp_path / "corpus", tmp_path / "elsewhere"
    write(root, "b/page.txt")
    write(outside, "b/page.txt")
    listed = {item.relative: item for item in list_corpus_files(root)}["b/page.txt"]
    real_root = os.path.realpath(root)

    def read():
        return read_corpus_file(listed.path, max_bytes=1000, inode=listed.inode, root=real_root)

    assert read() == (b"page b/page.txt", 15, "")
    # Saved again under a new inode, in place: still inside the corpus, so read.
    (root / "b" / "new.txt").write_text("saved again")
    os.replace(root / "b" / "new.txt", root / "b" / "page.txt")
    assert read() == (b"saved again", 11, "")
    # The folder on its path swapped for a link out of the corpus after the listing.
    os.rename(root / "b", root / "old-b")
    os.symlink(outside / "b", root / "b")
    assert read() == (None, 0, files.MOVED_OUT)
