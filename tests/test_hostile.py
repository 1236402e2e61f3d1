"""Hostile input: bad files, bad parameters, failed runs, injection and the network (issue 6)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import hostile
import pandas as pd
import pytest
from markupsafe import escape
from runs import SEEDS, copy_seeds, run_all

from citylinks import pipeline
from citylinks.corpus import clean_page, load_articles
from citylinks.paths import NOTEBOOK_DIR

SAFE_ID = re.compile(r"[a-z0-9_-]+")
# Columns that may differ between two runs of the same corpus and parameters.
RUN_DEPENDENT_COLUMNS = re.compile(r"started|run_at|timestamp|seconds|duration|elapsed", re.I)


# --- helpers -------------------------------------------------------------------------------


def run_concurrently(jobs: dict[str, list[str]], *, workers: int = 2) -> dict:
    """Run several run_all.py command lines at once (the machine has two cores)."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {key: pool.submit(run_all, *args) for key, args in jobs.items()}
        return {key: future.result() for key, future in futures.items()}


def snapshot(folder: Path) -> dict[str, tuple]:
    """Return every file and folder under `folder` with its size, mtime (ns) and content hash."""
    state = {".": ("dir", folder.stat().st_mtime_ns)}
    for path in sorted(folder.rglob("*")):
        info = path.stat()
        key = path.relative_to(folder).as_posix()
        if path.is_dir():
            state[key] = ("dir", info.st_mtime_ns)
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            state[key] = ("file", info.st_size, info.st_mtime_ns, digest)
    return state


def stderr_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def leftovers(folder: Path) -> list[str]:
    """Staging or trash folders a run left behind next to its outputs."""
    return sorted(p.name for p in folder.glob(".*") if "staging" in p.name or ".old-" in p.name)


