"""Stage tables: what one notebook hands to the next, and the CSVs people read."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd

from citylinks.errors import MissingStageError, writing_into
from citylinks.paths import data_dir, resolve

# Which notebook makes which stage table, so a missing one names the notebook to run.
MADE_BY = {
    "articles": "01-clean-corpus.ipynb",
    "cleaning_audit": "01-clean-corpus.ipynb",
    "sector_mentions": "02-sector-mentions.ipynb",
    "sector_evidence": "02-sector-mentions.ipynb",
    "sector_trends": "02-sector-mentions.ipynb",
    "article_sectors": "02-sector-mentions.ipynb",
    "partner_mentions": "03-partner-engagement.ipynb",
    "engagements": "03-partner-engagement.ipynb",
}


TEXT_FILE = "text_file"  # articles.attrs key: the Parquet file the text column stays in
STAMP = "stamp"  # attrs key: which analysed texts a table was made from (`stamp_articles`)
ROW_GROUP = 5000  # rows per Parquet row group: what streaming a stage table reads at a time


def iter_texts(articles: pd.DataFrame, *, keep: pd.Series | None = None, batch: int = 2000):
    """Yield the articles' texts as strings ("" when missing), only where `keep` is True.

    A slice at a time, so a large corpus is never turned into Python strings all at once. An
    articles table from `read_articles` has no text column: its texts are read from the stage
    file, row group by row group."""
    if "text" in articles:
        column = articles["text"]
        for start in range(0, len(column), batch):
            values = column.iloc[start : start + batch].tolist()
            if keep is not None:
                flags = keep.iloc[start : start + batch].tolist()
                values = [v for v, wanted in zip(values, flags, strict=True) if wanted]
            for value in values:
                yield value if isinstance(value, str) else ""
        return
    path = articles.attrs.get(TEXT_FILE)
    if not path:
        raise ValueError("the articles table has no text column (read it with read_articles)")
    chosen = slice(None) if keep is None else keep.to_numpy(dtype=bool)
    rows = articles.index[chosen].to_numpy()
    ids = articles["article_id"].to_numpy()[chosen].tolist()
    yield from _stored_texts(Path(path), rows, ids)


def _stored_texts(path: Path, rows, ids: list[str]):
    import numpy as np
    import pyarrow.parquet as pq

    # The index of a table from read_articles is its row number in the file; the article ids
    # read beside each text make sure it still is.
    lost = (
        f"the articles table was reordered or re-indexed, so its rows no longer match "
        f"{path.name}: filter it without resetting the index, or read it again"
    )
    if len(rows) and (rows.dtype.kind not in "iu" or np.any(np.diff(rows) <= 0) or rows[0] < 0):
        raise ValueError(lost)
    source = pq.ParquetFile(path)
    first, wanted = 0, 0
    for group in range(source.num_row_groups):
        stop = first + source.metadata.row_group(group).num_rows
        end = int(np.searchsorted(rows, stop))
        if end > wanted:
            part = source.read_row_group(group, columns=["article_id", "text"])
            part = part.take(rows[wanted:end] - first)
            if part.column(0).to_pylist() != ids[wanted:end]:
                raise ValueError(lost)
            for value in part.column(1).to_pylist():
                yield value if isinstance(value, str) else ""
            wanted = end
        first = stop
        if wanted == len(rows):
            return
    if wanted < len(rows):
        raise ValueError(lost)


def iter_rows(frame: pd.DataFrame, columns, *, batch: int = 20_000):
    """Yield the rows of `frame` as tuples of `columns`, a slice at a time, so a large table is
    never all Python objects at once."""
    for start in range(0, len(frame), batch):
        part = frame.iloc[start : start + batch]
        yield from zip(*(part[c].tolist() for c in columns), strict=True)


def map_values(column: pd.Series, mapping: dict) -> pd.Series:
    """Return `column.map(mapping)` (missing where a value is not in it, as objects), each
    distinct value looked up once: a column of millions of rows holds a few thousand."""
    import numpy as np

    codes, distinct = pd.factorize(column, use_na_sentinel=True)
    found = pd.Series(distinct, dtype=object).map(mapping).to_numpy(dtype=object)
    return pd.Series(np.append(found, np.nan)[codes], index=column.index, dtype=object)


def analysed_mask(articles: pd.DataFrame) -> pd.Series:
    """Return which rows of the articles table are analysed (status ok; all, without a status)."""
    if "status" in articles:
        return articles["status"] == "ok"
    return pd.Series(True, index=articles.index)


def keyed_texts(articles: pd.DataFrame, *, keep: pd.Series | None = None):
    """Yield (text key, text) for each article where `keep` is True, as iter_texts does.

    The key is `cache.content_key(text)`. Stage 1 stores it beside the text (`text_key`); it is
    taken from there when the text is too, i.e. for a table from `read_articles`, whose text is
    read from the same file. A table that holds its own texts (which may have been changed
    since) has them hashed."""
    from citylinks.cache import content_key

    texts = iter_texts(articles, keep=keep)
    if "text" in articles or "text_key" not in articles:
        return ((content_key(text), text) for text in texts)
    keys = articles["text_key"] if keep is None else articles.loc[keep, "text_key"]
    return (
        (key if isinstance(key, str) and key else content_key(text), text)  # none stored: hash
        for key, text in zip(keys.tolist(), texts, strict=True)
    )


def text_lengths(articles: pd.DataFrame, *, keep: pd.Series | None = None):
    """Return the length in characters of each article's text where `keep` is True (0 when
    missing), as a NumPy array, without turning the texts into Python strings."""
    import numpy as np

    chosen = slice(None) if keep is None else keep.to_numpy(dtype=bool)
    if "text" in articles:
        return articles["text"].str.len().fillna(0).to_numpy("int64")[chosen]
    if "chars" in articles:  # stage 1 counted them, into the same file as the text
        return articles["chars"].fillna(0).to_numpy("int64")[chosen]
    # A table from before stage 1 kept them: the texts are read (and checked) to be measured.
    return np.fromiter(map(len, iter_texts(articles, keep=keep)), dtype="int64")


def analysed_texts(articles: pd.DataFrame):
    """Yield the text of each analysed article (status ok), in order, a slice at a time."""
    return iter_texts(articles, keep=analysed_mask(articles))


def stamp_articles(articles: pd.DataFrame) -> str:
    """Return a digest of the analysed articles and their texts (ids, file hashes, text keys
    and lengths): a stage reuses a table made by an earlier one only when their stamps agree."""
    import hashlib

    keep = analysed_mask(articles)  # column by column: the text is never copied
    digest = hashlib.blake2b(digest_size=16)
    for column in ("article_id", "content_hash", "text_key"):
        if column in articles:
            values = articles.loc[keep, column].astype(str)
            digest.update("\x1f".join(values).encode("utf-8", "surrogatepass"))
    digest.update(text_lengths(articles, keep=keep).tobytes())
    return digest.hexdigest()


def read_articles(work_dir: str | Path) -> pd.DataFrame:
    """Read the articles table without its text, which stays on disk: the stage functions read
    it a row group at a time (`iter_texts`), so a large corpus's text is never all in memory."""
    import pyarrow.parquet as pq

    path = stage_path(work_dir, "articles")
    if path.exists():
        columns = [c for c in pq.read_schema(path).names if c != "text"]
    else:
        columns = None  # read_stage_table says which notebook makes it
    articles = read_stage_table(work_dir, "articles", columns=columns)
    articles.attrs[TEXT_FILE] = str(path)
    return articles


