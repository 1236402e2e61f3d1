"""Partner places: who each article engages with, and how, for a whole corpus; the roll-up
of partners to larger places and the suggestions for the gazetteer.

The per-article rules live in their own modules and are re-exported here: the gazetteer
(`gazetteer`), finding places (`places`), reading an article (`article`), roles and the
primary partner (`roles`), engagements and their dates (`engagements`)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from citylinks.cache import few_full_collections, splice_rows
from citylinks.engagement_types import home_keys, load_engagement_rules
from citylinks.engagements import (  # noqa: F401 (re-exported)
    ENGAGEMENT_COLUMNS,
    _Article,
    _engage,
    engage_article,
    find_event_date,
)
from citylinks.errors import ParameterError
from citylinks.gazetteer import (  # noqa: F401 (re-exported)
    KINDS,
    LEVELS,
    MATCHER_VERSION,
    MIN_CITY_POPULATION,
    RANK,
    Gazetteer,
    Place,
    check_gazetteer,
    fold,
    load_gazetteer,
)
from citylinks.places import (  # noqa: F401 (re-exported)
    PlaceMention,
    PlaceScan,
    _WordUses,
    find_place_mentions,
    scan_places,
)
from citylinks.roles import _assess, assess_article_partners  # noqa: F401 (re-exported)
from citylinks.sentences import with_known_abbreviations

# ---------------------------------------------------------------------------------------------
# The corpus: each article's rules run by the workers, cached, then tabled

PARTNER_COLUMNS = [
    "article_id",
    "published",
    "partner",
    "kind",
    "country",
    "country_name",
    "parent",
    "count",
    "role",
    "primary",
    "curated",
    "lat",
    "lon",
    "spans",
    "misspellings",
]


def _page_fields(articles: pd.DataFrame, keep: pd.Series, names) -> pd.DataFrame:
    # These columns of the kept articles as text ("" for a column the table does not have).
    kept = articles.loc[keep, [c for c in names if c in articles]]
    return pd.DataFrame(
        {c: kept[c].fillna("").astype(str) if c in kept else "" for c in names}, index=kept.index
    )


def _scan_in(shared: dict, text: str) -> tuple:
    return _pack_scan(scan_places(text, shared["gazetteer"]))


def _assess_in(shared: dict, text: str, packed, dropped, title: str, standfirst: str) -> list:
    # The mentions travel packed and are unpacked here, in the worker, less the places the
    # corpus-wide common-word rule dropped.
    mentions = _kept_mentions(packed, dropped, text)
    return assess_article_partners(
        text,
        mentions,
        shared["gazetteer"],
        title=title,
        standfirst=standfirst,
        abbreviations=shared["abbreviations"],
    )


def _kept_mentions(packed, dropped, text: str) -> list[PlaceMention]:
    # An article's packed mentions, less the places the corpus-wide common-word rule dropped.
    return [m for m in _unpack_mentions(packed, text) if m.name not in dropped]


class Partners(NamedTuple):
    """The partners of a corpus: the `partner_mentions` and `engagements` tables."""

    mentions: pd.DataFrame
    engagements: pd.DataFrame


@few_full_collections()
def match_partners(
    articles: pd.DataFrame,
    gazetteer: Gazetteer,
    *,
    abbreviations: Iterable[str] | None = None,
    scans: Sequence[PlaceScan] | None = None,
    workers: int = 1,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Return the `partner_mentions` table: every partner each article names, with its count,
    role (counterpart or mentioned) and the article's one primary partner.

    A sentence never ends on one of the `abbreviations` (from `learn_abbreviations`).
    `scans` may hold precomputed `scan_places` results (one per analysed article, in order).
    Per-article results are kept in `cache_dir` and reused while the text, the gazetteer and the
    code are unchanged; new articles are read in `workers` processes (0: one per core)."""
    from citylinks.cache import ResultCache, content_key, map_articles
    from citylinks.tables import analysed_mask, keyed_texts, records_to_frame

    keep = analysed_mask(articles)  # small columns are filtered; the text column is streamed
    pages = _page_fields(articles, keep, ("article_id", *PAGE_FIELDS))
    columns = {c: pages[c].tolist() for c in pages}
    del pages
    n = len(columns["article_id"])
    abbreviations = with_known_abbreviations(abbreviations)
    shared = {"gazetteer": gazetteer, "abbreviations": abbreviations}
    if scans is None:
        cache = ResultCache(cache_dir, "place-scans", config=gazetteer.fingerprint)
        found = map_articles(
            _scan_in,
            ((key, (text,)) for key, text in keyed_texts(articles, keep=keep)),
            cache=cache,
            workers=workers,
            shared=shared,
            total=n,
        )
    else:
        cache, found = None, map(_pack_scan, scans)
        if len(scans) != n:
            raise ValueError("scans must hold one result per analysed article")
    # The corpus-wide common-word rule needs every scan before any role is judged, so the scans
    # are kept until then, packed: a large corpus names millions of places.
    words, place_names = _WordUses(), {}
    packed = []
    for names, spans, flags, lowercase in found:
        words.count(names, flags, lowercase)
        packed.append((tuple(place_names.setdefault(x, x) for x in names), spans, flags))
    if cache is not None:
        cache.close()
    rejected = words.common_places()
    where = [i for i, (names, _spans, _flags) in enumerate(packed) if set(names) - rejected]
    wanted = set(where)

    def jobs():
        # The texts are read again, a slice at a time, rather than all held since the scan.
        for i, (text_key, text) in enumerate(keyed_texts(articles, keep=keep)):
            if i in wanted:
                title, standfirst = columns["title"][i], columns["standfirst"][i]
                # The corpus-wide common-word rule enters the key only through what it removed.
                dropped = tuple(sorted(set(packed[i][0]) & rejected))
                key = content_key(text_key, title, standfirst, *dropped)
                yield key, (text, packed[i], dropped, title, standfirst)

    rules = load_engagement_rules().fingerprint  # the cue words decide roles too
    config = f"{gazetteer.fingerprint}\n{' '.join(sorted(abbreviations))}\n{rules}"
    cache = ResultCache(cache_dir, "partner-roles", config=config)
    results = map_articles(
        _assess_in,
        jobs(),
        cache=cache,
        workers=workers,
        shared=shared,
        total=len(where),
    )
    rows = (
        dict(record, article_id=columns["article_id"][i], published=columns["published"][i])
        for i, records in zip(where, results, strict=True)
        for record in records
    )
    table = records_to_frame(rows, PARTNER_COLUMNS)
    cache.close()
    return table.astype({"count": "int64", "primary": "bool", "curated": "bool"})


