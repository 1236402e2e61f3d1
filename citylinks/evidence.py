"""Evidence pages: from every figure to the sentences behind it, as static, offline HTML."""

from __future__ import annotations

import hashlib
import html
import re
import time
import unicodedata
from pathlib import Path

import pandas as pd

from citylinks.paths import PARTNER_EVIDENCE_PAGE as PARTNER_PAGE
from citylinks.paths import SECTOR_EVIDENCE_PAGE as SECTOR_PAGE

CAP = 20  # sentences shown per group (a sector's period, a partner's engagements or mentions)
PER_ARTICLE = 3  # sentences naming a partner shown from one article, at most
UNDATED = "undated"  # the group of articles without a publish date

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_PLAIN = re.compile(r"[A-Za-z0-9]+(?:[ _-]+[A-Za-z0-9]+)*")


# --- Anchors: stable, slug-safe, the same wherever a figure or a table links them ---------------


def slug(text: str) -> str:
    """Return a slug of `text` for an anchor: lowercase ASCII letters, digits and hyphens.

    A name of plain words ("Ho Chi Minh City", "urban_rail", "2024-03") is its own slug; any
    other (accents, punctuation, other scripts) also gets a short hash of itself, so that two
    names never share one ("São Paulo" and "Sao Paulo")."""
    text = str(text)
    base = _NOT_SLUG.sub("-", text.lower()).strip("-")
    if _PLAIN.fullmatch(text.strip()):
        return base
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    base = _NOT_SLUG.sub("-", folded.lower()).strip("-")
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=3).hexdigest()
    return f"{base}-{digest}" if base else digest


def sector_anchor(sector: str, period: str | None = None) -> str:
    """Return the anchor of a sector's section (by its lexicon id), or of one of its periods."""
    anchor = f"sector-{slug(sector)}"
    return f"{anchor}-{slug(period or UNDATED)}" if period is not None else anchor


def partner_anchor(name: str) -> str:
    """Return the anchor of a partner's section (by its name as the tables write it)."""
    return f"partner-{slug(name)}"


def sector_href(sector: str, period: str | None = None) -> str:
    """Return the link, from a report, to a sector's evidence (or one period of it)."""
    return f"{SECTOR_PAGE}#{sector_anchor(sector, period)}"


def partner_href(name: str) -> str:
    """Return the link, from a report, to a partner's evidence."""
    return f"{PARTNER_PAGE}#{partner_anchor(name)}"


# --- Capping: which rows a group shows --------------------------------------------------------


def cap_rows(group, article, recency, *, cap: int = CAP):
    """Return the positions of the rows each group shows, at most `cap` a group, in the order
    shown (by group, newest first), and each row's turn.

    `group`, `article` and `recency` are integer arrays, one value a row (a larger `recency` is
    newer). Articles take turns: the first row of each article in the group (its turn 0),
    newest article first, then the second rows, so one long article cannot fill a group alone.
    """
    import numpy as np

    group, article = np.asarray(group), np.asarray(article)
    recency = np.asarray(recency)
    n = len(group)
    if not n:
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64")
    at = np.arange(n)
    # A row's turn: how many rows of its article in its group come before it.
    by_article = _sort_by(group, article)
    turn = np.empty(n, dtype="int64")
    turn[by_article] = at - _run_starts(group[by_article], article[by_article])
    age = recency.max() - recency
    # Only rows that can be shown are ordered: a row whose turn reaches the cap has `cap` rows
    # of its own article before it, and a row older than the group's `cap` newest articles has
    # their first rows before it.
    first = np.flatnonzero(turn == 0)
    newest = first[_sort_by(group[first], age[first])]
    rank = np.arange(len(newest)) - _run_starts(group[newest])
    oldest = np.full(int(group.max()) + 1, age.max(), dtype=age.dtype)
    oldest[group[newest[rank == cap - 1]]] = age[newest[rank == cap - 1]]
    candidates = np.flatnonzero((turn < cap) & (age <= oldest[group]))
    order = candidates[_sort_by(*(k[candidates] for k in (group, turn, age, article)))]
    chosen = order[np.arange(len(order)) - _run_starts(group[order]) < cap]
    shown = _sort_by(group[chosen], age[chosen], article[chosen], turn[chosen])
    return chosen[shown], turn


