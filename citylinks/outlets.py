"""News outlets: what each outlet's pages show (config/outlets.yaml), and one name per outlet."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from citylinks.errors import ConfigError, parse_config_yaml, read_config_bytes
from citylinks.paths import DEFAULT_OUTLETS, resolve

# Marks around a credit that are not part of the outlet's name: "Photo: VNA |", "(VNA)", "-VNA-".
_CREDIT_EDGES = " \t|/-–—·:;,.()[]\"'“”‘’"
# Markers after which any page holds only other articles, tags and sharing links (an outlet's
# own footers are added from the outlets file).
FOOTER_MARKERS = re.compile(
    r"^(?:RELATED NEWS|RELATED ARTICLES?|RELATED STORIES|Related news|Related articles?|"
    r"TAGS?:|Tags?:|Other news|OTHER NEWS|More news|MORE NEWS|Read more|READ MORE|"
    r"See also|Share this( article)?|Most read|MOST READ|Latest news|LATEST NEWS|"
    r"You may also like|Recommended for you)\b"
    r"|^(?:Related|RELATED|Share:|Tin liên quan|Tin khác|Các tin khác|Bài liên quan)\s*$",
)
# A body's opening dateline: "Hanoi (VNA) –", "VGP -", "VTV.vn -", "THE HANOI TIMES —",
# "VIETNAM, August 9 -": a few words, the first in capitals or an agency in brackets, a dash.
DATELINE = re.compile(r"^(?P<lead>[^-–—\n]{1,44}?)\s*[-–—]+(?:\s+|$)")
AGENCY = re.compile(r"\([A-Z]{2,8}\)")  # "(VNA)", "(VOV)" in a dateline's lead
# A dash in a YAML dateline stands for any dash, with or without spaces around it.
_DASH = r"\s*[-–—]+"


@dataclass(frozen=True)
class Outlets:
    """The outlets file compiled once: names by credit and host, and the outlet-specific
    datelines, footers, interface lines and image markers as single patterns."""

    names: dict[str, str] = field(default_factory=dict)  # folded credit or name -> name
    hosts: dict[str, str] = field(default_factory=dict)  # host -> name
    datelines: dict[str, str] = field(default_factory=dict)  # folded dateline -> name
    dateline: re.Pattern | None = None
    footer: re.Pattern = FOOTER_MARKERS
    furniture: re.Pattern | None = None
    image_marker: re.Pattern | None = None
    marker_forms: tuple[str, ...] = ()  # the markers as written: looked for before the pattern
    month_first: frozenset[str] = frozenset()
    known: frozenset[str] = frozenset()  # the outlets' names
    fingerprint: str = ""  # what cached cleanings are keyed by


def _fold(name: str) -> str:
    return " ".join(name.replace("’", "'").casefold().split())


def _phrase(entry: str) -> str:
    # "There were # press releases" -> any number where "#" stands; spaces match any run.
    words = [re.escape(word).replace(r"\#", r"[\d.,]+") for word in entry.split()]
    return r"\s+".join(words)


def _lines_pattern(entries: list[str], *, whole_below: int) -> re.Pattern | None:
    """One pattern for lines beginning with any entry; entries of fewer than `whole_below`
    words must be the whole line ("Top" is furniture, "Top officials met…" is not)."""
    if not entries:
        return None
    alternatives = []
    for entry in sorted(set(entries), key=len, reverse=True):
        end = r"\s*$" if len(entry.split()) < whole_below else r"(?:\W|$)"
        alternatives.append(_phrase(entry) + end)
    return re.compile(r"(?:" + "|".join(alternatives) + r")", re.I)


def _footer_pattern(entries: list[str]) -> re.Pattern:
    # One pattern, the generic markers and the outlets' own: one match per line of a page.
    own = _lines_pattern(entries, whole_below=2)
    if own is None:
        return FOOTER_MARKERS
    return re.compile(f"{FOOTER_MARKERS.pattern}|^(?i:{own.pattern})")


def opening_dateline(line: str) -> re.Match | None:
    """Return the dateline a body line opens with ("Hanoi (VNA) –", "VGP -"), or None."""
    head = line[:48]  # a dateline is short: most lines are passed over at a glance
    if not ("-" in head or "–" in head or "—" in head):
        return None
    m = DATELINE.match(line)
    if m is None:
        return None
    # The lead opens with a word in capitals ("VGP", "VTV.vn", "HÀ NỘI", "THE HANOI TIMES") or
    # names an agency in brackets ("Hanoi (VNA)"); "Hanoi - Seoul ties …" is a headline.
    lead = m.group("lead")
    first = lead.split(None, 1)[0] if lead.strip() else ""
    letters = [c for c in first[:3] if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters[:2]) or AGENCY.search(lead):
        return m
    return None


def has_image_markers(text: str, outlets: Outlets) -> bool:
    """Tell whether a page may hold an outlet's image markers (a quick look for their words)."""
    return outlets.image_marker is not None and any(m in text for m in outlets.marker_forms)


