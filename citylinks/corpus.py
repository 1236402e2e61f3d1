"""The corpus: read saved news pages, strip page furniture, extract metadata, flag bad files."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from citylinks.cache import ResultCache, content_key, few_full_collections, map_articles, map_files
from citylinks.dates import parse_iso_date
from citylinks.errors import FolderError, describe_os_error
from citylinks.files import inspect_corpus_file, list_corpus_files, read_corpus_file
from citylinks.header import (  # noqa: F401  (re-exported: rules that lived here, by their names)
    AUTHOR_SPLIT,
    BREADCRUMB,
    BYLINE_PREFIX,
    PHOTO_CREDIT,
    find_caption,
    split_authors,
)
from citylinks.outlets import (  # noqa: F401
    FOOTER_MARKERS,
    Outlets,
    load_outlets,
    name_outlet,
    outlet_of_host,
)
from citylinks.page import (  # noqa: F401  (re-exported: one page's cleaning, by its old names)
    NBSP,
    STANDFIRST_MAX_WORDS,
    TAG_LINE,
    WORD,
    CleanedPage,
    clean_page,
    count_words,
    fold_line,
    line_key,
    split_footer,
)
from citylinks.paths import DEFAULT_OUTLETS, resolve
from citylinks.tables import (
    STAMP,
    FrameBuilder,
    cut_text,
    export_csv,
    stamp_articles,
    write_side_by_side,
    write_stage_table,
)

_is_caption = find_caption  # the names these rules had before header.py
_split_authors = split_authors

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Limits that tell a news article from something else saved into the folder.
MIN_ARTICLE_WORDS = 40  # shorter and without a date line: a note, not an article
BINARY_CONTROL_SHARE = 0.02  # more control characters than this: not text


def decode_bytes(data: bytes) -> tuple[str | None, str, str]:
    """Decode a file's bytes as UTF-8 (with or without BOM) or cp1252; return (text, encoding, problem)."""
    if not data.strip():
        return None, "", "empty file"
    sample = data[:65536]
    if b"\x00" in sample:
        return None, "", "binary file, not text (contains NUL bytes)"
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return None, "", "binary file, not text (neither UTF-8 nor cp1252)"
    head = text[:65536]
    controls = len(CONTROL_CHARS.findall(head))
    if controls > BINARY_CONTROL_SHARE * len(head):
        return None, encoding, "binary file, not text (control characters)"
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding, ""


_NOT_SLUG = re.compile(r"[^a-z0-9_-]+")


def make_article_id(relative: str) -> str:
    """Return a stable, URL-safe id for a file: its name when that is safe, else name + hash."""
    # PurePosixPath(relative).stem, in string operations (it is called once per file)
    name = relative.rpartition("/")[2]
    dot = name.rfind(".")
    stem = name[:dot] if 0 < dot < len(name) - 1 else name
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_stem.lower()).strip("-")[:48] or "article"
    if slug == stem and "/" not in relative:
        return slug
    return f"{slug}-{hashlib.sha1(relative.encode('utf-8')).hexdigest()[:6]}"