def _sort_by(*keys):
    # The stable order of rows by several non-negative integer keys, as one number when the
    # keys fit in 63 bits together (an argsort of one key is some five times faster).
    import numpy as np

    sizes = [int(k.max()) + 1 if len(k) else 1 for k in keys]
    if np.prod([float(x) for x in sizes]) >= 2.0**62:
        return np.lexsort(keys[::-1])
    combined = np.zeros(len(keys[0]), dtype="int64")
    for key, size in zip(keys, sizes, strict=True):
        combined = combined * size + key
    return np.argsort(combined, kind="stable")


def _run_starts(*keys):
    # For each position of sorted keys, where its run of equal keys begins.
    import numpy as np

    n = len(keys[0])
    new = np.zeros(n, dtype=bool)
    new[0] = True
    for key in keys:
        new[1:] |= key[1:] != key[:-1]
    return np.maximum.accumulate(np.where(new, np.arange(n), 0))


def cap_groups(
    rows: pd.DataFrame, *, by: list[str], newest: str, article: str = "article_id", cap: int = CAP
) -> pd.DataFrame:
    """Return the rows of a table each group (`by`) shows, as `cap_rows` picks them, newest
    (column `newest`) first, with the group's row count as `total`."""
    import numpy as np

    if rows.empty:
        return rows.assign(total=pd.Series(dtype="int64"))
    # Missing values are a group, a date and an article of their own, never dropped.
    group = rows.groupby(by, sort=True, observed=True, dropna=False).ngroup().to_numpy()
    recency = pd.factorize(rows[newest], sort=True, use_na_sentinel=False)[0]
    articles = pd.factorize(rows[article], use_na_sentinel=False)[0]
    chosen, _ = cap_rows(group, articles, recency, cap=cap)
    totals = np.bincount(group)
    return rows.iloc[chosen].assign(total=totals[group[chosen]])


# --- Reading the stage tables ----------------------------------------------------------------


def _has(work: Path, name: str, columns: list[str]) -> bool:
    import pyarrow.parquet as pq

    path = work / f"{name}.parquet"
    # A table missing, or from an older version: no evidence from it rather than a crash.
    return path.exists() and set(columns) <= set(pq.read_schema(path).names)


def _read(work: Path, name: str, columns: list[str]) -> pd.DataFrame | None:
    if not _has(work, name, columns):
        return None
    return pd.read_parquet(work / f"{name}.parquet", columns=columns)


GROUPS_AT_ONCE = 20  # Parquet row groups read in one call: 100,000 rows of the evidence


def _chunks(source):
    """Yield (row groups, first row, end row) of a Parquet file, GROUPS_AT_ONCE at a time."""
    first = 0
    for start in range(0, source.num_row_groups, GROUPS_AT_ONCE):
        groups = list(range(start, min(start + GROUPS_AT_ONCE, source.num_row_groups)))
        stop = first + sum(source.metadata.row_group(g).num_rows for g in groups)
        yield groups, first, stop
        first = stop


def _take_rows(path: Path, column: str, rows) -> list:
    """Return `column` of the given rows (ascending numbers) of a Parquet file, reading only the
    row groups that hold them: the sentences of a large archive never sit in memory at once."""
    import numpy as np
    import pyarrow.parquet as pq

    source = pq.ParquetFile(path)
    rows = np.asarray(rows, dtype="int64")
    found: list = []
    for groups, first, stop in _chunks(source):
        lo, hi = np.searchsorted(rows, [first, stop])
        if hi > lo:
            part = source.read_row_groups(groups, columns=[column]).column(0)
            found.extend(part.take(rows[lo:hi] - first).to_pylist())
    return found


