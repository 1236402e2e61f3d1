"""Stage tables: texts streamed from the articles table on disk, a row group at a time."""

from __future__ import annotations

import pandas as pd
import pytest

import citylinks.tables as tables
from citylinks.errors import MissingStageError
from citylinks.tables import analysed_texts, iter_texts, read_articles, write_stage_table


@pytest.fixture
def stored(tmp_path, monkeypatch):
    """An articles table of 10 rows written in row groups of 3, and its texts."""
    monkeypatch.setattr(tables, "ROW_GROUP", 3)
    texts = [f"text {i} " + "é" * i for i in range(10)]
    texts[4] = None
    articles = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(10)],
            "status": ["ok", "ok", "duplicate", "ok", "ok", "quarantined", "ok", "ok", "ok", "ok"],
            "text": pd.Series(texts, dtype="str"),
        }
    )
    write_stage_table(articles, tmp_path, "articles")
    return tmp_path, ["" if t is None else t for t in texts]


def test_read_articles_leaves_the_text_on_disk(stored):
    work, _texts = stored
    articles = read_articles(work)
    assert "text" not in articles.columns
    assert list(articles.article_id) == [f"a{i}" for i in range(10)]


@pytest.mark.parametrize(
    "rows",
    [
        list(range(10)),  # all
        [0, 1, 3, 4, 6, 7, 8, 9],  # the analysed ones, across every row group
        [2],  # one, inside a group
        [8, 9],  # only the last group
        [],  # none
    ],
)
def test_streamed_texts_equal_the_stored_texts(stored, rows):
    work, texts = stored
    articles = read_articles(work)
    keep = articles.index.isin(rows)
    got = list(iter_texts(articles, keep=pd.Series(keep, index=articles.index)))
    assert got == [texts[i] for i in rows]


def test_analysed_texts_from_disk_match_the_table_in_memory(stored):
    work, _texts = stored
    on_disk = list(analysed_texts(read_articles(work)))
    in_memory = list(analysed_texts(pd.read_parquet(work / "articles.parquet")))
    assert on_disk == in_memory
    assert len(on_disk) == 8


@pytest.mark.parametrize("rows", [list(range(10)), [0, 1, 3, 4, 6, 7, 8, 9], [2], [8, 9], []])
def test_text_lengths_are_those_of_the_texts(stored, rows):
    work, texts = stored
    keep = pd.Series([i in rows for i in range(10)])
    want = [len(texts[i]) for i in rows]  # characters, not bytes: "é" is one
    on_disk = read_articles(work)
    assert list(tables.text_lengths(on_disk, keep=keep)) == want  # read from the text itself
    in_memory = pd.read_parquet(work / "articles.parquet")
    assert list(tables.text_lengths(in_memory, keep=keep)) == want
    counted = on_disk.assign(chars=[len(t) for t in texts])  # as stage 1 stores them
    assert list(tables.text_lengths(counted, keep=keep)) == want


def test_text_keys_come_from_stage_1_only_with_the_text_on_disk(tmp_path):
    from citylinks.cache import content_key

    texts = ["Seoul and Hanoi", "Busan", "not analysed"]
    articles = pd.DataFrame(
        {
            "article_id": ["a1", "a2", "a3"],
            "status": ["ok", "ok", "quarantined"],
            "text_key": ["k1", "k2", ""],  # as stage 1 stored them (any string will do here)
            "text": pd.Series(texts, dtype="str"),
        }
    )
    write_stage_table(articles, tmp_path, "articles")
    keep = tables.analysed_mask(articles)
    on_disk = read_articles(tmp_path)
    assert list(tables.keyed_texts(on_disk, keep=tables.analysed_mask(on_disk))) == [
        ("k1", "Seoul and Hanoi"),
        ("k2", "Busan"),
    ]
    # A row stored without a key (a file that was not read) has its text hashed.
    assert list(tables.keyed_texts(on_disk))[2] == (content_key("not analysed"), "not analysed")
    # A table holding its own texts, which may have changed since stage 1, has them hashed.
    edited = articles.assign(text=["Seoul and Hanoi.", "Busan", "x"])
    assert list(tables.keyed_texts(edited, keep=keep)) == [
        (content_key("Seoul and Hanoi."), "Seoul and Hanoi."),
        (content_key("Busan"), "Busan"),
    ]


