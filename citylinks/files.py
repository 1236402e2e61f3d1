"""The corpus folder's files: which are read, and how each is opened (never through a link
out of the folder, never a pipe, socket or device)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import NamedTuple

LINK_OUTSIDE = "link to a file outside the corpus: not read"
FOLDER_LINK_OUTSIDE = "link to a folder outside the corpus: not read"
BROKEN_LINK = "link to a file that does not exist: not read"
LOOP_LINK = "link to a folder that holds the link (a loop): not read"
BECAME_LINK = "replaced by a link while the corpus was read: not read"
MOVED_OUT = "outside the corpus when it was opened (a folder replaced by a link?): not read"
SPECIAL_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}

# No link followed at the last step (a file turned into a link after the listing is refused),
# and no waiting for a writer when a file turned into a pipe: it is opened, seen and refused.
OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
LINK_ERRORS = {errno.ELOOP, getattr(errno, "EMLINK", errno.ELOOP)}  # O_NOFOLLOW met a link


class Listed(NamedTuple):
    """A file found in the corpus folder: its name there, the file to open, or why it is not read."""

    relative: str  # its path in the corpus folder, with "/" between folders
    path: str  # the file to open: itself, or the target of a link inside the folder ("": none)
    problem: str = ""  # why it is not read ("" when it is)
    inode: int = 0  # the listed file's inode number: what is opened later must be it


def special_file_reason(mode: int) -> str:
    """Return why a file of this kind (st_mode) is not read: a pipe, socket or device."""
    kind = SPECIAL_KINDS.get(stat.S_IFMT(mode), "not a regular file")
    return f"special file ({kind}), not a saved page: not read"


def list_corpus_files(corpus_dir: str | Path) -> list[Listed]:
    """List every file in the corpus folder and its sub-folders, in name order, hidden files and
    folders (".ipynb_checkpoints") left out: regular files to read, links to files inside the
    folder as their targets, and links out of it, broken links and special files with a reason.
    A link to a folder inside the corpus is walked like a folder (its files are duplicates)."""
    root = os.path.realpath(corpus_dir)
    found: list[Listed] = []
    # (prefix of the names in it, folder to list, the real paths of the folders walked to it)
    folders = [("", os.fspath(corpus_dir), (root,))]
    while folders:
        prefix, folder, chain = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            if not prefix:
                raise  # the corpus folder itself: the caller says what became of it
            found.append(Listed(prefix[:-1], "", f"folder could not be read: {_cause(exc)}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            relative = prefix + entry.name
            # The entry's type comes with the listing: a regular file costs no further call.
            if entry.is_symlink():
                listed, walk = _follow_link(entry.path, relative, root, chain)
                if walk:
                    folders.append((relative + "/", listed.path, (*chain, listed.path)))
                else:
                    found.append(listed)
            elif entry.is_dir():
                folders.append(
                    (relative + "/", entry.path, (*chain, os.path.join(chain[-1], entry.name)))
                )
            elif entry.is_file():
                found.append(Listed(relative, entry.path, "", entry.inode()))  # no extra call
            else:
                mode = entry.stat(follow_symlinks=False).st_mode
                found.append(Listed(relative, "", special_file_reason(mode)))
    found.sort()
    return found


def _follow_link(path: str, relative: str, root: str, chain: tuple) -> tuple[Listed, bool]:
    # A link is resolved once, here; only a target inside the corpus folder is read (opened
    # later with no link followed) or walked (unless it holds the link: a loop).
    target = os.path.realpath(path)
    inside = target == root or target.startswith(os.path.join(root, ""))
    if not inside:
        outside = FOLDER_LINK_OUTSIDE if os.path.isdir(target) else LINK_OUTSIDE
        return Listed(relative, "", outside), False
    try:
        info = os.stat(target, follow_symlinks=False)
    except OSError:
        return Listed(relative, "", BROKEN_LINK), False
    if stat.S_ISDIR(info.st_mode):
        if any(walked == target or walked.startswith(os.path.join(target, "")) for walked in chain):
            return Listed(relative, "", LOOP_LINK), False
        return Listed(relative, target), True
    if not stat.S_ISREG(info.st_mode):
        return Listed(relative, "", special_file_reason(info.st_mode)), False
    return Listed(relative, target, "", info.st_ino), False


def inspect_corpus_file(corpus_dir: str | Path, name: str) -> Listed | None:
    """Return a file at the top of the corpus folder as the listing would (None: no such file)."""
    path = os.path.join(corpus_dir, name)
    try:
        info = os.stat(path, follow_symlinks=False)
        mode = info.st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        return Listed(name, "", f"could not be read: {_cause(exc)}")
    if stat.S_ISLNK(mode):
        root = os.path.realpath(corpus_dir)
        listed, walk = _follow_link(path, name, root, (root,))
        return listed._replace(path="", problem="link to a folder: not read") if walk else listed
    if stat.S_ISREG(mode):
        return Listed(name, path, "", info.st_ino)
    if stat.S_ISDIR(mode):
        return Listed(name, "", "a folder, not a file: not read")
    return Listed(name, "", special_file_reason(mode))


def read_corpus_file(
    path: str, *, max_bytes: int, inode: int = 0, root: str = ""
) -> tuple[bytes | None, int, str]:
    """Read a listed file as bytes, unless it is over `max_bytes` or no longer a regular file;
    return (bytes or None, size, why it was not read). Raises OSError when it cannot be opened.

    The file is opened without following a link and without waiting on a pipe, then checked,
    so what the listing saw is what is read, whatever changed in the folder meanwhile: with the
    `inode` the listing gave, a file that is not that one (a folder on its path was swapped
    for a link, say) is read only when it is inside the corpus folder `root`."""
    try:
        fd = os.open(path, OPEN_FLAGS)
    except OSError as exc:
        if exc.errno in LINK_ERRORS:
            return None, 0, BECAME_LINK
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, 0, special_file_reason(info.st_mode)
        if inode and info.st_ino != inode and not _opened_inside(fd, path, root):
            return None, 0, MOVED_OUT
        if info.st_size > max_bytes:
            return None, info.st_size, ""
        parts = []
        while chunk := os.read(fd, max(info.st_size + 1, 65536)):
            parts.append(chunk)
        data = b"".join(parts) if len(parts) != 1 else parts[0]
        return data, len(data), ""
    finally:
        os.close(fd)


def _opened_inside(fd: int, path: str, root: str) -> bool:
    # Where the open file really is: the system says so for the descriptor where it can (Linux),
    # else the path is resolved again. Called only when the file is not the one listed.
    try:
        where = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        where = os.path.realpath(path)
    return bool(root) and where.startswith(os.path.join(root, ""))


def _cause(exc: OSError) -> str:
    return exc.strerror or str(exc)