def read_metadata(corpus_dir: Path) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Read the optional `metadata.csv` (file, published, title, source, url); return rows and problems."""
    listed = inspect_corpus_file(corpus_dir, "metadata.csv")
    if listed is None:
        return {}, []
    if listed.problem:
        return {}, [f"metadata.csv ignored: {listed.problem}"]
    problems: list[str] = []
    rows: dict[str, dict[str, str]] = {}
    try:
        data, _size, problem = read_corpus_file(
            listed.path,
            max_bytes=METADATA_MAX_BYTES,
            inode=listed.inode,
            root=os.path.realpath(corpus_dir),
        )
        if data is None:
            return {}, [f"metadata.csv ignored: {problem or 'over 100 MB'}"]
        raw, _, problem = decode_bytes(data)
        if raw is None:
            return {}, [f"metadata.csv ignored: {problem}"]
        reader = csv.DictReader(raw.splitlines())
        fields = {f.strip().lower() for f in reader.fieldnames or []}
        if "file" not in fields:
            return {}, ["metadata.csv ignored: it needs a 'file' column"]
        for n, row in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            date_value = row.get("published") or row.get("date") or ""
            if date_value and parse_iso_date(date_value) is None:
                problems.append(
                    f"metadata.csv line {n}: date '{date_value}' is not YYYY-MM-DD; ignored"
                )
                date_value = ""
            rows[row["file"]] = {
                "published": parse_iso_date(date_value).isoformat() if date_value else "",
                "title": row.get("title", ""),
                "source": row.get("source", ""),
                "url": row.get("url", ""),
            }
    except (OSError, csv.Error) as exc:
        return {}, [f"metadata.csv ignored: {exc}"]
    return rows, problems


HTML_HINT = re.compile(r"<!doctype html|<html[\s>]|<body[\s>]|<head[\s>]", re.I)
ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}
SKIPPED_NAMES = {"metadata.csv"}
METADATA_MAX_BYTES = 100_000_000  # a metadata.csv larger than this is not a list of files


def looks_like_html(text: str) -> bool:
    """Tell a page saved from a browser (markup) from a page saved as text."""
    head = text[:4000]
    return bool(HTML_HINT.search(head)) or head.count("</p>") + head.count("<div") >= 5


def html_to_page_text(html: str) -> str | None:
    """Extract an HTML page's article as plain text (title, date line, paragraphs), or None."""
    import trafilatura  # imported here: only saved browser pages need it, and it is slow to load

    body = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True
    )
    if not body:
        return None
    meta = trafilatura.extract_metadata(html)
    title = (meta.title if meta and meta.title else "").strip()
    published = (meta.date if meta and meta.date else "").strip()
    header = [line for line in (title, published) if line]
    return "\n".join(header) + "\n\n" + body.replace("\n", "\n\n")


@dataclass
class Corpus:
    """The clean articles table, the audit of what cleaning removed, and corpus-level notes."""

    articles: pd.DataFrame
    audit: pd.DataFrame
    notes: list[str]


ARTICLE_COLUMNS = [
    "article_id",
    "file",
    "title",
    "standfirst",
    "published",
    "date_source",
    "authors",
    "photo_credits",
    "tags",
    "source",
    "url",
    "words",
    "status",
    "reason",
    "duplicate_of",
    "warnings",
    "overridden",
    "encoding",
    "bytes",
    "content_hash",
    "text_key",
    "chars",
    "text",
]


def _list_corpus(corpus_dir: Path) -> list:
    # The files to read, or a one-line error when the folder itself cannot be listed.
    try:
        return list_corpus_files(corpus_dir)
    except OSError as exc:
        raise FolderError(f"corpus folder {corpus_dir}: {describe_os_error(exc)}") from None


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _suffix(path: str) -> str:
    # Path(path).suffix, in string operations: paths stay strings, called once per file or more
    name = os.path.basename(path)
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _read_page(
    path: str | Path,
    *,
    max_bytes: int,
    data: bytes | None = None,
    digest: str = "",
    listed: tuple = (),
) -> tuple[str | None, dict]:
    """Read one file (or take its bytes, read already, and their SHA-256 if known); return
    (page text or None, fields for its row). `listed`: (inode, corpus folder) as listed."""
    problem = ""
    if data is None:
        inode, root = listed or (0, "")
        data, size, problem = read_corpus_file(
            os.fspath(path), max_bytes=max_bytes, inode=inode, root=root
        )
    else:
        size = len(data)
    row = {"bytes": size, "encoding": "", "reason": problem}
    if problem:
        return None, row
    if data is None:
        row["reason"] = (
            f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit for one "
            "article (raise it with -p max_file_mb N)"
        )
        return None, row
    row["content_hash"] = digest or hashlib.sha256(data).hexdigest()
    text, encoding, problem = decode_bytes(data)
    row["encoding"] = encoding
    if text is None:
        row["reason"] = problem
        return None, row
    if _suffix(os.fspath(path)).lower() in {".html", ".htm"} or looks_like_html(text):
        extracted = html_to_page_text(text)
        row["encoding"] = f"{encoding}, HTML page"
        if extracted is None:
            row["reason"] = "HTML page with no article text that could be extracted"
            return None, row
        text = extracted
    problem = prose_problem(text)
    if problem:
        row["reason"] = problem
        return None, row
    return text, row