def outlet_of_dateline(line: str, outlets: Outlets) -> str:
    """Return the outlet a body's opening dateline names ("Hanoi (VNA) –", "VGP -"), or ''."""
    opening = opening_dateline(line) if outlets.dateline is not None else None
    m = outlets.dateline.search(line, 0, opening.end()) if opening else None
    return outlets.datelines.get(_fold(_DASHES.sub("-", m.group(0))), "") if m else ""


def compile_outlets(entries: list[dict], *, fingerprint: str = "") -> Outlets:
    """Compile outlet entries (as in config/outlets.yaml) into an `Outlets`."""
    names, hosts, datelines, month_first = {}, {}, {}, set()
    footers, furniture, markers = [], [], []
    for entry in entries:
        name = " ".join(str(entry["name"]).split())
        names[_fold(name)] = name
        for credit in entry.get("credits") or ():
            names.setdefault(_fold(str(credit)), name)
        for host in entry.get("hosts") or ():
            hosts[_bare_host(str(host))] = name
        for dateline in entry.get("datelines") or ():
            datelines[_fold(_DASHES.sub("-", str(dateline)))] = name
        footers += [str(f) for f in entry.get("footers") or ()]
        furniture += [str(f) for f in entry.get("furniture") or ()]
        markers += [str(m) for m in entry.get("image_markers") or ()]
        if entry.get("month_first"):
            month_first.add(name)
    dateline = None
    if datelines:
        forms = sorted(datelines, key=len, reverse=True)
        dateline = re.compile("|".join(re.escape(d).replace(r"\-", _DASH) for d in forms), re.I)
    image_marker = None
    if markers:
        forms = "|".join(_phrase(m) for m in sorted(set(markers), key=len, reverse=True))
        # The marker is followed by the photo's number and maybe a dot, then the caption.
        image_marker = re.compile(rf"(?:{forms})\s*\d{{1,2}}\.?\s*", re.I)
    return Outlets(
        names=names,
        hosts=hosts,
        datelines=datelines,
        dateline=dateline,
        footer=_footer_pattern(footers),
        furniture=_lines_pattern(furniture, whole_below=3),
        image_marker=image_marker,
        marker_forms=tuple(sorted(set(markers))),
        month_first=frozenset(month_first),
        known=frozenset(names.values()),
        fingerprint=fingerprint,
    )


_DASHES = re.compile(r"\s*[-–—]+")


def load_outlets(path: str | Path = DEFAULT_OUTLETS) -> Outlets:
    """Read and compile an outlets file (config/outlets.yaml); ConfigError if it is unusable."""
    path = resolve(path)
    return _compiled(str(path), read_config_bytes(path))


@lru_cache(maxsize=4)
def _compiled(path: str, data: bytes) -> Outlets:
    doc = parse_config_yaml(path, data)
    entries = (doc or {}).get("outlets") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(path, "needs an 'outlets:' list (see config/outlets.yaml)")
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            raise ConfigError(path, f"outlet {n} needs a 'name'")
        for key in ("hosts", "credits", "datelines", "footers", "furniture", "image_markers"):
            if not isinstance(entry.get(key) or [], list):
                raise ConfigError(path, f"outlet '{entry['name']}': '{key}' must be a list")
    return compile_outlets(entries, fingerprint=hashlib.sha256(data).hexdigest()[:16])


def _bare_host(host: str) -> str:
    host = host.strip().lower()
    if "//" in host:
        host = host.split("//", 1)[1]
    host = host.split("/", 1)[0].split(":", 1)[0]
    return host[4:] if host.startswith("www.") else host