@few_full_collections()
def trace_partners(
    articles: pd.DataFrame,
    gazetteer: Gazetteer,
    *,
    lexicon=None,
    article_sectors: pd.DataFrame | None = None,
    abbreviations: Iterable[str] | None = None,
    workers: int = 1,
    cache_dir: str | Path | None = None,
) -> Partners:
    """Return the `partner_mentions` and `engagements` tables: what `match_partners` and then
    `extract_engagements` on its table return, with each article read once for both.

    Options as in those two functions."""
    from citylinks.cache import ResultCache, content_key, map_articles
    from citylinks.tables import FrameBuilder, analysed_mask, keyed_texts

    keep = analysed_mask(articles)  # small columns are filtered; the text column is streamed
    pages = _page_fields(articles, keep, ("article_id", *PAGE_FIELDS))
    columns = {c: pages[c].tolist() for c in pages}
    del pages
    abbreviations = with_known_abbreviations(abbreviations)
    known = _known_sectors(article_sectors, articles, lexicon)
    shared = {"gazetteer": gazetteer, "abbreviations": abbreviations, "lexicon": lexicon}
    lexicon_fp = getattr(lexicon, "fingerprint", "none")
    rules = load_engagement_rules().fingerprint
    config = f"{gazetteer.fingerprint}\n{' '.join(sorted(abbreviations))}\n{lexicon_fp}\n{rules}"
    cache = ResultCache(cache_dir, "partner-traces", config=config)

    def job(i: int, text_key: str, text: str, dropped: tuple[str, ...] = ()):
        title, standfirst = columns["title"][i], columns["standfirst"][i]
        article_id, published = columns["article_id"][i], columns["published"][i]
        sectors = None if known is None else known.get(article_id, "")
        # The article's sectors are part of its engagements; its id only labels them.
        key = content_key(
            text_key, title, standfirst, published, repr(sectors), article_id, *dropped
        )
        return key, (text, dropped, title, standfirst, article_id, published, sectors)

    # One reading of each article: its places, then its partners and engagements as if the
    # corpus-wide common-word rule dropped none of them. Only the articles that name a place
    # the rule drops are read again, once every article has been scanned.
    texts = keyed_texts(articles, keep=keep)
    found = map_articles(
        _scan_and_trace_in,
        (job(i, text_key, text) for i, (text_key, text) in enumerate(texts)),
        cache=cache,
        workers=workers,
        shared=shared,
        total=len(columns["article_id"]),
    )
    words, place_names = _WordUses(), {}
    named: list[tuple[str, ...]] = []  # per article: the places its scan found
    sizes = array("q")  # per article: its partner rows, then its engagement rows
    mentions, engaged = FrameBuilder(PARTNER_COLUMNS), FrameBuilder(ENGAGEMENT_COLUMNS)
    for i, ((names, _spans, flags, lowercase), records, engagements) in enumerate(found):
        words.count(names, flags, lowercase)
        named.append(tuple(place_names.setdefault(x, x) for x in names))
        _add_partner_rows(mentions, engaged, records, engagements, columns, i)
        sizes.extend((len(records), len(engagements)))
    rejected = words.common_places()
    redo = {i: tuple(sorted(set(names) & rejected)) for i, names in enumerate(named)}
    redo = {i: dropped for i, dropped in redo.items() if dropped}
    again = _redo_partners(articles, keep, redo, job, shared, cache, workers, columns)
    cache.close()
    table = splice_rows(mentions, again[0], sizes[0::2], again[2][0::2], sorted(redo))
    table = table.astype({"count": "int64", "primary": "bool", "curated": "bool"})
    if not (engaged.rows or again[1].rows):  # as extract_engagements says "none"
        return Partners(table, pd.DataFrame(columns=ENGAGEMENT_COLUMNS))
    engagements = splice_rows(engaged, again[1], sizes[1::2], again[2][1::2], sorted(redo))
    return Partners(table, engagements.astype({"primary": "bool"}))