# A sentence ends at end punctuation (closing quotes or brackets after it) and a space.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s")
ONE_LINE_MIN_CHARS = 2000  # a shorter page on one line is left to the other rules
PROSE_CHARS_PER_SENTENCE = 600  # news sentences average 100–200 characters


def prose_problem(text: str) -> str:
    """Return why a page is not prose ("" when it may be): one long line with no sentences, as
    in a data dump, an encoded file or a minified page saved as .txt."""
    body = text.strip()
    if "\n" in body or len(body) < ONE_LINE_MIN_CHARS:
        return ""
    sentences = len(SENTENCE_END.findall(body, 0, 200_000))
    if sentences * PROSE_CHARS_PER_SENTENCE >= min(len(body), 200_000):
        return ""
    return f"not prose: one line of {len(body):,} characters without line breaks or sentences"


class _Kept(NamedTuple):
    """What the articles table takes from a cleaned page, besides its text."""

    slot: int  # the text's place in the store
    has_body: bool
    title: str
    standfirst: str
    published: str
    date_text: str
    date_source: str
    outlet: str
    url: str
    has_prose: bool
    authors: list[str]
    photo_credits: list[str]
    tags: str
    warnings: list[str]
    words: int
    story_key: str
    text_key: str


class _PackedPage(NamedTuple):
    """A cleaned page as a worker sends it: its text in one string, what cleaning removed as
    three columns, its line keys as bytes, and what the table keeps. Cheaper to send, store and
    read back than the page itself, whose text the kernel would join again."""

    text: str
    removed: tuple  # (zones, reasons, lines), () when nothing was removed
    line_keys: bytes  # array("Q")
    kept: _Kept  # slot -1 until the store gives it one


def _pack_page(page: CleanedPage) -> _PackedPage:
    kept = _Kept(
        -1,
        bool(page.paragraphs),
        *(getattr(page, name) for name in _Kept._fields[2:]),
    )
    removed = tuple(zip(*page.removed, strict=True))
    if removed and max(map(len, removed[2])) > AUDIT_LINE_MAX:
        removed = (*removed[:2], tuple(cut_text(line, AUDIT_LINE_MAX) for line in removed[2]))
    if len(kept.title) > TITLE_MAX or len(kept.standfirst) > STANDFIRST_MAX:
        kept = _cut_fields(kept)
    return _PackedPage(page.text, removed, array("Q", page.line_keys).tobytes(), kept)


# Longer fields are cut (with "…") in the articles table and the audit; the text keeps them.
TITLE_MAX = 300  # news titles run to about 150 characters
STANDFIRST_MAX = 1500  # a summary paragraph of at most STANDFIRST_MAX_WORDS words
AUDIT_LINE_MAX = 5000  # a removed line (a footer's lines joined) in the cleaning audit


def _cut_fields(kept: _Kept) -> _Kept:
    # A title or standfirst this long is a page whose line breaks were lost: cut, and said so.
    warnings = list(kept.warnings)
    cut = {}
    for name, limit in (("title", TITLE_MAX), ("standfirst", STANDFIRST_MAX)):
        value = getattr(kept, name)
        if len(value) > limit:
            cut[name] = cut_text(value, limit)
            warnings.append(f"{name} cut to {limit:,} of its {len(value):,} characters")
    return kept._replace(**cut, warnings=warnings)


def _read_and_clean(
    outlets: Outlets, path: str, max_bytes: int, data: bytes | None, digest: str = "", *listed
) -> tuple[dict, _PackedPage | None]:
    """Read (unless `data` holds the bytes; `listed`: the file's inode and corpus folder, as
    `read_corpus_file` checks them) and clean one file: the per-article work, a pure function
    of the file (and the outlets file)."""
    try:
        text, fields = _read_page(
            path, max_bytes=max_bytes, data=data, digest=digest, listed=listed
        )
    except OSError as exc:
        return {"reason": f"could not be read: {exc.strerror or exc}"}, None
    if text is None:
        return fields, None
    return fields, _pack_page(clean_page(text, outlets=outlets))