def _article_sources(work: Path, ids) -> dict[str, tuple[str, str, str, str]]:
    """Return (title, published, outlet, url) of the given articles."""
    articles = _read(work, "articles", ["article_id", "title", "published", "source", "url"])
    if articles is None:
        return {}
    articles = articles[articles["article_id"].isin(set(ids))]
    return {
        r[0]: (str(r[1] or ""), str(r[2] or ""), str(r[3] or ""), str(r[4] or ""))
        for r in articles.itertuples(index=False)
    }


def _abbreviations(cache_dir: Path | None) -> frozenset[str]:
    from citylinks.sentences import with_known_abbreviations

    # Those Punkt learned for this corpus when the stages ran, kept in the cache; else the
    # genre's common ones.
    for path in sorted(Path(cache_dir).glob("abbreviations-*.txt")) if cache_dir else ():
        try:
            return with_known_abbreviations(path.read_text(encoding="utf-8").split("\n"))
        except (OSError, UnicodeDecodeError):
            break
    return with_known_abbreviations(())


# --- Marking and writing ---------------------------------------------------------------------


def _term_pattern(terms) -> re.Pattern | None:
    # A lexicon term as the text may write it: any case, a hyphen or spaces between words, an
    # ending (plural, possessive) after it.
    words = [
        re.split(r"[\s\-]+", t.strip()) for t in sorted(set(terms), key=len, reverse=True) if t
    ]
    parts = [r"[\s\-]+".join(re.escape(w) for w in ws if w) for ws in words]
    parts = [p for p in parts if p]
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")\w*", re.IGNORECASE)


def mark_terms(sentence: str, terms) -> str:
    """Return a sentence as escaped HTML with each of the terms marked."""
    pattern = _term_pattern(terms)
    if pattern is None:
        return html.escape(sentence)
    out, at = [], 0
    for m in pattern.finditer(sentence):
        out.append(html.escape(sentence[at : m.start()]))
        out.append(f"<mark>{html.escape(m.group())}</mark>")
        at = m.end()
    out.append(html.escape(sentence[at:]))
    return "".join(out)


def _source_line(source: tuple[str, str, str, str] | None, date: str = "") -> str:
    title, published, outlet, url = source or ("", "", "", "")
    title = title or "(no title)"
    shown = html.escape(title)
    if url.startswith(("http://", "https://")):
        shown = f'<a href="{html.escape(url)}">{shown}</a>'
    bits = [b for b in (outlet, date or published or "undated") if b]
    return f'<div class="cl-source">{shown} — {html.escape(", ".join(bits))}</div>'


def _more(total: int, shown: int, noun: str, csv: str, *, what: str = "every one") -> str:
    if total <= shown:
        return ""
    rest = total - shown
    return (
        f'<p class="cl-more">… and {rest:,} more {noun}{"" if rest == 1 else "s"}; '
        f'<a href="data/{csv}">{csv}</a> has {what}.</p>'
    )


def _page(title: str, lead: str, contents: list[tuple[str, str]], body: list[str], nav: str) -> str:
    from citylinks.publish import REPORT_CSS

    toc = "".join(f'<li><a href="#{a}">{html.escape(t)}</a></li>' for a, t in contents)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<style type="text/css">{REPORT_CSS}</style>\n</head>\n<body class="jp-Notebook">\n'
        f'<header class="cl-top"><strong>citylinks</strong> &nbsp; {nav}</header>\n<main>\n'
        f'<h1 id="top">{html.escape(title)}</h1>\n<p>{lead}</p>\n'
        f'<nav class="cl-toc cl-toc-wide" aria-label="Contents"><strong>Contents</strong>'
        f"<ol>{toc}</ol></nav>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n"
    )


# --- The sector page -------------------------------------------------------------------------


