"""Stage tables: what one notebook hands to the next, and the CSVs people read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from citylinks.errors import MissingStageError
from citylinks.paths import data_dir, resolve

# Which notebook makes which stage table, so a missing one names the notebook to run.
MADE_BY = {
    "articles": "01-clean-corpus.ipynb",
    "cleaning_audit": "01-clean-corpus.ipynb",
    "sector_mentions": "02-sector-mentions.ipynb",
    "sector_evidence": "02-sector-mentions.ipynb",
    "sector_trends": "02-sector-mentions.ipynb",
    "partner_mentions": "03-partner-engagement.ipynb",
    "engagements": "03-partner-engagement.ipynb",
}


def iter_texts(column: pd.Series, *, keep: pd.Series | None = None, batch: int = 2000):
    """Yield a text column's values as strings ("" when missing), only where `keep` is True.

    A slice at a time, so a large column (held compactly by Arrow) is never turned into Python
    strings all at once."""
    for start in range(0, len(column), batch):
        values = column.iloc[start : start + batch].tolist()
        if keep is not None:
            flags = keep.iloc[start : start + batch].tolist()
            values = [v for v, wanted in zip(values, flags, strict=True) if wanted]
        for value in values:
            yield value if isinstance(value, str) else ""


def analysed_mask(articles: pd.DataFrame) -> pd.Series:
    """Return which rows of the articles table are analysed (status ok; all, without a status)."""
    if "status" in articles:
        return articles["status"] == "ok"
    return pd.Series(True, index=articles.index)


def analysed_texts(articles: pd.DataFrame):
    """Yield the text of each analysed article (status ok), in order, a slice at a time."""
    return iter_texts(articles["text"], keep=analysed_mask(articles))


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


def write_stage_table(df: pd.DataFrame, work_dir: str | Path, name: str) -> Path:
    """Write a stage table for the next notebook."""
    path = stage_path(work_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(path, index=False)
    return path


def export_csv(df: pd.DataFrame, out_dir: str | Path, name: str) -> Path:
    """Write a table as `<out>/data/<name>.csv` (UTF-8, text quoted) for people and other tools."""
    import pyarrow as pa
    from pyarrow import csv

    folder = data_dir(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    # Arrow writes large tables some 30 times faster than pandas; True/False as pandas writes them.
    flags = {c: str for c in df.columns if pd.api.types.is_bool_dtype(df[c])}
    try:
        table = pa.Table.from_pandas(df.astype(flags) if flags else df, preserve_index=False)
        csv.write_csv(table, path, csv.WriteOptions(quoting_style="needed"))
    except (pa.ArrowException, TypeError, ValueError):
        # Columns of mixed types, which Arrow will not convert: pandas writes anything.
        df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def export_stage_csv(path: str | Path, out_dir: str | Path, name: str) -> Path:
    """Write a Parquet stage table as `<out>/data/<name>.csv`, a row group at a time."""
    import pyarrow.parquet as pq
    from pyarrow import csv

    folder = data_dir(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.csv"
    source = pq.ParquetFile(path)
    options = csv.WriteOptions(quoting_style="needed")
    with csv.CSVWriter(target, source.schema_arrow, write_options=options) as writer:
        for group in range(source.num_row_groups):
            writer.write_table(source.read_row_group(group))
    return target


def save_tables(
    tables: dict[str, pd.DataFrame], *, work_dir: str | Path, out_dir: str | Path
) -> None:
    """Write each named table as a stage table for later stages and as CSV for people."""
    for name, table in tables.items():
        write_stage_table(table, work_dir, name)
        export_csv(table, out_dir, name)