def _clean_again(
    shared: tuple[frozenset[int], Outlets], path: str, max_bytes: int, *listed
) -> _PackedPage | None:
    """Clean one file again, now that the corpus's page furniture is known."""
    furniture, outlets = shared
    try:
        text, _fields = _read_page(path, max_bytes=max_bytes, listed=listed)
    except OSError:
        return None
    if text is None:
        return None
    return _pack_page(clean_page(text, furniture=furniture, outlets=outlets))


def _cleaning_job(path: str, max_bytes: int, inode: int, root: str) -> tuple[str | None, tuple]:
    """A file's cleaning job: its cache key (by content) and the arguments of `_read_and_clean`,
    with the bytes read for the key, so the file is read once."""
    try:
        data, _size, _problem = read_corpus_file(path, max_bytes=max_bytes, inode=inode, root=root)
    except OSError:
        data = None  # read again by _read_page, which says why it cannot
    if data is None:
        return None, (path, max_bytes, None, "", inode, root)
    digest = hashlib.sha256(data).hexdigest()
    return content_key(digest, _suffix(path).lower()), (path, max_bytes, data, digest)


def _shingles(text: str, size: int = 5) -> set[int]:
    words = text.casefold().split()
    return {hash(tuple(words[i : i + size])) for i in range(max(1, len(words) - size + 1))}


NEAR_DUPLICATE_JACCARD = 0.8  # share of 5-word shingles two copies of one story have in common
NEAR_DUPLICATE_CANDIDATES = 20  # earlier stories with the same title and date to compare against