class FrameBuilder:
    """A table built from records (dicts or tuples) a batch at a time: a large table never
    exists as Python objects all at once. `finish` (optional) sets each batch's types."""

    def __init__(self, columns: list[str], *, batch: int = 20_000, finish=None):
        self.columns, self.batch, self.finish = columns, batch, finish
        self.parts: list[pd.DataFrame] = []
        self.pending: list = []
        self.rows = 0  # records added

    def append(self, record) -> None:
        """Add one record."""
        self.rows += 1
        self.pending.append(record)
        if len(self.pending) >= self.batch:
            self._flush()

    def frame(self) -> pd.DataFrame:
        """Return the table of every record added, in order."""
        if self.pending or not self.parts:
            self._flush()
        parts, self.parts = self.parts, []
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]

    def _flush(self) -> None:
        part = pd.DataFrame(self.pending, columns=self.columns)
        self.pending = []
        self.parts.append(self.finish(part) if self.finish else part)


def records_to_frame(records, columns: list[str], *, batch: int = 20_000) -> pd.DataFrame:
    """Build a table from records (dicts or tuples), a batch at a time (see `FrameBuilder`)."""
    builder = FrameBuilder(columns, batch=batch)
    for record in records:
        builder.append(record)
    return builder.frame()


def stage_path(work_dir: str | Path, name: str) -> Path:
    """Return the file of a stage table in the work folder."""
    return resolve(work_dir) / f"{name}.parquet"


def read_stage_table(work_dir: str | Path, name: str, *, columns=None) -> pd.DataFrame:
    """Read a stage table, or say in one line which notebook makes it."""
    path = stage_path(work_dir, name)
    if not path.exists():
        maker = MADE_BY.get(name, "the previous stage")
        raise MissingStageError(
            f"{path} is missing: run notebooks/{maker} first (or `python run_all.py`)."
        )
    return pd.read_parquet(path, columns=columns)