class MarkupAudit(HTMLParser):
    """Collect what a browser would run in a page: script bodies, event handlers, js: links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.js_links: list[str] = []
        self.tags: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            if value and value.strip().lower().startswith("javascript:"):
                self.js_links.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def audit_markup(page: str) -> MarkupAudit:
    audit = MarkupAudit()
    audit.feed(page)
    audit.close()
    return audit


def assert_no_injected_markup(page: str, where: str) -> None:
    """No tag, handler, script or link built from article text, file names or parameters."""
    audit = audit_markup(page)
    assert not [s for s in audit.scripts if "alert(" in s or "document." in s], where
    assert not [h for h in audit.handlers if "alert(" in h], where
    assert not audit.js_links, where
    for raw in ("<script>alert", "<img src=x", "<script>document", "onerror=alert(2)>"):
        assert raw not in page, f"{where}: raw {raw!r}"


# --- the hostile corpus at load_articles level ----------------------------------------------


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory) -> Path:
    """The hostile files plus the five seed articles, in one folder."""
    folder = copy_seeds(tmp_path_factory.mktemp("hostile") / "corpus")
    return hostile.write_hostile_corpus(folder)


@pytest.fixture(scope="module")
def loaded(hostile_corpus) -> pd.DataFrame:
    """The articles table load_articles makes of the hostile corpus, by file."""
    return load_articles(hostile_corpus).articles.set_index("file", drop=False)


def check_empty(row, table):
    assert (row.status, row.reason) == ("quarantined", "empty file")


def check_binary(row, table):
    assert row.status == "quarantined"
    assert row.reason.startswith("binary file, not text"), row.reason


def check_cp1252(row, table):
    assert (row.status, row.encoding) == ("ok", "cp1252")
    assert row.title == hostile.CP1252_TITLE
    for word in hostile.CP1252_WORDS:
        assert word in row.text
    assert "\ufffd" not in row.text and "â€" not in row.text  # no mojibake
    assert row.published == "2024-06-12"


def check_bom_crlf(row, table):
    assert (row.status, row.encoding, row.published) == ("ok", "utf-8", "2024-07-02")
    assert row.title == hostile.BOM_TITLE  # no BOM in front of it
    assert "\r" not in row.text and "\ufeff" not in row.text
    assert row.text == clean_page(hostile.BOM_PAGE).text  # cleaned exactly like LF without BOM
    assert row.authors == "Lien Ha"


def check_navigation_only(row, table):
    assert row.status == "quarantined"
    assert row.reason.startswith("no article text left after cleaning"), row.reason
    assert "navigation" in row.reason


def check_impossible_date(row, table):
    assert (row.status, row.published) == ("ok", "")
    assert "2024/02/31" in row.warnings and "not a real date" in row.warnings, row.warnings
    assert row.title == hostile.IMPOSSIBLE_DATE_TITLE


def check_no_date(row, table):
    assert (row.status, row.published) == ("ok", "")
    assert "no publish date" in row.warnings, row.warnings


def check_original(row, table):
    assert (row.status, row.duplicate_of, row.published) == ("ok", "", "2024-08-15")


def check_duplicate(row, table):
    original = table.loc[hostile.ORIGINAL]
    assert row.status == "duplicate"
    assert row.duplicate_of == original.article_id
    assert original.article_id in row.reason


def check_vietnamese_name(row, table):
    assert (row.status, row.published) == ("ok", "2024-09-05")
    assert row.title == hostile.VIETNAMESE_TITLE
    assert row.authors == "Thanh Hà"
    assert SAFE_ID.fullmatch(row.article_id), row.article_id
    assert row.article_id.startswith("ha-noi-hop-tac")


def check_note(row, table):
    assert row.status == "quarantined"
    assert "not a news article" in row.reason, row.reason


def check_large(row, table):
    assert row.status == "quarantined"
    assert re.search(r"\b30(\.0)? MB\b", row.reason), row.reason
    assert "10 MB limit" in row.reason and "max_file_mb" in row.reason, row.reason
    assert row.bytes >= 30_000_000


MARKUP_WORDS = re.compile(r"<|>|\b(?:div|script|style|nav|href|createElement|dataLayer)\b")


def check_html_page(row, table):
    if row.status == "quarantined":  # the other allowed outcome: set aside with a reason
        assert "HTML" in row.reason, row.reason
        return
    assert row.status == "ok", row.reason
    assert row.title == hostile.HTML_TITLE
    for paragraph in hostile.HTML_PARAGRAPHS:
        assert paragraph in row.text
    assert not MARKUP_WORDS.search(row.text), MARKUP_WORDS.search(row.text)
    assert hostile.HTML_NAV_TEXT not in row.text and hostile.HTML_FOOTER_TEXT not in row.text
    assert "trackReader" not in row.text
    assert row.published == "2024-05-14"


def check_markup_text(row, table):
    assert (row.status, row.published) == ("ok", "2024-05-10")
    assert row.title == hostile.MARKUP_TITLE  # kept as the text it is, not stripped or parsed
    assert hostile.MARKUP_BODY_LINE in row.text


def check_script_file_name(row, table):
    assert (row.status, row.file) == ("ok", hostile.SCRIPT_NAME)
    assert row.title == hostile.SCRIPT_NAME_TITLE
    assert SAFE_ID.fullmatch(row.article_id), row.article_id


EXPECTED = {
    hostile.EMPTY: check_empty,
    hostile.BINARY: check_binary,
    hostile.CP1252: check_cp1252,
    hostile.BOM_CRLF: check_bom_crlf,
    hostile.NAV_ONLY: check_navigation_only,
    hostile.IMPOSSIBLE_DATE: check_impossible_date,
    hostile.NO_DATE: check_no_date,
    hostile.ORIGINAL: check_original,
    hostile.DUPLICATE: check_duplicate,
    hostile.VIETNAMESE: check_vietnamese_name,
    hostile.NOTE: check_note,
    hostile.LARGE: check_large,
    hostile.HTML_PAGE: check_html_page,
    hostile.MARKUP: check_markup_text,
    hostile.SCRIPT_NAME: check_script_file_name,
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_load_articles_handles_hostile_file(loaded, name):
    EXPECTED[name](loaded.loc[name], loaded)


def test_load_articles_keeps_every_file_and_the_seeds(loaded, hostile_corpus):
    files = sorted(p.name for p in hostile_corpus.iterdir())
    assert sorted(loaded.file) == files  # one row per file, none dropped silently
    assert loaded.article_id.is_unique
    seeds = loaded.loc[[s.name for s in SEEDS]]
    assert list(seeds.status) == ["ok"] * 5


def test_undated_page_keeps_its_title_not_the_navigation(loaded):
    # Without a byline the header is still navigation, breadcrumb, then the title.
    row = loaded.loc[hostile.NO_DATE]
    assert row.title == hostile.NO_DATE_TITLE
    assert hostile.NAV not in row.text


@pytest.mark.parametrize(("limit", "quarantined"), [(1.0, True), (10.0, False)])
def test_file_size_limit_is_the_max_file_mb_parameter(tmp_path, limit, quarantined):
    hostile.write_large_file(tmp_path / "big.txt", megabytes=1.5)
    row = load_articles(tmp_path, max_file_mb=limit).articles.iloc[0]
    assert (row.status == "quarantined" and "MB limit" in row.reason) is quarantined
    if quarantined:
        assert "1.5 MB" in row.reason and "-p max_file_mb" in row.reason


# --- one end-to-end run on the hostile corpus (and a second, networking blocked) -----------

SOCKET_GUARD = '''
"""Test guard: allow loopback sockets only; record every other attempt (and that we loaded)."""
import errno
import ipaddress
import os
import socket

_LOG = os.environ.get("CITYLINKS_SOCKET_LOG", "")
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", socket.gethostname()}


def _record(kind, detail):
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as handle:
            detail = " ".join(str(detail).split())
            handle.write(f"{os.getpid()}\\t{kind}\\t{detail}\\n")


def _cmdline():
    try:
        with open("/proc/self/cmdline", "rb") as handle:
            return handle.read().replace(b"\\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def _is_local(host):
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host).split("%")[0]
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _allowed(sock, address):
    if getattr(socket, "AF_UNIX", None) is not None and sock.family == socket.AF_UNIX:
        return True
    return isinstance(address, tuple) and _is_local(address[0])


_connect, _connect_ex, _sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto
_getaddrinfo = socket.getaddrinfo


def connect(self, address):
    if not _allowed(self, address):
        _record("blocked", f"connect {address!r}")
        raise OSError(errno.ENETUNREACH, f"network blocked by the test guard: {address!r}")
    return _connect(self, address)


def connect_ex(self, address):
    if not _allowed(self, address):
        _record("blocked", f"connect_ex {address!r}")
        return errno.ENETUNREACH
    return _connect_ex(self, address)


def sendto(self, data, *args):
    address = args[-1]
    if not _allowed(self, address):
        _record("blocked", f"sendto {address!r}")
        raise OSError(errno.ENETUNREACH, f"network blocked by the test guard: {address!r}")
    return _sendto(self, data, *args)


def getaddrinfo(host, *args, **kwargs):
    if not _is_local(host):
        _record("blocked", f"getaddrinfo {host!r}")
        raise socket.gaierror(socket.EAI_NONAME, f"name lookup blocked by the test guard: {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.socket.sendto = sendto
socket.getaddrinfo = getaddrinfo
_record("loaded", _cmdline())
'''


def guarded_env(folder: Path) -> tuple[dict, Path]:
    """Return an environment whose Python processes (and their kernels) have no network."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(SOCKET_GUARD, encoding="utf-8")
    log = folder / "sockets.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), env.get("PYTHONPATH")]))
    env["CITYLINKS_SOCKET_LOG"] = str(log)
    return env, log