@few_full_collections()
def load_articles(
    corpus_dir: str | Path,
    *,
    furniture_min_articles: int = 3,
    max_file_mb: float = 10.0,
    workers: int = 0,
    cache_dir: str | Path | None = None,
    outlets_file: str | Path = DEFAULT_OUTLETS,
) -> Corpus:
    """Read every article file in a folder into one clean row each, with an audit of the cleaning.

    Outlets' markers, date order and furniture come from `outlets_file`. Files are read and cleaned in `workers` processes (0: one per core); with `cache_dir`, each
    file's cleaning is kept by its content and reused while the code and settings are unchanged.
    """
    corpus_dir = resolve(corpus_dir)
    outlets = load_outlets(outlets_file)
    overrides, notes = read_metadata(corpus_dir)
    rows: list[dict] = []
    todo: list[tuple[dict, str, int]] = []  # (row, file to open, its inode as listed)
    root = os.path.realpath(corpus_dir)
    for relative, path, problem, inode in _list_corpus(corpus_dir):
        if relative in SKIPPED_NAMES:
            continue
        article_id = make_article_id(relative)
        row = {
            "article_id": article_id,
            "file": relative,
            "status": "ok",
            "duplicate_of": "",
            "warnings": "",
            "overridden": "",
            "content_hash": "",
        }
        suffix = _suffix(relative)
        if problem:  # a link out of the folder, a pipe, a device: never opened
            row.update(status="quarantined", bytes=0, reason=problem)
            rows.append(row)
            continue
        if suffix.lower() not in ARTICLE_SUFFIXES:
            row.update(
                status="quarantined",
                bytes=_size(path),
                reason=f"not an article file ({suffix or 'no extension'}; "
                "citylinks reads .txt and saved .html pages)",
            )
            rows.append(row)
            continue
        todo.append((row, path, inode))
    max_bytes = int(max_file_mb * 1e6)
    cache = ResultCache(
        cache_dir, "cleaned-pages", config=f"max_bytes {max_bytes} outlets {outlets.fingerprint}"
    )
    keys: dict[str, str | None] = {}  # each file's cache key, for the second cleaning

    # Each file is read, hashed, looked up and (unless found) cleaned in a worker.
    cleaned = map_files(
        _read_and_clean,
        ((path, max_bytes, inode, root) for _row, path, inode in todo),
        key_of=_cleaning_job,
        shared=outlets,
        cache=cache,
        workers=workers,
        total=len(todo),
    )
    # Rows for files that are not articles come first; every later row has a slot in the store.
    store = _PageStore(blank_rows=len(rows))
    for (row, path, _inode), (fields, page) in zip(todo, cleaned, strict=True):
        if fields.get("content_hash"):  # read and hashed: the key its cleaning is stored under
            keys[path] = content_key(fields["content_hash"], _suffix(path).lower())
        row.update(fields)
        if page is None:
            row["status"] = "quarantined"
        store.add(row["article_id"], row["file"], page)
        rows.append(row)

    # Furniture: lines that repeat across distinct stories (a story saved twice counts once).
    furniture = store.find_furniture(min_articles=max(2, furniture_min_articles))
    if furniture:
        files = {row["article_id"]: (row["file"], path, inode) for row, path, inode in todo}
        again = store.pages_with(furniture)
        digest = content_key(*map(str, sorted(furniture)))
        jobs = (
            (keys.get(path) and content_key(keys[path], digest), (path, max_bytes, inode, root))
            for _file, path, inode in (files[aid] for aid in again)
        )
        redone = map_articles(
            _clean_again,
            jobs,
            shared=(furniture, outlets),
            cache=cache,
            workers=workers,
            total=len(again),
        )
        for aid, page in zip(again, redone, strict=True):
            if page is not None:
                store.replace(aid, files[aid][0], page)
    cache.close()
    if not os.path.isdir(corpus_dir):
        raise FolderError(f"corpus folder {corpus_dir}: it disappeared while it was being read")

    todo.clear()  # every row is in `rows`; the file keys were for the cache
    keys.clear()
    columns = [c for c in ARTICLE_COLUMNS if c not in ("text", "chars")]
    table = FrameBuilder(columns, finish=_article_types)
    first_by_story: dict[str, str] = {}
    # Earlier stories by (title, date); shingles are computed only once a title and date repeat.
    by_title: dict[tuple[str, str], list[tuple[str, int]]] = {}  # -> [(article id, text slot)]
    for number, row in enumerate(rows):
        rows[number] = None  # each row and page is let go once the table has them
        page = store.pop(row["article_id"])
        if page is None:
            table.append(row)
            continue
        row.update(
            title=page.title,
            standfirst=page.standfirst,
            published=page.published,
            date_source=page.date_source if page.published else "",
            authors=";".join(page.authors),
            photo_credits=";".join(page.photo_credits),
            tags=page.tags,
            source=page.outlet,
            url=page.url,
            words=page.words,
            text_key=page.text_key,
        )
        warnings = list(page.warnings)
        meta = overrides.pop(row["file"], None)
        if meta and meta.get("source"):  # one name per outlet, as the pages' credits give it
            meta["source"] = name_outlet(meta["source"], outlets)
        if meta and not meta.get("source") and meta.get("url") and not row["source"]:
            meta["source"] = outlet_of_host(meta["url"], outlets)
        if meta:
            changed = []
            for key in ("published", "title", "source", "url"):
                if meta.get(key) and meta[key] != row.get(key):
                    row[key] = meta[key]
                    changed.append(key)
            if meta.get("published"):
                row["date_source"] = "metadata.csv"
                warnings = [w for w in warnings if "date" not in w]
            row["overridden"] = ";".join(changed)
        if not page.has_body:
            row.update(
                status="quarantined",
                reason="no article text left after cleaning (only navigation, captions or footer)",
            )
        elif row["words"] < MIN_ARTICLE_WORDS and not page.date_text and not page.has_prose:
            row.update(
                status="quarantined",
                reason=f"not a news article: {row['words']} words, no sentence, no title line "
                "with a byline or date",
            )
        else:
            story = page.story_key
            original = first_by_story.setdefault(story, row["article_id"])
            if original != row["article_id"]:
                row.update(
                    status="duplicate",
                    duplicate_of=original,
                    reason=f"same story as {original} (differs only in white space, "
                    "case or line endings)",
                )
            else:
                # Same story saved twice keeps its title and date; compare only within those.
                title_key = (fold_line(page.title), page.published)
                earlier = by_title.get(title_key, [])[-NEAR_DUPLICATE_CANDIDATES:]
                shingles = _shingles(store.text(page.slot)) if earlier else set()
                for other_id, other_slot in earlier:
                    other = _shingles(store.text(other_slot))
                    overlap = len(shingles & other) / max(1, len(shingles | other))
                    if overlap >= NEAR_DUPLICATE_JACCARD:
                        row.update(
                            status="duplicate",
                            duplicate_of=other_id,
                            reason=f"near-duplicate of {other_id} (same title and date, "
                            f"{overlap:.0%} of the text shared)",
                        )
                        break
                else:
                    by_title.setdefault(title_key, []).append((row["article_id"], page.slot))
        if row["status"] == "ok" and not row.get("published"):
            warnings.append("left out of time charts: no publish date")
        row["warnings"] = "; ".join(dict.fromkeys(warnings))
        table.append(row)
    for file in overrides:
        notes.append(f"metadata.csv names '{file}', which is not in the corpus; row ignored")
    if furniture:
        notes.append(
            f"{len(furniture)} repeated line(s) found in {max(2, furniture_min_articles)}+ "
            "stories were removed as page furniture"
        )

    articles = table.frame()
    articles["text"] = store.text_column(articles.index)
    # Kept beside the text, so a later stage can size a sample without reading every text.
    articles["chars"] = articles["text"].str.len().fillna(0).astype("int64")
    articles = articles[ARTICLE_COLUMNS]
    articles.attrs[STAMP] = stamp_articles(articles)
    return Corpus(articles, store.audit.frame(), notes)