def test_stage_1_keys_each_text_by_its_content(seed_files, tmp_path):
    from citylinks.cache import content_key
    from citylinks.corpus import load_articles

    for path in seed_files:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    articles = load_articles(tmp_path, workers=1).articles
    assert len(articles) == 5
    assert list(articles.text_key) == [content_key(text) for text in articles.text]


def test_a_filtered_table_still_finds_its_texts(stored):
    work, texts = stored
    articles = read_articles(work)
    late = articles[articles.article_id.isin(["a6", "a9"])]
    assert list(iter_texts(late)) == [texts[6], texts[9]]


@pytest.mark.parametrize(
    "reshape",
    [
        lambda a: a.iloc[::-1],  # reordered
        lambda a: a.iloc[5:].reset_index(drop=True),  # re-indexed: rows 0.. are not the file's
    ],
)
def test_a_table_that_lost_its_rows_is_refused(stored, reshape):
    work, texts = stored
    changed = reshape(read_articles(work))
    got = []
    with pytest.raises(ValueError):
        got = list(iter_texts(changed))
    # A re-indexed table must not silently read other rows' texts.
    assert got != texts[5:]


def test_a_table_without_text_or_file_is_refused():
    with pytest.raises(ValueError, match="no text column"):
        list(iter_texts(pd.DataFrame({"article_id": ["a"]})))


def test_a_missing_articles_table_names_the_notebook(tmp_path):
    with pytest.raises(MissingStageError, match="01-clean-corpus"):
        read_articles(tmp_path)


@pytest.mark.parametrize("batch", [1, 2, 3, 100])
def test_records_become_the_same_table_whatever_the_batch(batch):
    records = [
        {"partner": "Seoul", "count": 3, "lat": 37.5, "sentence": "Hanoi met Seoul."},
        {"partner": "Busan", "count": 1, "lat": None, "sentence": ""},
        {"partner": "Paris", "count": 2, "lat": 48.9},
    ]
    columns = ["partner", "count", "lat", "sentence"]
    whole = pd.DataFrame(records, columns=columns)
    built = tables.records_to_frame(iter(records), columns, batch=batch)
    assert list(built.partner) == ["Seoul", "Busan", "Paris"]
    assert list(built["count"]) == [3, 1, 2]
    assert built.lat.isna().tolist() == [False, True, False]
    assert built.sentence.fillna("").tolist() == ["Hanoi met Seoul.", "", ""]
    assert list(built.index) == [0, 1, 2]
    assert len(whole) == len(built)


def test_no_records_give_an_empty_table_with_the_columns():
    built = tables.records_to_frame(iter([]), ["a", "b"])
    assert list(built.columns) == ["a", "b"] and built.empty


def _frame(**changes) -> pd.DataFrame:
    columns = {
        "article_id": ["a1", "a2", "a3"],
        "status": ["ok", "ok", "quarantined"],
        "content_hash": ["h1", "h2", "h3"],
        "text_key": ["k1", "k2", "k3"],
        "text": ["Seoul and Hanoi", "Busan", "not an article"],
    }
    columns.update(changes)
    return pd.DataFrame(columns)


@pytest.mark.parametrize(
    ("changes", "same"),
    [
        ({}, True),
        ({"text": ["Seoul and Hanoi", "Busan", "something else entirely"]}, True),  # not analysed
        ({"text": ["Seoul and Hanoi.", "Busan", "not an article"]}, False),  # a text changed
        ({"content_hash": ["h1", "h9", "h3"]}, False),  # a file changed
        ({"article_id": ["a1", "a9", "a3"]}, False),
        ({"status": ["ok", "duplicate", "quarantined"]}, False),  # a text left the analysis
        ({"text_key": ["k1", "k9", "k3"]}, False),  # a text changed, its length did not
    ],
)
def test_the_stamp_changes_with_the_analysed_texts(changes, same):
    assert (tables.stamp_articles(_frame(**changes)) == tables.stamp_articles(_frame())) is same