def read_codes(path: Path, columns: list[str]) -> tuple[dict, dict]:
    """Return each column of a Parquet table as integer codes (int32, one a row) and the values
    they stand for, read a row group at a time: at 100,000 articles the evidence has some 4
    million rows of a few thousand distinct values, 16 MB a column as codes."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    # Read as the file stores them, dictionary-encoded: the strings are never decoded a row
    # at a time.
    source = pq.ParquetFile(path, read_dictionary=columns)
    total = source.metadata.num_rows
    codes = {c: np.empty(total, dtype="int32") for c in columns}
    known: dict[str, dict] = {c: {} for c in columns}
    at = 0
    for groups, _first, _stop in _chunks(source):
        part = source.read_row_groups(groups, columns=columns)
        for name in columns:
            seen, start = known[name], at
            for chunk in part.column(name).chunks:
                if not isinstance(chunk, pa.DictionaryArray):
                    chunk = chunk.dictionary_encode()
                local = np.fromiter(
                    (seen.setdefault(v, len(seen)) for v in chunk.dictionary.to_pylist()),
                    dtype="int32",
                    count=len(chunk.dictionary),
                )
                stop = start + len(chunk)
                codes[name][start:stop] = local[np.asarray(chunk.indices.fill_null(0))]
                start = stop
        at += part.num_rows
    return codes, {name: list(seen) for name, seen in known.items()}


def _period_of(dates, trends: pd.DataFrame | None) -> list[str]:
    """Return the period of each date, in the step the run's trends used."""
    from citylinks.periods import assign_period, choose_period

    labels = [] if trends is None else [p for p in trends["period"].unique() if p]
    step = next(
        (
            name
            for name, form in (
                ("quarter", r"\d{4}Q\d"),
                ("month", r"\d{4}-\d{2}"),
                ("year", r"\d{4}"),
            )
            if labels and all(re.fullmatch(form, p) for p in labels)
        ),
        None,
    )
    dates = pd.Series(dates, dtype=str)
    return assign_period(dates, step or choose_period(dates)).tolist()


def sector_evidence_rows(work: Path, *, cap: int = CAP) -> pd.DataFrame:
    """Return the mentions the sector page shows: for each sector and period, at most `cap`
    sentences, newest first, each with its marked terms, and the group's totals."""
    import numpy as np

    path = work / "sector_evidence.parquet"
    needed = ["article_id", "published", "sector", "label", "term"]
    if not _has(work, "sector_evidence", needed):
        return pd.DataFrame()
    codes, values = read_codes(path, needed)
    if not len(codes["sector"]):
        return pd.DataFrame()
    article, date, sector, label, term = (codes[c] for c in needed)
    articles, sectors, labels, terms = (
        np.array(values[c], dtype=object) for c in ("article_id", "sector", "label", "term")
    )
    dates = pd.Series(values["published"], dtype=str)
    trends = _read(work, "sector_trends", ["period"])
    period_names, period_of_date = np.unique(_period_of(dates, trends), return_inverse=True)
    recency_of_date = pd.factorize(dates, sort=True)[0]
    parts = []
    # A sector at a time: the arrays of one sector's mentions, not of all, at once.
    for code in range(len(sectors)):
        rows = np.flatnonzero(sector == code)
        period = period_of_date[date[rows]]
        # Twice the cap of mentions: two terms of a sentence are one sentence shown.
        chosen, turn = cap_rows(period, article[rows], recency_of_date[date[rows]], cap=2 * cap)
        mentions = np.bincount(period, minlength=len(period_names))
        in_articles = np.bincount(period[turn == 0], minlength=len(period_names))
        parts.append((rows[chosen], mentions[period[chosen]], in_articles[period[chosen]]))
    rows, mentions, in_articles = (np.concatenate(p) for p in zip(*parts, strict=True))
    order = np.argsort(rows)
    rows, mentions, in_articles = rows[order], mentions[order], in_articles[order]
    picked = pd.DataFrame(
        {
            "row": rows,
            "article_id": articles[article[rows]],
            "published": dates.to_numpy()[date[rows]],
            "sector": sectors[sector[rows]],
            "label": labels[label[rows]],
            "period": period_names[period_of_date[date[rows]]],
            "mentions": mentions,
            "articles": in_articles,
            "term": terms[term[rows]],
            "sentence": _take_rows(path, "sentence", rows),
        }
    )
    keys = ["sector", "label", "period", "article_id", "sentence", "mentions", "articles"]
    sentences = (
        picked.groupby(keys, sort=False)
        .agg(published=("published", "first"), terms=("term", list), row=("row", "min"))
        .reset_index()
        .sort_values(["sector", "period", "published", "row"], ascending=[True, True, False, True])
    )
    return sentences[sentences.groupby(["sector", "period"]).cumcount() < cap]