def _scan_and_trace_in(
    shared: dict, text: str, dropped, title, standfirst, article_id, published, sectors
) -> tuple:
    # An article's packed place scan, its partner records and, from its counterparts, its
    # engagements: one reading, its paragraphs, sentences and engagement words found once.
    found = scan_places(text, shared["gazetteer"])
    scan = _pack_scan(found)
    mentions = [m for m in found.mentions if m.name not in dropped]
    if not mentions:
        return scan, [], []
    doc = _Article(text, title, standfirst, with_known_abbreviations(shared["abbreviations"]))
    records = _assess(doc, mentions, shared["gazetteer"])
    counterparts = [
        dict(r, article_id=article_id, published=published)
        for r in records
        if r["role"] == "counterpart"
    ]
    if not counterparts:
        return scan, records, []
    gazetteer = shared["gazetteer"]
    found = _engage(
        doc,
        counterparts,
        lexicon=shared["lexicon"],
        published=published,
        sectors=sectors,
        home=home_keys(gazetteer.home, gazetteer.home_country),
    )
    return scan, records, found


def _add_partner_rows(mentions, engaged, records, engagements, columns: dict, i: int) -> None:
    # One article's partner records, as partner_mentions rows, and its engagement rows.
    article_id, published = columns["article_id"][i], columns["published"][i]
    for record in records:
        mentions.append(dict(record, article_id=article_id, published=published))
    for row in engagements:
        engaged.append(row)