def outlet_of_host(host: str, outlets: Outlets) -> str:
    """Return the outlet a web address belongs to (its known name, else the bare host)."""
    host = _bare_host(host)
    if not host:
        return ""
    parts = host.split(".")
    for i in range(len(parts) - 1):  # en.vietnamplus.vn, then vietnamplus.vn
        name = outlets.hosts.get(".".join(parts[i:]))
        if name:
            return name
    return host


def name_outlet(raw: str, outlets: Outlets, *, known_only: bool = False) -> str:
    """Return one name per outlet for a credit or source as a page or metadata.csv writes it
    ("VNA", "The Hanoi Times |", "english.vov.vn"); an unknown one tidied, or '' if `known_only`."""
    text = " ".join(raw.split()).strip(_CREDIT_EDGES)
    if not text:
        return ""
    if "." in text and " " not in text and "/" not in text and "." not in text[-1]:
        host_name = outlet_of_host(text, outlets)  # a web address written as the source
        if host_name in outlets.names.values():
            return host_name
    key = _fold(text)
    if key in outlets.names:
        return outlets.names[key]
    if key.startswith("the ") and key[4:] in outlets.names:
        return outlets.names[key[4:]]
    if ("the " + key) in outlets.names:
        return outlets.names["the " + key]
    return "" if known_only else text


_CREDITS: dict[tuple[str, str], str] = {}  # (outlets file, credit) -> outlet: credits repeat


def outlet_of_credit(credit: str, outlets: Outlets) -> str:
    """Return the outlet a photo credit names: "Thanh Hai/The Hanoi Times", "VNA/VNS",
    "Kinhtedothi"; '' when it names a person only."""
    key = (outlets.fingerprint, credit)
    if key not in _CREDITS:
        if len(_CREDITS) > 50_000:
            _CREDITS.clear()
        _CREDITS[key] = _outlet_of_credit(credit, outlets)
    return _CREDITS[key]


def _outlet_of_credit(credit: str, outlets: Outlets) -> str:
    known = name_outlet(credit, outlets, known_only=True)
    if known:
        return known
    if "/" in credit:  # photographer/outlet
        last = credit.rsplit("/", 1)[1]
        return name_outlet(last, outlets, known_only=True) or (
            name_outlet(last, outlets) if last.strip().lower().startswith("the ") else ""
        )
    return name_outlet(credit, outlets) if credit.strip().lower().startswith("the ") else ""


def summarise_outlets(articles: pd.DataFrame) -> pd.DataFrame:
    """Return per outlet: articles read, how many gave a title and how many a publish date."""
    a = articles[articles["status"] != "quarantined"]
    outlet = a["source"].where(a["source"] != "", "(not stated)")
    table = (
        pd.DataFrame(
            {
                "outlet": outlet,
                "articles read": 1,
                "with a title": (a["title"] != "").astype(int),
                "with a publish date": (a["published"] != "").astype(int),
            }
        )
        .groupby("outlet", sort=True)
        .sum()
        .reset_index()
    )
    return table.sort_values("articles read", ascending=False, kind="stable").reset_index(drop=True)


def list_missing_headers(articles: pd.DataFrame, audit: pd.DataFrame) -> pd.DataFrame:
    """Return each article read without a title or a publish date, with the header lines the
    cleaning saw, so the analyst can fill them in corpus/metadata.csv."""
    a = articles[(articles["status"] != "quarantined")]
    a = a[(a["title"] == "") | (a["published"] == "")]
    header = audit[(audit["zone"] == "header") & audit["article_id"].isin(a["article_id"])]
    seen = header.groupby("article_id", sort=False)["line"].agg(lambda lines: " ⏎ ".join(lines))
    missing = [
        " and ".join(name for name, empty in (("title", t == ""), ("date", p == "")) if empty)
        for t, p in zip(a["title"], a["published"], strict=True)
    ]
    return pd.DataFrame(
        {
            "file": a["file"].to_numpy(),
            "outlet": a["source"].to_numpy(),
            "missing": missing,
            "title": a["title"].to_numpy(),
            "published": a["published"].to_numpy(),
            "header lines seen": a["article_id"]
            .map(seen)
            .fillna("(none: the page opens with its title or its text)")
            .to_numpy(),
        }
    )