def _period_order(period: str) -> tuple[int, str]:
    return (0, "") if not period else (1, period)  # undated last once sorted newest first


def write_sector_page(
    work: Path, out: Path, *, nav: str = "", cap: int = CAP, labels: dict[str, str] | None = None
) -> Path:
    """Write the sector evidence page: each sector's mentions by period, newest first.

    `labels` (sector id to label, e.g. the lexicon's) adds a section for each sector that has
    no mention, so that every link to a sector lands."""
    rows = sector_evidence_rows(work, cap=cap)
    trends = _read(work, "sector_trends", ["period", "sector", "label", "per_1000_words"])
    labels = {
        **(labels or {}),
        **({} if trends is None else dict(trends[["sector", "label"]].drop_duplicates().values)),
    }
    rates = (
        {}
        if trends is None
        else {
            (s, p): r
            for p, s, r in trends[["period", "sector", "per_1000_words"]].itertuples(index=False)
        }
    )
    sources = _article_sources(work, rows["article_id"].unique() if len(rows) else [])
    body, contents = [], []
    if rows.empty:
        body.append('<p class="cl-notes">No sector term was found in the analysed articles.</p>')
    counts = pd.Series(dtype="int64")
    if len(rows):
        counts = rows.drop_duplicates(["sector", "period"]).groupby("sector")["mentions"].sum()
        counts = counts.sort_values(ascending=False, kind="stable")
    if len(rows):  # a sector in no period of the trends (undated only) is named here
        found = dict(rows[["sector", "label"]].drop_duplicates("sector").values)
        labels.update({s: lab for s, lab in found.items() if s not in labels})
    # The shown rows as plain records, by sector and period: a few thousand at most.
    groups: dict[str, dict[str, list[dict]]] = {}
    for record in rows.to_dict("records"):
        groups.setdefault(record["sector"], {}).setdefault(record["period"], []).append(record)
    # Sectors without a mention keep a section, so a link to one always lands.
    for sector in [*counts.index, *sorted(set(labels) - set(counts.index))]:
        label = labels.get(sector, sector)
        mentions = int(counts.get(sector, 0))
        anchor = sector_anchor(sector)
        contents.append((anchor, f"{label} ({mentions:,})"))
        body.append(f'<section class="cl-evidence"><h2 id="{anchor}">{html.escape(label)}</h2>')
        if not mentions:
            body.append('<p class="cl-caption">No mention in the analysed articles.</p></section>')
            continue
        body.append(
            f'<p class="cl-caption">{mentions:,} mentions, by period, newest first; each '
            f"period shows at most {cap} sentences, the newest articles' first. Every "
            'mention: <a href="data/sector_evidence.csv">sector_evidence.csv</a>.</p>'
        )
        periods = sorted(groups[sector], key=_period_order, reverse=True)
        for period in periods:
            body.append(
                _period_html(
                    groups[sector][period],
                    sector_anchor(sector, period),
                    rate=rates.get((sector, period)),
                    sources=sources,
                )
            )
        body.append("</section>")
    lead = (
        "The sentence behind every sector count of the reports, for each sector and period. "
        "The matched terms are marked; the title, outlet and date say where each comes from."
    )
    page = _page("Evidence: the sentences behind each sector", lead, contents, body, nav)
    target = out / SECTOR_PAGE
    target.write_text(page, encoding="utf-8")
    return target