AUDIT_COLUMNS = ["article_id", "file", "zone", "reason", "line"]


def _article_types(part: pd.DataFrame) -> pd.DataFrame:
    # Counts as integers, every other field as text ("" when a file gave none).
    for column in part.columns:
        if column in ("words", "bytes"):
            part[column] = part[column].fillna(0).astype("int64")
        else:
            part[column] = part[column].astype(object).fillna("").astype(str)
    return part


class _Audit:
    """What cleaning removed, as the audit table's rows, put in tables as the pages arrive (a
    page's rows are never split between two), so a large corpus never holds them as Python
    strings; the rows of a page cleaned again take the place of its first ones at the end."""

    BATCH = 20_000  # rows per table

    def __init__(self):
        self._parts: list[pd.DataFrame] = []
        self._part_pages: list[list[str]] = []  # the pages of each part, in order
        self._pending: list[list[str]] = [[] for _ in AUDIT_COLUMNS]  # as columns
        self._pending_pages: list[str] = []
        self._redone: dict[str, list[tuple]] = {}

    def add(self, article_id: str, file: str, removed: tuple) -> None:
        """Add a page's rows: what cleaning removed, as (zones, reasons, lines) columns."""
        if removed:
            # A column at a time: half a million rows are never built as tuples.
            ids, files, zones, reasons, lines = self._pending
            ids += [article_id] * len(removed[0])
            files += [file] * len(removed[0])
            for column, values in zip((zones, reasons, lines), removed, strict=True):
                column += values
        self._pending_pages.append(article_id)
        if len(self._pending[0]) >= self.BATCH:
            self._flush()

    def replace(self, article_id: str, file: str, removed: tuple) -> None:
        """Give a page's rows from its second cleaning (columns, as `add` takes them)."""
        self._redone[article_id] = [(article_id, file, *row) for row in zip(*removed, strict=True)]

    def frame(self) -> pd.DataFrame:
        """Return the audit table, in page order."""
        if self._pending[0] or not self._parts:
            self._flush()
        parts = [
            self._swapped(part, pages) if self._redone.keys() & set(pages) else part
            for part, pages in zip(self._parts, self._part_pages, strict=True)
        ]
        self._parts, self._part_pages = [], []
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]

    def _swapped(self, part: pd.DataFrame, pages: list[str]) -> pd.DataFrame:
        # The first rows of the pages cleaned again make way for their new rows; a stable sort
        # by page puts those in their page's place, every page's rows in their order.
        redone = [page for page in pages if page in self._redone]
        new = pd.DataFrame(
            [row for page in redone for row in self._redone[page]], columns=AUDIT_COLUMNS
        )
        kept = part[~part["article_id"].isin(redone)]
        rows = pd.concat([kept, new.astype(part.dtypes.to_dict())], ignore_index=True)
        place = rows["article_id"].map({page: i for i, page in enumerate(pages)}).to_numpy()
        return rows.take(place.argsort(kind="stable")).reset_index(drop=True)

    def _flush(self) -> None:
        self._parts.append(pd.DataFrame(dict(zip(AUDIT_COLUMNS, self._pending, strict=True))))
        self._part_pages.append(self._pending_pages)
        self._pending, self._pending_pages = [[] for _ in AUDIT_COLUMNS], []


