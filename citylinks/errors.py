"""Errors a user can fix: bad parameters, config files, missing stages, failing folders."""

from __future__ import annotations

import errno
from contextlib import contextmanager

import yaml

# libyaml's C loader when PyYAML was built with it (ten times faster), else the Python one.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UserError(Exception):
    """A mistake the user can fix; shown as one line, never as a traceback."""

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of printing a traceback, so a notebook shows one line too.
        return [f"{type(self).__name__}: {self}"]


class ConfigError(UserError):
    """A lexicon, gazetteer or metadata file that is missing or malformed."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ParameterError(UserError):
    """A parameter with an unknown name or a value of the wrong kind."""


class MissingStageError(UserError):
    """A later stage was run before the stage that makes its input."""


class FolderError(UserError):
    """A folder the run reads or writes that failed it: no space left, read-only, gone. Not a
    bug: the run stops with one line naming the folder and the cause."""


# What an operating-system error means for the folder it happened in, said plainly.
OS_CAUSES = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied (the folder cannot be written or read)",
    errno.EPERM: "permission denied (the folder cannot be written or read)",
    errno.ENOENT: "it does not exist (any more)",
    errno.ENOTDIR: "it is not a folder",
    errno.EIO: "input/output error (a failing disk or a lost network drive)",
    errno.ESTALE: "the network drive it was on is gone",
}


def describe_os_error(exc: OSError) -> str:
    """Return the cause of an operating-system error in a few plain words."""
    return OS_CAUSES.get(exc.errno) or (exc.strerror or str(exc) or type(exc).__name__)


@contextmanager
def writing_into(folder):
    """Turn an operating-system error while writing into `folder` (no space left, read-only,
    gone) into a FolderError naming it: one line for the person running, not a traceback."""
    try:
        yield
    except OSError as exc:
        raise FolderError(f"cannot write into {folder}: {describe_os_error(exc)}") from exc


def describe_yaml_error(err) -> str:
    """Return a YAML parse error as one line: where it is and what is wrong."""
    mark = getattr(err, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(err, "problem", None) or (str(err).splitlines() or ["unreadable"])[0]
    return f"not valid YAML{where}: {problem}"


def read_config_yaml(path, *, what: str):
    """Return a config file's YAML document; a ConfigError naming the file when it is missing,
    not UTF-8 or not valid YAML (`what`: the file's kind, "people file")."""
    from pathlib import Path

    path = Path(path)
    if not path.exists():
        raise ConfigError(path, f"{what} not found")
    return parse_config_yaml(path, path.read_bytes())


def read_config_bytes(path) -> bytes:
    """Return a config file's bytes; a ConfigError naming the file when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, f"cannot be read ({exc.strerror or exc})") from None


def parse_config_yaml(path, raw: bytes):
    """Return the YAML document in a config file's bytes; a ConfigError naming the file when
    they are not UTF-8 or not valid YAML."""
    try:
        return yaml.load(raw.decode("utf-8"), Loader=YAML_LOADER)
    except UnicodeDecodeError:
        raise ConfigError(path, "not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise ConfigError(path, describe_yaml_error(exc)) from None