def _period_html(group: list[dict], anchor: str, *, rate, sources: dict) -> str:
    # One period of a sector: its totals (those the heatmap's cell shows) and its sentences.
    first = group[0]
    period = first["period"]
    rate = f", {rate:.1f} per 1,000 words" if rate is not None and period else ""
    n, k = int(first["mentions"]), int(first["articles"])
    items = "".join(
        f"<li><blockquote>{mark_terms(r['sentence'], r['terms'])}</blockquote>"
        f"{_source_line(sources.get(r['article_id']), r['published'])}</li>"
        for r in group
    )
    shown = sum(len(r["terms"]) for r in group)
    return (
        f'<h3 id="{anchor}">{html.escape(period or "Undated")} <span class="cl-count">{n:,} '
        f"mention{'s' if n != 1 else ''} in {k:,} article{'s' if k != 1 else ''}{rate}</span>"
        f'</h3><ol class="cl-sentences">{items}</ol>'
        + _more(n, shown, "mention", "sector_evidence.csv")
    )


# --- The partner page ------------------------------------------------------------------------


def _spans(value: str, *, limit: int) -> list[tuple[int, int]]:
    spans = []
    for part in str(value or "").split(";")[:limit]:
        start, _, end = part.partition("-")
        if start.isdigit() and end.isdigit():
            spans.append((int(start), int(end)))
    return spans


def sentence_at(
    text: str, start: int, end: int, abbreviations: frozenset[str]
) -> tuple[str, str, str]:
    """Return the sentence around text[start:end] as (before, the span, after), whitespace
    folded (a sentence never crosses a paragraph)."""
    from bisect import bisect_right

    from citylinks.sentences import cut_sentences

    para = text.rfind("\n\n", 0, start)
    para = 0 if para < 0 else para + 2
    stop = text.find("\n\n", end)
    stop = len(text) if stop < 0 else stop
    spans = cut_sentences(text[para:stop], abbreviations)
    i = max(0, bisect_right([s for s, _ in spans], start - para) - 1)
    s, e = spans[i] if spans else (0, stop - para)
    s, e = para + s, max(para + e, end)

    def fold(piece: str) -> str:
        return " ".join(piece.split())

    before, after = fold(text[s:start]), fold(text[end:e])
    return (
        before + (" " if text[s:start][-1:].isspace() and before else ""),
        fold(text[start:end]),
        (" " if text[end:e][:1].isspace() and after else "") + after,
    )


def partner_sentences(work: Path, *, cap: int = CAP, cache_dir: Path | None = None) -> pd.DataFrame:
    """Return the sentences naming each partner that the partner page shows: at most `cap` a
    partner, from the newest articles, at most PER_ARTICLE from one."""
    from citylinks.tables import TEXT_FILE, iter_texts, stage_path

    mentions = _read(work, "partner_mentions", ["article_id", "published", "partner", "spans"])
    if mentions is None or mentions.empty:
        return pd.DataFrame(
            columns=["partner", "article_id", "published", "before", "name", "after"]
        )
    # The newest `cap` articles of each partner hold every sentence shown.
    mentions = mentions.sort_values(["published", "article_id"], ascending=[False, True])
    mentions = mentions[mentions.groupby("partner", sort=False).cumcount() < cap]
    spans = mentions.assign(span=mentions["spans"].map(lambda v: _spans(v, limit=PER_ARTICLE)))
    spans = spans.explode("span").dropna(subset=["span"]).drop(columns="spans")
    chosen = cap_groups(spans, by=["partner"], newest="published", cap=cap)
    # The ids alone, with where their texts are: the texts of the chosen articles are read.
    articles = pd.read_parquet(stage_path(work, "articles"), columns=["article_id"])
    articles.attrs[TEXT_FILE] = str(stage_path(work, "articles"))
    keep = articles["article_id"].isin(set(chosen["article_id"]))
    texts = dict(
        zip(articles.loc[keep, "article_id"].tolist(), iter_texts(articles, keep=keep), strict=True)
    )
    abbreviations = _abbreviations(cache_dir)
    found = []
    for partner, article_id, published, (start, end) in chosen[
        ["partner", "article_id", "published", "span"]
    ].itertuples(index=False):
        text = texts.get(article_id, "")
        if end <= len(text):
            found.append(
                (partner, article_id, published, *sentence_at(text, start, end, abbreviations))
            )
    table = pd.DataFrame(
        found, columns=["partner", "article_id", "published", "before", "name", "after"]
    )
    # Two mentions in one sentence: the sentence once.
    return table.drop_duplicates(["partner", "article_id", "before", "after"]).reset_index(
        drop=True
    )