class _PageStore:
    """The cleaned pages of a corpus while it is read, held compactly: texts in Arrow a slice at
    a time, line keys in one array, what cleaning removed in the audit's tables, and the rest of
    each page without its paragraphs. A large corpus never holds its pages, or its texts as
    Python strings, all at once."""

    SLICE = 5000

    def __init__(self, *, blank_rows: int = 0):
        self._chunks: list = []  # Arrow arrays of SLICE texts each
        self._pending: list[str] = []
        self._size = 0
        self._pages: dict[str, _Kept] = {}
        self._redone: dict[int, str] = {}  # slot -> text of a page cleaned again, in one slice
        self._open_slice = -1  # the slice those slots are in
        self._stories: set[str] = set()
        self._keys = array("Q")  # every page's line keys, one after another
        self._owner = array("q")  # the page number of each key
        self._counted = array("b")  # per page: 1 if it is the first copy of its story
        self._ids: list[str] = []  # article id per page number
        self.audit = _Audit()
        for _ in range(blank_rows):
            self._append("")

    def add(self, article_id: str, file: str, page: _PackedPage | None) -> None:
        """Keep a page (None: a file that was not read, which has an empty text)."""
        slot = self._size
        self._append(page.text if page is not None else "")
        if page is None:
            return
        self.audit.add(article_id, file, page.removed)
        number = len(self._ids)
        self._ids.append(article_id)
        self._counted.append(page.kept.story_key not in self._stories)
        self._stories.add(page.kept.story_key)
        before = len(self._keys)
        self._keys.frombytes(page.line_keys)
        self._owner.extend(array("q", [number]) * (len(self._keys) - before))
        self._pages[article_id] = page.kept._replace(slot=slot)

    def replace(self, article_id: str, file: str, page: _PackedPage) -> None:
        """Put a page cleaned again in place of the first cleaning (pages come in corpus order)."""
        self.audit.replace(article_id, file, page.removed)
        slot = self._pages[article_id].slot
        chunk, offset = divmod(slot, self.SLICE)
        if chunk >= len(self._chunks):
            self._pending[offset] = page.text
        else:
            # A slice is rebuilt once, when the pages cleaned again move past it.
            if chunk != self._open_slice:
                self._patch()
            self._open_slice = chunk
            self._redone[slot] = page.text
        self._pages[article_id] = page.kept._replace(slot=slot)

    def _patch(self) -> None:
        import pyarrow as pa

        if not self._redone:
            return
        number = self._open_slice
        values = self._chunks[number].to_pylist()
        for slot, text in self._redone.items():
            values[slot - number * self.SLICE] = text
        self._chunks[number] = pa.array(values, pa.large_string())
        self._redone = {}

    def find_furniture(self, *, min_articles: int) -> frozenset[int]:
        """Return the keys of the lines that repeat in at least `min_articles` distinct stories."""
        import numpy as np

        keys, owner = self._arrays()
        if not len(keys):
            return frozenset()
        first = np.frombuffer(self._counted, dtype=np.int8).astype(bool)
        counted = keys[first[owner] & (keys != 0)]
        values, counts = np.unique(counted, return_counts=True)
        return frozenset(values[counts >= min_articles].tolist())

    def pages_with(self, keys: frozenset[int]) -> list[str]:
        """Return the ids of the pages holding any of these line keys, in corpus order."""
        import numpy as np

        all_keys, owner = self._arrays()
        wanted = np.fromiter(keys, dtype=np.uint64, count=len(keys))
        numbers = np.unique(owner[np.isin(all_keys, wanted)])
        return [self._ids[n] for n in numbers.tolist()]

    def pop(self, article_id: str) -> _Kept | None:
        """Return and forget a page's fields (its text stays in the store)."""
        return self._pages.pop(article_id, None)

    def text(self, slot: int) -> str:
        """Return the text in a slot."""
        if slot in self._redone:
            return self._redone[slot]
        chunk, offset = divmod(slot, self.SLICE)
        if chunk < len(self._chunks):
            return self._chunks[chunk][offset].as_py()
        return self._pending[offset]

    def text_column(self, index: pd.Index) -> pd.Series:
        """Return the texts, in the order they were added, as the articles table's text column."""
        import pyarrow as pa

        self._flush()
        self._patch()
        texts = pa.chunked_array(self._chunks, pa.large_string())
        return pd.Series(texts, index=index, dtype="str")

    def _append(self, text: str) -> None:
        self._pending.append(text)
        self._size += 1
        if len(self._pending) >= self.SLICE:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._pending:
            self._chunks.append(pa.array(self._pending, pa.large_string()))
            self._pending = []

    def _arrays(self):
        import numpy as np

        return (
            np.frombuffer(self._keys, dtype=np.uint64),
            np.frombuffer(self._owner, dtype=np.int64),
        )


