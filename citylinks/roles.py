"""Roles: which places an article engages with (counterparts) and its one primary partner."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from citylinks.engagements import _Article
from citylinks.gazetteer import RANK, Gazetteer
from citylinks.places import PlaceMention
from citylinks.sentences import with_known_abbreviations


def assess_article_partners(
    text: str,
    mentions: Sequence[PlaceMention],
    gazetteer: Gazetteer,
    *,
    title: str = "",
    standfirst: str = "",
    abbreviations: Iterable[str] | None = None,
) -> list[dict]:
    """Return one record per place an article names: count, role and whether it is primary.
    A pure function of one article, for caching or worker processes."""
    if not mentions:
        return []
    doc = _Article(text, title, standfirst, with_known_abbreviations(abbreviations))
    return _assess(doc, mentions, gazetteer)


def _assess(doc: _Article, mentions: Sequence[PlaceMention], gazetteer: Gazetteer) -> list[dict]:
    # assess_article_partners on an article read already.
    by_place: dict[str, list[PlaceMention]] = defaultdict(list)
    for m in mentions:
        by_place[m.name].append(m)
    info = {}
    for name, ms in by_place.items():
        own = [m for m in ms if not m.qualifier]
        in_title = any(m.start < doc.title_end for m in own)
        in_lead = any(m.start < doc.lead_end for m in own)
        in_event = False
        if not (in_title or in_lead):
            for m in own:
                if doc.cue(*doc.paragraph_span(m.start)) and doc.is_event(
                    *doc.sentence_at(m.start)
                ):
                    in_event = True
                    break
        info[name] = {
            "count": len(ms),
            "own": len(own),
            "first": ms[0].start,
            "in_title": in_title,
            "in_lead": in_lead,
            "counterpart": bool(own) and (in_title or in_lead or in_event),
        }
    ranked = sorted(info.values(), key=lambda v: -v["own"])
    if ranked[0]["own"] >= 2 and (len(ranked) == 1 or ranked[1]["own"] < ranked[0]["own"]):
        ranked[0]["counterpart"] = True
    places = gazetteer.places
    counterparts = [n for n, v in info.items() if v["counterpart"]]
    primary = ""
    if counterparts:
        titled = [n for n in counterparts if info[n]["in_title"]]
        if titled:
            primary = min(
                titled,
                key=lambda n: (RANK[places[n].kind], -info[n]["own"], info[n]["first"]),
            )
        else:
            primary = min(
                counterparts,
                key=lambda n: (-info[n]["own"], RANK[places[n].kind], info[n]["first"]),
            )
    if primary and places[primary].kind == "country":
        primary = _place_within(primary, counterparts, info, gazetteer) or primary
    records = []
    for name, v in info.items():
        place = places[name]
        records.append(
            {
                "partner": name,
                "kind": place.kind,
                "country": place.country,
                "country_name": gazetteer.country_name(place.country),
                "parent": place.parent,
                "count": v["count"],
                "role": "counterpart" if v["counterpart"] else "mentioned",
                "primary": name == primary,
                "curated": place.curated,
                "lat": place.lat,
                "lon": place.lon,
                "spans": ";".join(f"{m.start}-{m.end}" for m in by_place[name]),
                "misspellings": ";".join(m.surface for m in by_place[name] if m.misspelt),
            }
        )
    records.sort(key=lambda r: (not r["primary"], r["role"] != "counterpart", -r["count"]))
    return records


def _place_within(country: str, counterparts: list[str], info: dict, gazetteer: Gazetteer) -> str:
    """The counterpart inside `country` the article is about, '' for none: a city, province or
    district named in the title or the standfirst, or more than once (once in passing, as a
    person's home district, is not enough). A story of Fukuoka's delegation is
    Fukuoka's, though it names Japan more often."""
    places = gazetteer.places
    inside = [
        n
        for n in counterparts
        if places[n].kind in ("city", "province", "district")
        and country in gazetteer.ancestors(n)
        and (info[n]["in_title"] or info[n]["in_lead"] or info[n]["own"] >= 2)
    ]
    if not inside:
        return ""
    return min(inside, key=lambda n: (-info[n]["own"], RANK[places[n].kind], info[n]["first"]))