def engagements_shown(work: Path, *, cap: int = CAP) -> pd.DataFrame:
    """Return the engagements the partner page shows: at most `cap` a partner, newest first
    (by event date, else publish date), with each partner's `total`."""
    columns = ["article_id", "published", "event_date", "partner"]
    keys = _read(work, "engagements", columns)
    if keys is None:
        return pd.DataFrame(columns=[*columns, "date", "type", "sectors", "sentence", "total"])
    keys["row"] = range(len(keys))
    keys["date"] = keys["event_date"].where(keys["event_date"] != "", keys["published"])
    shown = cap_groups(keys, by=["partner"], newest="date", cap=cap)
    # Their sentences only: all of them would be the largest strings the page reads.
    rows = shown["row"].sort_values()
    path = work / "engagements.parquet"
    for column in ("type", "sectors", "sentence"):
        shown[column] = pd.Series(_take_rows(path, column, rows.to_numpy()), index=rows.index)
    return shown


def partner_summary(mentions: pd.DataFrame) -> pd.DataFrame:
    """Return one row per partner name: what it is, in how many articles, as counterpart in how
    many; most engaged first."""
    counterpart = mentions["role"] == "counterpart"
    table = mentions.assign(counterpart=mentions["article_id"].where(counterpart))
    summary = table.groupby("partner").agg(
        kind=("kind", "first"),
        country_name=("country_name", "first"),
        country=("country", "first"),
        articles=("article_id", "nunique"),
        counterpart=("counterpart", "nunique"),
        mentions=("count", "sum"),
    )
    return summary.sort_values(
        ["counterpart", "articles", "mentions"], ascending=False, kind="stable"
    ).reset_index()