def test_the_stamp_travels_with_the_stage_table(tmp_path):
    articles = _frame()
    articles.attrs[tables.STAMP] = tables.stamp_articles(articles)
    write_stage_table(articles, tmp_path, "articles")
    assert read_articles(tmp_path).attrs[tables.STAMP] == tables.stamp_articles(articles)


def test_writes_side_by_side_return_in_order_and_raise_what_failed(tmp_path):
    frames = {f"t{i}": pd.DataFrame({"n": range(i + 1), "ok": [True] * (i + 1)}) for i in range(4)}
    paths = tables.write_side_by_side(
        *(lambda f=f, name=name: write_stage_table(f, tmp_path, name) for name, f in frames.items())
    )
    assert [p.stem for p in paths] == list(frames)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / f"{name}.parquet"), frame)

    def fails():
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        tables.write_side_by_side(lambda: 1, fails)


def test_mapped_values_equal_pandas_map_with_missing_ones_left_missing():
    column = pd.Series(["a", "b", None, "a", "c", "b"] * 3, index=range(5, 23), dtype="str")
    mapping = {"a": "Alpha", "b": "Beta"}
    got = tables.map_values(column, mapping)
    want = column.map(mapping)
    assert got.index.equals(column.index)
    assert got.fillna("-").tolist() == want.fillna("-").tolist()
    assert got.isna().tolist() == [v not in mapping for v in column.fillna("?")]


# --- no CSV field longer than a spreadsheet cell (issue 20) ----------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "cut"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("one two three four", 12, "one two…"),  # at the last space before the limit
        ("x" * 20, 8, "xxxxxxx…"),  # no space: at the limit
        ("", 5, ""),
    ],
)
def test_cut_text_keeps_short_text_and_cuts_long_text_at_a_word(text, limit, cut):
    from citylinks.tables import cut_text

    assert cut_text(text, limit) == cut
    assert len(cut_text(text, limit)) <= limit


LONG = "word " * 10_000  # 50,000 characters


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"title": ["short", LONG, None], "n": [1, 2, 3]}),
        pd.DataFrame({"mixed": [LONG, 1, b"bytes"]}),  # Arrow refuses it: pandas writes it
    ],
    ids=["arrow", "pandas"],
)
def test_no_csv_field_is_longer_than_a_spreadsheet_cell(tmp_path, frame):
    import csv

    from citylinks.tables import CSV_FIELD_MAX, export_csv

    path = export_csv(frame, tmp_path, "long")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    longest = max((field for row in rows for field in row), key=len)
    assert CSV_FIELD_MAX - 100 < len(longest) <= CSV_FIELD_MAX
    assert longest.endswith("word…")
    assert len(rows) == len(frame) + 1  # every row kept
    if frame.columns[0] == "title":
        assert rows[1][0] == "short" and rows[3][0] == ""  # the others as they were


def test_a_streamed_csv_cuts_long_fields_too(tmp_path):
    import pyarrow as pa

    from citylinks.tables import CSV_FIELD_MAX, csv_writer

    schema = pa.schema([("sentence", pa.large_string())])
    with csv_writer(tmp_path / "s.csv", schema) as writer:
        writer.write_table(pa.table({"sentence": pa.array([LONG, "ok"], pa.large_string())}))
    written = pd.read_csv(tmp_path / "s.csv")
    assert written.sentence.str.len().max() <= CSV_FIELD_MAX
    assert written.sentence.tolist()[1] == "ok"


@pytest.mark.parametrize(
    ("number", "cause"),
    [(28, "no space left on the device"), (30, "read-only"), (13, "permission denied")],
)
def test_a_write_the_system_refuses_names_the_folder(tmp_path, monkeypatch, number, cause):
    from pyarrow import csv

    from citylinks.errors import FolderError
    from citylinks.tables import export_csv

    def refuse(*args, **kwargs):
        raise OSError(number, "refused")

    monkeypatch.setattr(csv, "write_csv", refuse)
    with pytest.raises(FolderError, match=f"cannot write into {tmp_path / 'data'}: .*{cause}"):
        export_csv(pd.DataFrame({"a": [1]}), tmp_path, "t")