def read_guard_log(log: Path) -> list[tuple[str, str, str]]:
    if not log.exists():
        return []
    return [tuple(line.split("\t", 2)) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def hostile_runs(tmp_path_factory, hostile_corpus) -> dict:
    """Two runs of run_all.py on the hostile corpus, at once: plain (A) and without network (B)."""
    base = tmp_path_factory.mktemp("runs")
    env, log = guarded_env(base / "guard")
    before = snapshot(hostile_corpus)
    jobs = {
        "a": ([f"--{d}={base / 'a' / d}" for d in ("out", "work")], None),
        "b": ([f"--{d}={base / 'b' / d}" for d in ("out", "work")], env),
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            key: pool.submit(run_all, "--corpus", str(hostile_corpus), *args, env=job_env)
            for key, (args, job_env) in jobs.items()
        }
        results = {key: future.result() for key, future in futures.items()}
    return {
        "base": base,
        "a": results["a"],
        "b": results["b"],
        "out": base / "a" / "out",
        "work": base / "a" / "work",
        "corpus_before": before,
        "corpus_after": snapshot(hostile_corpus),
        "guard_log": log,
    }


@pytest.fixture(scope="module")
def run_table(hostile_runs) -> pd.DataFrame:
    """The articles stage table of the end-to-end run, by file."""
    assert hostile_runs["a"].returncode == 0, hostile_runs["a"].stderr
    table = pd.read_parquet(hostile_runs["work"] / "articles.parquet")
    return table.set_index("file", drop=False)


def report_pages(out: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.html"))}


def test_run_on_hostile_corpus_succeeds(hostile_runs):
    result = hostile_runs["a"]
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Reports written to" in result.stdout


@pytest.mark.parametrize("name", list(EXPECTED))
def test_run_all_handles_hostile_file(run_table, name):
    EXPECTED[name](run_table.loc[name], run_table)


def test_run_all_csv_agrees_with_stage_table(run_table, hostile_runs):
    csv = pd.read_csv(
        hostile_runs["out"] / "data" / "articles.csv", dtype=str, keep_default_na=False
    ).set_index("file")
    assert sorted(csv.index) == sorted(run_table.index)
    for column in ("article_id", "status", "reason", "duplicate_of", "published", "title"):
        assert csv[column].to_dict() == run_table[column].to_dict(), column


def test_good_articles_are_analysed_as_if_alone(run_table, tmp_path):
    alone = load_articles(copy_seeds(tmp_path / "seeds")).articles.set_index("file")
    columns = ["article_id", "title", "published", "authors", "words", "status", "text"]
    pd.testing.assert_frame_equal(
        run_table.loc[alone.index, columns].reset_index(drop=True),
        alone[columns].reset_index(drop=True),
    )


def test_data_quality_box_names_every_file_set_aside(run_table, hostile_runs):
    index = (hostile_runs["out"] / "index.html").read_text(encoding="utf-8")
    box = index[index.index('id="data-quality"') : index.index('id="reports"')]
    set_aside = run_table[run_table.status != "ok"]
    assert len(set_aside) >= 6
    for row in set_aside.itertuples():
        assert str(escape(f"{row.file}: {row.reason}")) in box, row.file
    for name in (hostile.IMPOSSIBLE_DATE, hostile.NO_DATE):  # undated: left out of time charts
        assert str(escape(name)) in box


def test_report_escapes_markup_from_articles_and_file_names(hostile_runs):
    pages = report_pages(hostile_runs["out"])
    assert "01-clean-corpus.html" in pages and "index.html" in pages
    for name, page in pages.items():
        assert_no_injected_markup(page, name)
    cleaning = pages["01-clean-corpus.html"]
    assert str(escape(hostile.MARKUP_TITLE)) in cleaning  # &lt;script&gt;alert(1)…
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in cleaning
    assert str(escape(hostile.SCRIPT_NAME)) in cleaning  # the file name, as text


def test_later_stages_analyse_only_ok_articles(run_table, hostile_runs):
    ok = set(run_table.article_id[run_table.status == "ok"])
    later = [
        p
        for p in sorted((hostile_runs["out"] / "data").glob("*.csv"))
        if p.stem not in ("articles", "cleaning_audit")
    ]
    tables = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in later}
    with_ids = {name: t for name, t in tables.items() if "article_id" in t.columns}
    if not with_ids:
        pytest.skip("no later-stage table with an article_id column yet (stages 02/03)")
    for name, table in with_ids.items():
        assert set(table.article_id) <= ok, name


# --- nothing is lost -----------------------------------------------------------------------


def test_corpus_bytes_and_times_are_unchanged_by_runs(hostile_runs):
    assert hostile_runs["a"].returncode == 0 and hostile_runs["b"].returncode == 0
    assert hostile_runs["corpus_after"] == hostile_runs["corpus_before"]


def _comparable(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    else:
        table = pd.read_parquet(path)
    return table.drop(columns=[c for c in table.columns if RUN_DEPENDENT_COLUMNS.search(str(c))])


@pytest.mark.parametrize("kind", ["out/data/*.csv", "work/*.parquet"])
def test_two_runs_give_identical_tables(hostile_runs, kind):
    assert hostile_runs["a"].returncode == 0, hostile_runs["a"].stderr
    assert hostile_runs["b"].returncode == 0, hostile_runs["b"].stderr
    folder, pattern = kind.rsplit("/", 1)
    a = {p.name: p for p in (hostile_runs["base"] / "a").glob(f"{folder}/{pattern}")}
    b = {p.name: p for p in (hostile_runs["base"] / "b").glob(f"{folder}/{pattern}")}
    assert a and sorted(a) == sorted(b)
    for name in sorted(a):
        try:
            pd.testing.assert_frame_equal(_comparable(a[name]), _comparable(b[name]))
        except AssertionError as exc:
            raise AssertionError(f"{kind}: {name} differs between two runs: {exc}") from None


STAGE_NOTEBOOK = "01-clean-corpus.ipynb"


def make_notebook(title: str, parameters: str, *cells: str):
    """Return a thin stage notebook: title, tagged parameters cell, then code cells."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell(textwrap.dedent(parameters).strip())
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {title}\nA stage written by the hostile-input tests."),
        params,
        *[nbformat.v4.new_code_cell(textwrap.dedent(c).strip()) for c in cells],
    ]
    return nb


def stage_folder(folder: Path, extra: dict) -> Path:
    """A notebooks folder with the real cleaning stage and the given extra stages."""
    import nbformat

    folder.mkdir(parents=True)
    shutil.copy(NOTEBOOK_DIR / STAGE_NOTEBOOK, folder / STAGE_NOTEBOOK)
    for name, nb in extra.items():
        nbformat.write(nb, folder / name)
    return folder


@pytest.fixture
def previous_run(hostile_runs, tmp_path) -> dict:
    """A copy of a finished run's reports and tables, as a user's previous results."""
    assert hostile_runs["a"].returncode == 0, hostile_runs["a"].stderr
    out, work = tmp_path / "reports", tmp_path / "build"
    shutil.copytree(hostile_runs["out"], out)
    shutil.copytree(hostile_runs["work"], work)
    return {"out": out, "work": work, "out_before": snapshot(out), "work_before": snapshot(work)}


def test_failed_run_names_stage_and_cell_and_keeps_previous_reports(
    previous_run, tmp_path, monkeypatch, capsys
):
    explode = make_notebook(
        "Explode",
        'work_dir = "build"  # stage tables',
        "import citylinks.corpus",
        'raise RuntimeError("deliberate failure for the hostile-input test")',
    )
    monkeypatch.setattr(
        pipeline, "NOTEBOOK_DIR", stage_folder(tmp_path / "nb", {"05-explode.ipynb": explode})
    )
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    out, work = previous_run["out"], previous_run["work"]
    corpus = copy_seeds(tmp_path / "corpus", count=2)
    status = pipeline.run(["--corpus", str(corpus), "--out", str(out), "--work", str(work)])
    err = capsys.readouterr().err
    assert status == 1
    # cell 4 as the debugging copy numbers it: parameters, injected parameters, import, raise
    assert "stage 05-explode failed: cell 4 raised RuntimeError" in err, err
    assert "deliberate failure for the hostile-input test" in err
    assert f"the reports in {out} are left as they were" in err
    assert "Traceback" not in err
    debug = re.search(r"debugging copy \(with code\): (.+)", err)
    assert debug and Path(debug.group(1).strip()).exists(), err
    assert snapshot(out) == previous_run["out_before"]
    tables = {k: v for k, v in snapshot(work).items() if k.endswith(".parquet")}
    assert tables == {
        k: v for k, v in previous_run["work_before"].items() if k.endswith(".parquet")
    }
    assert leftovers(tmp_path) == []


def test_interrupted_run_keeps_previous_reports(previous_run, tmp_path, monkeypatch, capsys):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "NOTEBOOK_DIR", stage_folder(tmp_path / "nb", {}))
    monkeypatch.setattr(pipeline, "execute_stage", interrupt)
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    out, work = previous_run["out"], previous_run["work"]
    corpus = copy_seeds(tmp_path / "corpus", count=1)
    status = pipeline.run(["--corpus", str(corpus), "--out", str(out), "--work", str(work)])
    err = capsys.readouterr().err
    assert status == 130
    assert "interrupted" in err and f"the reports in {out} are left as they were" in err
    assert snapshot(out) == previous_run["out_before"]
    assert snapshot(work) == previous_run["work_before"]
    assert leftovers(tmp_path) == []


# --- nothing runs that shouldn't -----------------------------------------------------------


def injection_payloads(marker: Path) -> dict[str, str]:
    """Parameter values that would run code if pasted into a notebook as source."""
    code = f"import pathlib; pathlib.Path({str(marker)!r}).write_text('injected')"
    return {
        "home_city": f'Hanoi\\"\n{code}\n#',
        "home_country": f"VN'''\n{code}\n'''</script><script>alert(9)</script>{{{{x}}}}",
    }


def test_parameters_reach_notebooks_as_data(tmp_path, monkeypatch, capsys):
    echo = make_notebook(
        "Echo",
        """
        home_city = "Hanoi"  # the home city
        home_country = "VN"  # its country
        out_dir = "reports"  # where reports go
        """,
        "import json\nimport pathlib",
        'pathlib.Path(out_dir, "echo.json").write_text(json.dumps([home_city, home_country]))',
    )
    monkeypatch.setattr(
        pipeline, "NOTEBOOK_DIR", stage_folder(tmp_path / "nb", {"05-echo.ipynb": echo})
    )
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    marker = tmp_path / "INJECTED"
    payloads = injection_payloads(marker)
    out, work = tmp_path / "out", tmp_path / "work"
    argv = ["--corpus", str(copy_seeds(tmp_path / "corpus", count=1))]
    argv += ["--out", str(out), "--work", str(work)]
    for name, value in payloads.items():
        argv += ["-p", name, value]
    status = pipeline.run(argv)
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert not marker.exists()
    echoed = json.loads((out / "echo.json").read_text(encoding="utf-8"))
    assert echoed == [payloads["home_city"], payloads["home_country"]]  # the same text, as data
    for name, page in report_pages(out).items():
        assert "<script>alert(9)" not in page, name
        assert not [s for s in audit_markup(page).scripts if "alert(" in s], name


def test_run_all_passes_quoted_parameters_as_data(tmp_path):
    marker = tmp_path / "INJECTED"
    payloads = injection_payloads(marker)
    out, work = tmp_path / "out", tmp_path / "work"
    args = ["--corpus", str(copy_seeds(tmp_path / "corpus", count=1))]
    args += ["--out", str(out), "--work", str(work)]
    for name, value in payloads.items():
        args += ["-p", name, value]
    result = run_all(*args)
    assert not marker.exists()
    assert "Traceback" not in result.stderr
    if result.returncode == 2:  # refused before any work: one line saying why
        assert len(stderr_lines(result)) == 1 and not out.exists(), result.stderr
        return
    assert result.returncode == 0, result.stderr
    for name, page in report_pages(out).items():
        assert "<script>alert(9)" not in page, name
        assert_no_injected_markup(page, name)


def test_socket_guard_blocks_and_records_outside_connections(tmp_path):
    env, log = guarded_env(tmp_path / "guard")
    probe = textwrap.dedent(
        """
        import socket
        server = socket.create_server(("127.0.0.1", 0))
        socket.create_connection(server.getsockname(), timeout=2).close()  # loopback: allowed
        try:
            socket.create_connection(("192.0.2.1", 80), timeout=2)
        except OSError as exc:
            print("blocked:", exc)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "blocked by the test guard" in result.stdout
    kinds = [kind for _, kind, _ in read_guard_log(log)]
    assert kinds.count("loaded") == 1 and kinds.count("blocked") == 1
    assert "192.0.2.1" in log.read_text(encoding="utf-8")


def test_run_makes_no_network_connection(hostile_runs):
    result = hostile_runs["b"]
    assert result.returncode == 0, result.stderr
    entries = read_guard_log(hostile_runs["guard_log"])
    loaded = {pid: detail for pid, kind, detail in entries if kind == "loaded"}
    assert len(loaded) >= 2, loaded  # the runner and at least one kernel ran with the guard
    assert any("ipykernel" in detail for detail in loaded.values()), loaded
    assert [e for e in entries if e[1] == "blocked"] == []


# --- bad parameters and config: exit 2, one line, nothing written -------------------------

CONFIG_PARAMS = ("sectors_file", "partners_file", "outlets_file")
BAD_YAML = {
    "missing": (None, r"not found|does not exist|no such file|missing|cannot find"),
    "not-yaml": ("sectors: [unclosed\n", r"YAML|yaml|pars|syntax"),
    "wrong-shape": ("- health\n- education\n", r"mapping|dict|list|shape|expected|must"),
}


def bad_usage_cases(base: Path) -> dict[str, tuple[list[str], list[str], str]]:
    """Case -> (arguments, texts the one error line must hold, regex it must match)."""
    (base / "empty-corpus").mkdir(parents=True)
    cases = {
        "unknown-parameter": (
            ["-p", "colour", "red"],
            ["unknown parameter 'colour'", "--list-params"],
            "",
        ),
        "period-fortnight": (
            ["-p", "period", "fortnight"],
            ["period", "fortnight", "auto, month, quarter, year"],
            "",
        ),
        "start-yesterday": (
            ["-p", "start", "yesterday"],
            ["start", "yesterday", "YYYY-MM-DD"],
            "",
        ),
        "missing-corpus": (
            ["--corpus", str(base / "no-such-corpus")],
            [str(base / "no-such-corpus"), "does not exist"],
            "",
        ),
        "empty-corpus": (
            ["--corpus", str(base / "empty-corpus")],
            [str(base / "empty-corpus"), "empty"],
            "",
        ),
    }
    for param in CONFIG_PARAMS:
        for kind, (content, problem) in BAD_YAML.items():
            path = base / "config" / f"{kind}-{param}.yaml"
            if content is not None:
                path.parent.mkdir(exist_ok=True)
                path.write_text(content, encoding="utf-8")
            cases[f"{param}-{kind}"] = (["-p", param, str(path)], [str(path)], problem)
    return cases


@pytest.fixture(scope="module")
def bad_usage(tmp_path_factory) -> dict:
    """Every bad command line, run at once; each case writes to its own out/work folders."""
    base = tmp_path_factory.mktemp("usage")
    corpus = copy_seeds(base / "corpus", count=1)
    cases = bad_usage_cases(base)
    jobs = {}
    for key, (args, _, _) in cases.items():
        folders = ["--out", str(base / key / "out"), "--work", str(base / key / "work")]
        corpus_args = [] if "--corpus" in args else ["--corpus", str(corpus)]
        jobs[key] = [*corpus_args, *args, *folders]
    results = run_concurrently(jobs, workers=3)
    return {key: (results[key], cases[key], base / key) for key in cases}


@pytest.mark.parametrize(
    "case",
    [
        "unknown-parameter",
        "period-fortnight",
        "start-yesterday",
        "missing-corpus",
        "empty-corpus",
        *(f"{p}-{k}" for p in CONFIG_PARAMS for k in BAD_YAML),
    ],
)
def test_bad_usage_exits_2_with_one_line_and_writes_nothing(bad_usage, case):
    result, (_, texts, pattern), folder = bad_usage[case]
    assert result.returncode == 2, f"exit {result.returncode}: {result.stderr[-500:]}"
    assert "Traceback" not in result.stderr
    lines = stderr_lines(result)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("run_all.py: error: ")
    for text in texts:
        assert text in lines[0]
    if pattern:
        assert re.search(pattern, lines[0]), lines[0]
    assert not (folder / "out").exists() and not (folder / "work").exists()
    assert leftovers(folder) == []


# --- round 2 (issue 20): links out of the corpus, special files, giant lines ---------------


@pytest.fixture(scope="module")
def round_two(tmp_path_factory) -> dict:
    """A corpus with links in and out of it, special files and giant lines, loaded with every
    file opening recorded."""
    base = tmp_path_factory.mktemp("round2")
    corpus = hostile.write_round_two(copy_seeds(base / "corpus", count=2), base / "elsewhere")
    opened: list[str] = []
    real_open = os.open

    def recording_open(path, flags, *args, **kwargs):
        opened.append(os.fsdecode(path))
        return real_open(path, flags, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "open", recording_open)
        loaded = load_articles(corpus, workers=1)  # in this process, so every open is seen
    return {
        "corpus": corpus,
        "outside": base / "elsewhere",
        "opened": opened,
        "loaded": loaded,
        "table": loaded.articles.set_index("file", drop=False),
    }


def test_a_link_out_of_the_corpus_is_listed_and_never_opened(round_two):
    from citylinks.files import LINK_OUTSIDE

    table = round_two["table"]
    for name in (hostile.PASSWD_LINK, hostile.OUTSIDE_LINK):
        row = table.loc[name]
        assert (row.status, row.reason, row.title, row.text) == (
            "quarantined",
            LINK_OUTSIDE,
            "",
            "",
        )
        assert row.content_hash == "" and row.bytes == 0
    opened = [os.path.realpath(p) for p in round_two["opened"]]
    assert "/etc/passwd" not in opened
    assert not [p for p in opened if p.startswith(str(round_two["outside"]))]
    assert not table.text.str.contains("root:x:0|" + hostile.OUTSIDE_TITLE).any()


def test_a_link_inside_the_corpus_is_read_and_shows_as_a_duplicate(round_two):
    table = round_two["table"]
    original, copy = table.loc[hostile.ORIGINAL], table.loc[hostile.INSIDE_LINK]
    assert original.status == "ok" and copy.status == "duplicate"
    assert copy.duplicate_of == original.article_id
    assert copy.content_hash == original.content_hash


def test_a_linked_folder_out_of_the_corpus_is_not_walked(round_two):
    from citylinks.files import FOLDER_LINK_OUTSIDE

    table = round_two["table"]
    row = table.loc[hostile.FOLDER_LINK]
    assert (row.status, row.reason) == ("quarantined", FOLDER_LINK_OUTSIDE)
    assert not [f for f in table.file if f.startswith(hostile.FOLDER_LINK + "/")]


@pytest.mark.parametrize(
    ("name", "kind"), [(hostile.PIPE, "named pipe"), (hostile.SOCKET, "socket")]
)
def test_a_special_file_is_listed_with_its_reason(round_two, name, kind):
    from citylinks.corpus import list_problems

    row = round_two["table"].loc[name]
    reason = f"special file (a {kind}), not a saved page: not read"
    assert (row.status, row.reason) == ("quarantined", reason)
    assert f"{name}: quarantined: {reason}" in list_problems(round_two["loaded"])
    assert os.path.join(round_two["corpus"], name) not in round_two["opened"]


def test_a_page_on_one_line_without_sentences_is_not_prose(round_two):
    row = round_two["table"].loc[hostile.ONE_LINE]
    assert row.status == "quarantined"
    assert row.reason.startswith("not prose: one line of 4,800,000 characters"), row.reason
    assert (row.title, row.standfirst) == ("", "")


def test_a_line_too_long_for_a_headline_is_not_the_title(round_two):
    # A 5,849-character first line is no headline: the title is left empty with a warning
    # (issue 18), the page stays an article, and no field of its row exceeds the cut lengths.
    from citylinks.corpus import STANDFIRST_MAX, TITLE_MAX

    row = round_two["table"].loc[hostile.LONG_TITLE]
    assert row.status == "ok"
    assert row.title == ""
    assert "no headline found" in row.warnings
    assert len(row.standfirst) <= STANDFIRST_MAX
    assert len(hostile.LONG_TITLE_LINE) > TITLE_MAX


def test_no_csv_field_is_longer_than_a_spreadsheet_cell(round_two, tmp_path):
    import csv

    from citylinks.corpus import save_corpus
    from citylinks.tables import CSV_FIELD_MAX

    save_corpus(round_two["loaded"], work_dir=tmp_path / "work", out_dir=tmp_path / "out")
    for path in sorted((tmp_path / "out" / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            longest = max(len(field) for row in csv.reader(handle) for field in row)
        assert longest <= CSV_FIELD_MAX, path.name


@pytest.mark.parametrize(
    ("make", "note"),
    [
        (lambda c, o: os.symlink("/etc/passwd", c / "metadata.csv"), "link to a file outside"),
        (lambda c, o: os.mkfifo(c / "metadata.csv"), "special file (a named pipe)"),
    ],
    ids=["link-out", "pipe"],
)
def test_metadata_csv_is_read_only_as_a_regular_file_inside_the_corpus(tmp_path, make, note):
    corpus = copy_seeds(tmp_path / "corpus", count=1)
    make(corpus, tmp_path)
    loaded = load_articles(corpus, workers=1)
    assert f"metadata.csv ignored: {note}" in " ".join(loaded.notes), loaded.notes
    assert "metadata.csv" not in set(loaded.articles.file)


def test_metadata_csv_linked_from_inside_the_corpus_is_read(tmp_path):
    corpus = copy_seeds(tmp_path / "corpus", count=1)
    (corpus / "notes").mkdir()
    (corpus / "notes" / "meta.csv").write_text(f"file,title\n{SEEDS[0].name},Set by metadata\n")
    os.symlink("notes/meta.csv", corpus / "metadata.csv")
    row = load_articles(corpus, workers=1).articles.set_index("file").loc[SEEDS[0].name]
    assert (row.title, row.overridden) == ("Set by metadata", "title")


def test_a_corpus_folder_that_disappears_mid_run_stops_with_one_line(tmp_path, monkeypatch):
    from citylinks import corpus as corpus_module
    from citylinks.errors import FolderError

    corpus = copy_seeds(tmp_path / "corpus", count=2)
    listing = corpus_module.list_corpus_files

    def list_then_lose(folder):
        listed = listing(folder)
        shutil.rmtree(corpus)  # an unmounted drive, a folder moved away
        return listed

    monkeypatch.setattr(corpus_module, "list_corpus_files", list_then_lose)
    with pytest.raises(FolderError, match=f"corpus folder {corpus}: it disappeared"):
        load_articles(corpus, workers=1)
    with pytest.raises(FolderError, match=f"corpus folder {corpus}: it does not exist"):
        load_articles(corpus, workers=1)


# --- round 2: the system fails the run (a full disk, a read-only folder, a corpus gone) -----


def run_failing(previous_run, tmp_path, monkeypatch, capsys, *, stages=None) -> tuple[int, str]:
    """Run the pipeline over a previous run's folders; return (exit status, stderr)."""
    monkeypatch.setattr(pipeline, "NOTEBOOK_DIR", stage_folder(tmp_path / "nb", stages or {}))
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    out, work = previous_run["out"], previous_run["work"]
    corpus = previous_run.get("corpus") or copy_seeds(tmp_path / "corpus", count=2)
    status = pipeline.run(["--corpus", str(corpus), "--out", str(out), "--work", str(work)])
    return status, capsys.readouterr().err


def assert_one_line_and_nothing_lost(
    status, err, previous_run, tmp_path, *texts, moved: bool = False
) -> None:
    """Exit 1, one line holding `texts`, and the previous reports and tables as they were
    (`moved`: moved away and back, so the folder itself has a new modification time)."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert status == 1 and len(lines) == 1, err
    assert lines[0].startswith("run_all.py: error: ") and "Traceback" not in err
    for text in texts:
        assert text in lines[0], lines[0]
    assert "staging" not in lines[0]
    assert f"the reports in {previous_run['out']} are left as they were" in lines[0]
    after, before = snapshot(previous_run["out"]), dict(previous_run["out_before"])
    if moved:
        del after["."], before["."]
    assert after == before
    tables = {k: v for k, v in snapshot(previous_run["work"]).items() if k.endswith(".parquet")}
    assert tables == {
        k: v for k, v in previous_run["work_before"].items() if k.endswith(".parquet")
    }
    assert leftovers(tmp_path) == []


def test_a_full_disk_while_writing_the_reports_stops_with_one_line(
    previous_run, tmp_path, monkeypatch, capsys
):
    real_write = Path.write_text

    def full_disk(self, *args, **kwargs):
        if self.suffix == ".html":
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full_disk)
    status, err = run_failing(previous_run, tmp_path, monkeypatch, capsys)
    out = previous_run["out"]
    assert_one_line_and_nothing_lost(
        status, err, previous_run, tmp_path, f"cannot write into {out}: no space left on the device"
    )


FULL_DISK_CELLS = {
    # a stage table written through citylinks.tables: the folder is named by the stage
    "tables": (
        """
        import errno
        import pandas as pd
        from pyarrow import csv
        from citylinks.tables import export_csv
        def full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "Error writing bytes to file")
        csv.write_csv = full
        """,
        'export_csv(pd.DataFrame({"a": [1]}), out_dir, "full")',
        "cannot write into {out}/data: no space left on the device",
    ),
    # any other write: the run names its output folders
    "other": (
        "import errno",
        'raise OSError(errno.ENOSPC, "No space left on device")',
        "cannot write into {out} (or {work}): no space left on the device",
    ),
}


@pytest.mark.parametrize("case", list(FULL_DISK_CELLS))
def test_a_full_disk_in_a_stage_stops_with_one_line(
    previous_run, tmp_path, monkeypatch, capsys, case
):
    setup, write, said = FULL_DISK_CELLS[case]
    stage = make_notebook("Full disk", 'out_dir = "reports"  # where reports go', setup, write)
    status, err = run_failing(
        previous_run, tmp_path, monkeypatch, capsys, stages={"05-full.ipynb": stage}
    )
    said = said.format(out=previous_run["out"], work=previous_run["work"])
    assert_one_line_and_nothing_lost(status, err, previous_run, tmp_path, said)


def test_a_read_only_output_folder_stops_before_any_stage(
    previous_run, tmp_path, monkeypatch, capsys
):
    # Tests may run as root, who may write anywhere: the check's answer is simulated.
    out = previous_run["out"]
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != out and real_access(p, mode))
    monkeypatch.setattr(pipeline, "execute_stage", lambda *a, **k: pytest.fail("a stage ran"))
    status, err = run_failing(previous_run, tmp_path, monkeypatch, capsys)
    assert_one_line_and_nothing_lost(
        status, err, previous_run, tmp_path, f"cannot write into {out}: permission denied"
    )


def test_a_folder_failing_while_the_reports_are_swapped_puts_the_old_ones_back(
    previous_run, tmp_path, monkeypatch, capsys
):
    real_rename = Path.rename
    moved, moved_into_work = [], []

    def read_only_work(self, target):
        # The reports are moved in, then a move into the work folder fails (once: the old
        # copies can be put back).
        if Path(target).parent == previous_run["work"] and not moved_into_work:
            moved_into_work.append(target)
            raise OSError(errno.EROFS, "Read-only file system", str(target))
        moved.append(target)
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", read_only_work)
    status, err = run_failing(previous_run, tmp_path, monkeypatch, capsys)
    assert any(Path(t).parent == previous_run["out"] for t in moved)  # some were swapped
    work = previous_run["work"]
    assert_one_line_and_nothing_lost(
        status,
        err,
        previous_run,
        tmp_path,
        f"cannot write into {work}: the file system is read-only",
        moved=True,
    )


def test_a_corpus_folder_that_disappears_stops_the_run_with_one_line(
    previous_run, tmp_path, monkeypatch, capsys
):
    corpus = copy_seeds(tmp_path / "corpus", count=2)
    real_stage = pipeline.execute_stage

    def lose_corpus_then_run(*args, **kwargs):
        shutil.rmtree(corpus)  # after the checks, before stage 1 reads it
        return real_stage(*args, **kwargs)

    monkeypatch.setattr(pipeline, "execute_stage", lose_corpus_then_run)
    status, err = run_failing({**previous_run, "corpus": corpus}, tmp_path, monkeypatch, capsys)
    assert_one_line_and_nothing_lost(
        status, err, previous_run, tmp_path, f"corpus folder {corpus}: it does not exist"
    )


# --- round 2: notebooks run from JupyterLab (working folder notebooks/) ---------------------


def test_notebook_01_run_from_the_notebooks_folder_writes_nothing_there(tmp_path):
    before = snapshot(NOTEBOOK_DIR)
    corpus = copy_seeds(tmp_path / "corpus", count=2)
    # Relative paths, as in the parameters cell: from the project root they lead to tmp_path
    # (from notebooks/ they would lead one folder up from it).
    relative = {
        name: os.path.relpath(tmp_path / folder, pipeline.ROOT)
        for name, folder in [
            ("corpus_dir", corpus),
            ("work_dir", "build"),
            ("out_dir", "reports"),
            ("cache_dir", "build/cache"),
        ]
    }
    pipeline.execute_stage(
        NOTEBOOK_DIR / STAGE_NOTEBOOK,
        tmp_path / "executed.ipynb",
        {**relative, "workers": 1},
        timeout=600,
    )
    assert snapshot(NOTEBOOK_DIR) == before
    assert (tmp_path / "build" / "articles.parquet").exists()
    assert (tmp_path / "reports" / "data" / "articles.csv").exists()
    assert list((tmp_path / "build" / "cache").glob("cleaned-pages-*.sqlite"))