def _redo_partners(articles, keep, redo: dict, job, shared, cache, workers, columns):
    # The articles that name a place the corpus-wide common-word rule drops, read again
    # without it: their partner rows, their engagement rows and the sizes of both per article.
    from citylinks.cache import map_articles
    from citylinks.tables import FrameBuilder, keyed_texts

    mentions, engaged = FrameBuilder(PARTNER_COLUMNS), FrameBuilder(ENGAGEMENT_COLUMNS)
    sizes = array("q")
    if redo:
        wanted = keep & articles["article_id"].isin([columns["article_id"][i] for i in redo])
        numbers = sorted(redo)
        texts = keyed_texts(articles, keep=wanted)
        jobs = (
            job(i, text_key, text, redo[i])
            for i, (text_key, text) in zip(numbers, texts, strict=True)
        )
        found = map_articles(
            _scan_and_trace_in, jobs, cache=cache, workers=workers, shared=shared, total=len(redo)
        )
        for i, (_scan, records, engagements) in zip(numbers, found, strict=True):
            _add_partner_rows(mentions, engaged, records, engagements, columns, i)
            sizes.extend((len(records), len(engagements)))
    return mentions, engaged, sizes


# ---------------------------------------------------------------------------------------------
# What travels between processes: a scan packed, and unpacked in the worker


def _pack_scan(scan: PlaceScan) -> tuple[tuple[str, ...], bytes, bytes, tuple]:
    # Names, offsets in one array's bytes, flags, and the lowercase uses: cheap to send between
    # processes, to cache and to keep. The surface is the text between the offsets.
    mentions = scan.mentions
    spans = array("q", [x for m in mentions for x in (m.start, m.end)])
    flags = bytes(m.curated | (m.qualifier << 1) | (m.misspelt << 2) for m in mentions)
    return tuple(m.name for m in mentions), spans.tobytes(), flags, scan.lowercase


def _unpack_mentions(packed, text: str) -> list[PlaceMention]:
    names, spans, flags = packed[:3]
    offsets = array("q", spans)
    return [
        PlaceMention(name, s, e, text[s:e], bool(f & 1), bool(f & 2), bool(f & 4))
        for name, s, e, f in zip(names, offsets[::2], offsets[1::2], flags, strict=True)
    ]


def _engage_in(shared: dict, text, records, published, title, standfirst, sectors) -> list[dict]:
    return engage_article(
        text,
        records,
        lexicon=shared["lexicon"],
        published=published,
        title=title,
        standfirst=standfirst,
        abbreviations=shared["abbreviations"],
        sectors=sectors,
    )