def write_side_by_side(*writes: Callable[[], object]) -> list:
    """Run file-writing calls two at a time and return their results, in order: Arrow writes
    Parquet and CSV without holding the interpreter's lock, so a second core shares the work."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        return [future.result() for future in [pool.submit(write) for write in writes]]


def write_stage_table(df: pd.DataFrame, work_dir: str | Path, name: str) -> Path:
    """Write a stage table for the next notebook."""
    path = stage_path(work_dir, name)
    with writing_into(path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
        df.to_parquet(path, index=False, row_group_size=ROW_GROUP)
    return path


# The longest text a spreadsheet cell holds (and more than Python's csv module reads by
# default): no field of a CSV for people is longer.
CSV_FIELD_MAX = 32_767
ELLIPSIS = "…"


def cut_text(text: str, limit: int) -> str:
    """Return `text` cut to at most `limit` characters, at a space where one is near the end,
    with "…" as the last character; shorter text as it is."""
    if len(text) <= limit:
        return text
    head = text[: limit - len(ELLIPSIS)]
    space = head.rfind(" ", len(head) - 80)
    return (head[:space] if space > 0 else head).rstrip() + ELLIPSIS


def cut_long_fields(table, *, limit: int = CSV_FIELD_MAX):
    """Return an Arrow table whose text fields are at most `limit` characters (`cut_text`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for i, column in enumerate(table.columns):
        kind = column.type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            continue
        if not len(column) or (pc.max(pc.utf8_length(column)).as_py() or 0) <= limit:
            continue  # the usual case: measured in Arrow, nothing converted
        values = [v if v is None else cut_text(v, limit) for v in column.to_pylist()]
        table = table.set_column(i, table.field(i), pa.array(values, kind))
    return table


def _cut_long_values(df: pd.DataFrame, limit: int = CSV_FIELD_MAX) -> pd.DataFrame:
    # The same for a table pandas writes (columns of mixed types).
    def cut(value):
        return cut_text(value, limit) if isinstance(value, str) else value

    return df.apply(lambda column: column.map(cut) if column.dtype == object else column)


def export_csv(df: pd.DataFrame, out_dir: str | Path, name: str) -> Path:
    """Write a table as `<out>/data/<name>.csv` (UTF-8, text quoted) for people and other tools."""
    import pyarrow as pa
    from pyarrow import csv

    folder = data_dir(out_dir)
    path = folder / f"{name}.csv"
    # Arrow writes large tables some 30 times faster than pandas; True/False as pandas writes them.
    flags = {c: str for c in df.columns if pd.api.types.is_bool_dtype(df[c])}
    with writing_into(folder):
        folder.mkdir(parents=True, exist_ok=True)
        try:
            table = pa.Table.from_pandas(df.astype(flags) if flags else df, preserve_index=False)
        except (pa.ArrowException, TypeError, ValueError):
            # Columns of mixed types, which Arrow will not convert: pandas writes anything.
            _cut_long_values(df).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
            return path
        csv.write_csv(cut_long_fields(table), path, csv.WriteOptions(quoting_style="needed"))
    return path


class _CsvWriter:
    """An Arrow CSV writer that cuts over-long fields (`cut_long_fields`) and names its folder
    when the disk fails it."""

    def __init__(self, path: Path, schema):
        from pyarrow import csv

        self.folder = path.parent
        options = csv.WriteOptions(quoting_style="needed")
        with writing_into(self.folder):
            self.writer = csv.CSVWriter(path, schema, write_options=options)

    def write_table(self, table) -> None:
        with writing_into(self.folder):
            self.writer.write_table(cut_long_fields(table))

    def close(self) -> None:
        with writing_into(self.folder):
            self.writer.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def csv_writer(path: str | Path, schema) -> _CsvWriter:
    """Return a CSV writer for Arrow tables of `schema`, written as every CSV for people is."""
    return _CsvWriter(Path(path), schema)


def export_stage_csv(path: str | Path, out_dir: str | Path, name: str) -> Path:
    """Write a Parquet stage table as `<out>/data/<name>.csv`, a row group at a time."""
    import pyarrow.parquet as pq

    folder = data_dir(out_dir)
    with writing_into(folder):
        folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.csv"
    source = pq.ParquetFile(path)
    with csv_writer(target, source.schema_arrow) as writer:
        for group in range(source.num_row_groups):
            writer.write_table(source.read_row_group(group))
    return target


def hand_over_csv(path: str | Path, out_dir: str | Path, name: str) -> Path:
    """Move a CSV written during a stage into place as `<out>/data/<name>.csv`."""
    folder = data_dir(out_dir)
    target = folder / f"{name}.csv"
    with writing_into(folder):
        folder.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)  # a rename within one file system
    return target


def save_tables(
    tables: dict[str, pd.DataFrame], *, work_dir: str | Path, out_dir: str | Path
) -> None:
    """Write each named table as a stage table for later stages and as CSV for people."""
    write_side_by_side(
        *(partial(write_stage_table, table, work_dir, name) for name, table in tables.items()),
        *(partial(export_csv, table, out_dir, name) for name, table in tables.items()),
    )