def write_partner_page(
    work: Path, out: Path, *, nav: str = "", cap: int = CAP, cache_dir: Path | None = None
) -> Path:
    """Write the partner evidence page: each partner's engagements and the sentences naming it."""
    columns = ["article_id", "partner", "kind", "country", "country_name", "count", "role"]
    mentions = _read(work, "partner_mentions", columns)
    body, contents = [], []
    if mentions is None or mentions.empty:
        body.append('<p class="cl-notes">No partner was found in the analysed articles.</p>')
        summary = pd.DataFrame()
    else:
        summary = partner_summary(mentions)
    shown_engagements = engagements_shown(work, cap=cap)
    sentences = partner_sentences(work, cap=cap, cache_dir=cache_dir) if len(summary) else None
    ids = set(shown_engagements["article_id"]) | set(
        [] if sentences is None else sentences["article_id"]
    )
    sources = _article_sources(work, ids)
    # The shown rows as plain tuples, by partner: a few thousand at most.
    by_partner_engagements: dict[str, list] = {}
    for r in shown_engagements.itertuples(index=False):
        by_partner_engagements.setdefault(r.partner, []).append(r)
    by_partner_sentences: dict[str, list] = {}
    for r in [] if sentences is None else sentences.itertuples(index=False):
        by_partner_sentences.setdefault(r.partner, []).append(r)
    within = _places_within(summary)
    for p in summary.itertuples(index=False):
        anchor = partner_anchor(p.partner)
        contents.append((anchor, f"{p.partner} ({p.articles:,})"))
        what = ", ".join(x for x in (p.kind, p.country_name if p.kind != "country" else "") if x)
        body.append(
            f'<section class="cl-evidence"><h2 id="{anchor}">{html.escape(p.partner)}</h2>'
            f'<p class="cl-caption">{html.escape(what)}: named in {p.articles:,} '
            f"article{'s' if p.articles != 1 else ''}, the counterpart in {p.counterpart:,}; "
            f"{p.mentions:,} mentions.{within.get(p.partner, '')}</p>"
        )
        group = by_partner_engagements.get(p.partner)
        body.append("<h3>Engagements</h3>")
        if group is None:
            body.append('<p class="cl-caption">None found: only named in passing.</p>')
        else:
            body.append('<ol class="cl-sentences">')
            for r in group:
                sectors = str(r.sectors or "").replace(";", ", ")
                about = f" — about {html.escape(sectors)}" if sectors else ""
                body.append(
                    f'<li><div class="cl-what"><strong>{html.escape(str(r.type))}</strong>, '
                    f"{html.escape(str(r.date) or 'undated')}{about}</div>"
                    f"<blockquote>{mark_terms(str(r.sentence), [p.partner])}</blockquote>"
                    f"{_source_line(sources.get(r.article_id))}</li>"
                )
            total = int(group[0].total)
            body.append("</ol>" + _more(total, len(group), "engagement", "engagements.csv"))
        group = by_partner_sentences.get(p.partner)
        body.append("<h3>Sentences naming it</h3>")
        if not group:
            body.append('<p class="cl-caption">No sentence could be read back.</p>')
        else:
            body.append('<ol class="cl-sentences">')
            for r in group:
                body.append(
                    f"<li><blockquote>{html.escape(r.before)}<mark>{html.escape(r.name)}</mark>"
                    f"{html.escape(r.after)}</blockquote>"
                    f"{_source_line(sources.get(r.article_id), r.published)}</li>"
                )
            body.append(
                "</ol>"
                + _more(
                    int(p.mentions),
                    len(group),
                    "mention",
                    "partner_mentions.csv",
                    what="every article naming it, and where (character offsets)",
                )
            )
        body.append("</section>")
    lead = (
        "For every partner the reports name: its engagements (meetings, visits, agreements), "
        "newest first, and the sentences that name it, each with the article's title, outlet "
        "and date."
    )
    page = _page("Evidence: the sentences behind each partner", lead, contents, body, nav)
    target = out / PARTNER_PAGE
    target.write_text(page, encoding="utf-8")
    return target


def _places_within(summary: pd.DataFrame) -> dict[str, str]:
    # A country's section lists the finer places of it that have their own, so that a rolled-up
    # figure ("South Korea", with Seoul's articles in it) can be followed down.
    if summary.empty:
        return {}
    found = {}
    finer = summary[summary["kind"] != "country"]
    for country in summary[summary["kind"] == "country"].itertuples(index=False):
        names = finer.loc[finer["country"] == country.country, "partner"].tolist()
        if names:
            links = ", ".join(f'<a href="#{partner_anchor(n)}">{html.escape(n)}</a>' for n in names)
            found[country.partner] = f" Places in it with their own section: {links}."
    return found


# --- The render step -------------------------------------------------------------------------


def write_evidence_pages(
    work: str | Path,
    out: str | Path,
    *,
    nav: str = "",
    cap: int = CAP,
    cache_dir: str | Path | None = None,
    lexicon: str | Path | None = None,
) -> dict[str, float]:
    """Write the sector and partner evidence pages from a run's stage tables; return the
    seconds each took. With `lexicon` (its file), every sector of it has a section."""
    work, out = Path(work), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    seconds = {}
    t0 = time.perf_counter()
    labels = None
    if lexicon and Path(lexicon).exists():
        from citylinks.sectors import load_lexicon

        labels = load_lexicon(lexicon).labels
    write_sector_page(work, out, nav=nav, cap=cap, labels=labels)
    seconds[SECTOR_PAGE] = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_partner_page(
        work, out, nav=nav, cap=cap, cache_dir=Path(cache_dir) if cache_dir else None
    )
    seconds[PARTNER_PAGE] = time.perf_counter() - t0
    return seconds