def summarise_corpus(corpus: Corpus) -> dict[str, object]:
    """Return the corpus at a glance: files, usable articles, date span, words, outlets."""
    a = corpus.articles
    ok = a[a.status == "ok"]
    dated = ok.published[ok.published != ""]
    outlets = sorted({s for s in ok.source if s})
    return {
        "files read": len(a),
        "articles analysed": len(ok),
        "duplicates set aside": int((a.status == "duplicate").sum()),
        "files quarantined": int((a.status == "quarantined").sum()),
        "without a date": int((ok.published == "").sum()),
        "first date": dated.min() if len(dated) else "none",
        "last date": dated.max() if len(dated) else "none",
        "words analysed": f"{int(ok.words.sum()):,}",
        "outlets": ", ".join(outlets) or "not stated",
    }


def list_problems(corpus: Corpus) -> list[str]:
    """Return one line per file set aside or warned about, with its reason."""
    # Only the rows with something to say, and only the columns said: a large corpus has few.
    a = corpus.articles[["file", "status", "reason", "warnings", "overridden"]]
    ok = a["status"] == "ok"
    lines = [f"{r.file}: {r.status}: {r.reason}" for r in a[~ok].itertuples()]
    lines += [f"{r.file}: {r.warnings}" for r in a[ok & (a["warnings"] != "")].itertuples()]
    lines += [
        f"{r.file}: {r.overridden} taken from metadata.csv"
        for r in a[a["overridden"] != ""].itertuples()
    ]
    return lines + corpus.notes


def articles_for_people(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the articles table without the long text, for reports and CSV."""
    return articles.drop(columns=["text", "content_hash", "text_key", "chars"])


def save_corpus(corpus: Corpus, *, work_dir: str | Path, out_dir: str | Path) -> list[Path]:
    """Write the articles table and cleaning audit for later stages and as CSV."""
    notes = pd.DataFrame({"note": corpus.notes}, dtype=str)
    return write_side_by_side(
        partial(write_stage_table, corpus.articles, work_dir, "articles"),
        partial(write_stage_table, corpus.audit, work_dir, "cleaning_audit"),
        partial(write_stage_table, notes, work_dir, "corpus_notes"),
        partial(export_csv, articles_for_people(corpus.articles), out_dir, "articles"),
        partial(export_csv, corpus.audit, out_dir, "cleaning_audit"),
    )