@few_full_collections()
def extract_engagements(
    articles: pd.DataFrame,
    partner_mentions: pd.DataFrame,
    *,
    lexicon=None,
    article_sectors: pd.DataFrame | None = None,
    abbreviations: Iterable[str] | None = None,
    workers: int = 1,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Return the `engagements` table: one row per article and partner it engages with, with the
    event date, the type of engagement, the sectors discussed and the sentence that shows it.

    `article_sectors` (`SectorHits.sectors` of notebook 02) gives each article's sectors, the
    primary partner's, without matching the lexicon again; it is used only when it was found in
    these articles with this lexicon. Per-article results are kept in `cache_dir` (see
    `match_partners`)."""
    from citylinks.cache import ResultCache, content_key, map_articles
    from citylinks.tables import analysed_mask, iter_rows, keyed_texts, records_to_frame

    analysed = articles.loc[analysed_mask(articles), "article_id"].astype(str)
    position = dict(zip(analysed, range(len(analysed)), strict=True))
    fields = [c for c in _ENGAGE_FIELDS if c in partner_mentions]  # "article_id" first
    counterparts = partner_mentions.loc[partner_mentions["role"] == "counterpart", fields]
    # In article order, so that each article's rows are read as its text streams past, a slice
    # at a time: a large corpus has hundreds of thousands, too many to hold as Python objects.
    at = counterparts["article_id"].astype(str).map(position)
    counterparts = counterparts[at.notna()].iloc[at[at.notna()].argsort(kind="stable")]
    if counterparts.empty:
        return pd.DataFrame(columns=ENGAGEMENT_COLUMNS)
    keep = analysed_mask(articles) & articles["article_id"].astype(str).isin(
        set(counterparts["article_id"].astype(str))
    )
    abbreviations = with_known_abbreviations(abbreviations)
    known = _known_sectors(article_sectors, articles, lexicon)

    def jobs():
        rows = iter_rows(counterparts, fields)
        row = next(rows, None)
        names = ("article_id", *PAGE_FIELDS)
        pages = iter_rows(_page_fields(articles, keep, names), names)
        for (article_id, published, title, standfirst), (text_key, text) in zip(
            pages, keyed_texts(articles, keep=keep), strict=True
        ):
            raw = []
            while row is not None and str(row[0]) == article_id:
                raw.append(row)
                row = next(rows, None)
            records = [dict(zip(fields, r, strict=True)) for r in raw]
            sectors = None if known is None else known.get(article_id, "")
            # The rows as they are, under the fields' names once: the same facts as the records.
            described = repr((fields, raw, sectors))
            key = content_key(text_key, published, title, standfirst, described)
            yield key, (text, records, published, title, standfirst, sectors)

    lexicon_fp = getattr(lexicon, "fingerprint", "none")
    rules = load_engagement_rules().fingerprint
    config = f"{lexicon_fp}\n{' '.join(sorted(abbreviations))}\n{rules}"
    cache = ResultCache(cache_dir, "engagements", config=config)
    found = map_articles(
        _engage_in,
        jobs(),
        cache=cache,
        workers=workers,
        shared={"lexicon": lexicon, "abbreviations": abbreviations},
        total=int(keep.sum()),
    )
    table = records_to_frame((row for rows in found for row in rows), ENGAGEMENT_COLUMNS)
    cache.close()
    return table.astype({"primary": "bool"})


PAGE_FIELDS = ("published", "title", "standfirst")  # what engage_article reads besides the text


def _known_sectors(article_sectors, articles: pd.DataFrame, lexicon) -> dict[str, str] | None:
    """Each article's sector labels from an `article_sectors` table found in these articles with
    this lexicon (None when there is none such)."""
    from citylinks.tables import STAMP

    if article_sectors is None or lexicon is None:
        return None
    stamp = articles.attrs.get(STAMP)
    made = article_sectors.attrs
    if not stamp or made.get(STAMP) != stamp or made.get("lexicon") != lexicon.fingerprint:
        return None
    return dict(zip(article_sectors["article_id"], article_sectors["sectors"], strict=True))


# The fields of a partner_mentions row that engage_article reads: all but these.
_ENGAGE_FIELDS = [
    c
    for c in PARTNER_COLUMNS
    if c not in {"published", "role", "curated", "lat", "lon", "misspellings"}
]


# ---------------------------------------------------------------------------------------------
# Roll-up and suggestions


def roll_up(table: pd.DataFrame, *, level: str, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """Return the table with each partner replaced by the place it belongs to at `level`
    (district, city, province or country) and rows of the same article and place merged.

    A place already at or above the level stays; a city with no province stays a city at the
    province level. Organisations stay, except at the country level, where one with a country
    becomes that country. Pass the gazetteer for full parent chains and coordinates."""
    if level not in LEVELS:
        raise ParameterError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if table.empty:
        return table.copy()
    info = _place_info(table, gazetteer)
    target = {name: _lift(name, level, info) for name in table["partner"].unique()}
    out = table.copy()
    out["partner"] = out["partner"].map(target)
    blank = {"lat": float("nan"), "lon": float("nan"), "curated": False}
    places = out["partner"].unique()  # each place's facts are looked up once, not once a row
    for column in ("kind", "country", "parent", "lat", "lon", "curated", "country_name"):
        if column in out.columns:
            facts = {n: info.get(n, {}).get(column, blank.get(column, "")) for n in places}
            out[column] = out["partner"].map(facts)
    keys = ["article_id", "partner"]
    # How rows of one article and place merge: the first row speaks for the place (primary
    # first in engagements), counts add up, and spans, roles and sectors are pooled.
    agg = {c: "first" for c in out.columns if c not in keys}
    if "count" in out.columns:
        agg["count"] = "sum"
    if "primary" in out.columns:
        agg["primary"] = "max"
    if "role" in out.columns:
        out["role"] = out["role"].where(out["role"] == "counterpart", "mentioned")
        out["_counterpart"] = out["role"] == "counterpart"
        agg["_counterpart"] = "max"
    pooled = [c for c in ("spans", "sectors", "misspellings") if c in out.columns]
    # Only rows that share an article and a place need merging; the rest stay as they are.
    repeated = out.duplicated(keys, keep=False).to_numpy()
    if repeated.any():
        position = pd.RangeIndex(len(out)).to_numpy()
        rows = out[repeated].assign(_order=position[repeated])
        groups = rows.groupby(keys, sort=False)
        merged = groups.agg({**{k: v for k, v in agg.items() if k not in pooled}, "_order": "min"})
        # Pooled in plain lists: tens of thousands of small groups, each a pandas Series,
        # would take seconds.
        group_of = groups.ngroup().tolist()  # numbered as `merged` is ordered (first seen)
        for column in pooled:
            given = rows[column].tolist()
            if column != "sectors" and not any(given):
                merged[column] = ""  # nothing to pool (misspellings, mostly)
                continue
            values: list[list] = [[] for _ in range(len(merged))]
            for group, value in zip(group_of, given, strict=True):
                values[group].append(value)
            join = _join_labels if column == "sectors" else _join_spans
            merged[column] = [join(v) for v in values]
        if "role" in merged.columns:
            merged["role"] = merged["_counterpart"].map({True: "counterpart", False: "mentioned"})
        single = out[~repeated].assign(_order=position[~repeated])
        out = pd.concat([single, merged.reset_index()], ignore_index=True)
        out = out.sort_values("_order", kind="stable").reset_index(drop=True)
    else:
        out = out.reset_index(drop=True)
    return out[[c for c in table.columns]]


def _join_spans(values: pd.Series) -> str:
    return ";".join(filter(None, values))


def _join_labels(values: pd.Series) -> str:
    seen: list[str] = []
    for value in values:
        for label in str(value or "").split(";"):
            if label and label not in seen:
                seen.append(label)
    return ";".join(seen)


def _place_info(table: pd.DataFrame, gazetteer: Gazetteer | None) -> dict[str, dict]:
    info: dict[str, dict] = {}
    if gazetteer is not None:
        for name, p in gazetteer.places.items():
            info[name] = {
                "kind": p.kind,
                "country": p.country,
                "parent": p.parent,
                "lat": p.lat,
                "lon": p.lon,
                "curated": p.curated,
                "country_name": gazetteer.country_name(p.country),
            }
    cols = [
        c
        for c in ("kind", "country", "parent", "lat", "lon", "curated", "country_name")
        if c in table.columns
    ]
    for record in table.drop_duplicates("partner")[["partner", *cols]].to_dict("records"):
        info.setdefault(record.pop("partner"), record)
    # Countries named only through a code: known by their name.
    for record in list(info.values()):
        name = record.get("country_name", "")
        if name and name not in info:
            info[name] = {
                "kind": "country",
                "country": record.get("country", ""),
                "parent": "",
                "lat": float("nan"),
                "lon": float("nan"),
                "curated": False,
                "country_name": name,
            }
    return info


def _lift(name: str, level: str, info: dict[str, dict]) -> str:
    goal = RANK[level]
    current = name
    seen = {name}
    while True:
        record = info.get(current, {})
        kind = record.get("kind", "")
        if kind == "organisation":
            if level == "country" and record.get("country_name"):
                return record["country_name"]
            return current
        if kind not in RANK or RANK[kind] >= goal:
            return current
        parent = record.get("parent", "")
        if parent and parent not in info:
            # A parent the table does not describe (no gazetteer given): one level up, in the
            # same country, place unknown.
            info[parent] = {
                "kind": LEVELS[min(LEVELS.index(kind) + 1, len(LEVELS) - 1)]
                if kind in LEVELS
                else "",
                "country": record.get("country", ""),
                "parent": "",
                "lat": float("nan"),
                "lon": float("nan"),
                "curated": False,
                "country_name": record.get("country_name", ""),
            }
        parent_kind = info.get(parent, {}).get("kind", "")
        if parent and parent not in seen and parent_kind in RANK and RANK[parent_kind] <= goal:
            current = parent
            seen.add(parent)
            continue
        if level == "country" and record.get("country_name"):
            return record["country_name"]
        return current


def suggest_gazetteer_additions(partner_mentions: pd.DataFrame) -> pd.DataFrame:
    """Places to add to the gazetteer: misspellings of known places ("Vientianne" for
    Vientiane, to confirm as an alias), then places found only through the packages (not in the
    curated file), most used first."""
    columns = [
        "partner",
        "misspelling",
        "kind",
        "country",
        "parent",
        "lat",
        "lon",
        "articles",
        "mentions",
        "counterpart_articles",
    ]
    misspelt = _misspellings(partner_mentions)
    found = partner_mentions[~partner_mentions["curated"].astype(bool)]
    if found.empty:
        return misspelt[columns] if len(misspelt) else pd.DataFrame(columns=columns)
    table = found.groupby("partner", as_index=False).agg(
        kind=("kind", "first"),
        country=("country", "first"),
        parent=("parent", "first"),
        lat=("lat", "first"),
        lon=("lon", "first"),
        articles=("article_id", "nunique"),
        mentions=("count", "sum"),
        counterpart_articles=("role", lambda s: int((s == "counterpart").sum())),
    )
    table = table.assign(misspelling="").sort_values(
        ["counterpart_articles", "articles", "mentions", "partner"],
        ascending=[False, False, False, True],
    )
    return pd.concat([misspelt, table], ignore_index=True)[columns]


def _misspellings(partner_mentions: pd.DataFrame) -> pd.DataFrame:
    # One row per misspelt name and the place it was read as, most used first.
    if "misspellings" not in partner_mentions or not partner_mentions["misspellings"].any():
        return pd.DataFrame()
    rows = partner_mentions[partner_mentions["misspellings"].fillna("").astype(bool)]
    pieces = rows.assign(misspelling=rows["misspellings"].str.split(";")).explode("misspelling")
    keys = ["partner", "misspelling"]
    table = pieces.groupby(keys, as_index=False).agg(
        kind=("kind", "first"),
        country=("country", "first"),
        parent=("parent", "first"),
        lat=("lat", "first"),
        lon=("lon", "first"),
        mentions=("article_id", "size"),
    )
    # Articles are counted once each, however often they misspell the name.
    each = pieces.drop_duplicates([*keys, "article_id"]).groupby(keys)
    table["articles"] = each["article_id"].size().to_numpy()
    counterparts = each["role"].agg(lambda s: int((s == "counterpart").sum()))
    table["counterpart_articles"] = counterparts.to_numpy()
    return table.sort_values(
        ["mentions", "articles", "misspelling"], ascending=[False, False, True]
    ).reset_index(drop=True)


def save_partner_tables(
    *,
    partner_mentions: pd.DataFrame,
    engagements: pd.DataFrame,
    suggestions: pd.DataFrame,
    work_dir,
    out_dir,
) -> None:
    """Write the stage tables for the overview and the CSVs for people."""
    from citylinks.tables import save_tables

    save_tables(
        {
            "partner_mentions": partner_mentions,
            "engagements": engagements,
            "gazetteer_suggestions": suggestions,
        },
        work_dir=work_dir,
        out_dir=out_dir,
    )
