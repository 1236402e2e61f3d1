"""The page header: title, publish date, byline and scraper metadata, whatever the layout."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citylinks.dates import FoundDate, find_publish_date, is_date_line
from citylinks.outlets import Outlets, opening_dateline, outlet_of_host

NBSP = "\u00a0"
HEADER_LINES = 15  # non-blank lines looked at for the title and the date; the rest is body
LONG_LINE_WORDS = 60  # a line this long is a paragraph, whatever its end (menus are shorter)

BREADCRUMB = re.compile(r"^(?:Home|Trang chủ)\s*[/>»›|]")
# A caption ends with a photo credit: "Photos: Thanh Hai/The Hanoi Times", "(Source: VNA)",
# "(Nguồn: TTXVN)", "— VNA/VNS Photo".
PHOTO_CREDIT = re.compile(
    r"\b(?:Photos?|Photo credit|Source|Image|Ảnh|Nguồn)\s*:\s*(?P<credit>[^.:()]{2,80}?)\)?\.?\s*$"
    r"|[-–—]\s*(?P<by>[^\s.:()][^.:()]{0,40}?)\s+Photos?\.?\s*$"
)
# A caption glued to the text after it: "…the signed memorandum (Source: VNA)Hanoi (VNA) – …"
GLUED_CAPTION = re.compile(r"\((?:Photos?|Source|Ảnh|Nguồn)\s*:\s*(?P<credit>[^()]{1,60})\)(?=\S)")
# Authors before the date in a byline: "Ngoc Mai - Van Ha", "By Ngoc Mai and Lien Ha"
AUTHOR_SPLIT = re.compile(r"\s+(?:-|–|—|and|&)\s+|\s*[,;|]\s*")
BYLINE_PREFIX = re.compile(
    r"^(?:(?:posted|written|reported)\s+by|by|(?:last\s+)?updated?(?:\s+at|\s+on)?|"
    r"publish(?:ed)?(?:\s+date|\s+on|\s+at)?|posted(?:\s+on|\s+at)?|date)\s*:?\s*",
    re.I,
)
# Not authors: what a byline prints beside them (weekdays, times, time zones, labels).
NOT_AUTHOR = re.compile(
    r"^(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?$|^thứ\s|^chủ nhật"
    r"|^\(?gmt|^utc|^ict|\d{1,2}:\d{2}|^(?:am|pm|view count.*|last updated.*|updated.*)$",
    re.I,
)
# A line a scraper wrote above the text: "Date: 04/02/2025", "Source: https://…"
SCRAPER_LINE = re.compile(
    r"^(?P<key>title|headline|date|published|publish(?:ed)? date|pubdate|posted|source|url|link|"
    r"author|authors|hostname|host|site ?name|site|description|excerpt|summary|tags|categories|"
    r"language|lang)\s*:\s*(?P<value>\S.*)$",
    re.I,
)
_CRUMB_MARKS = re.compile(r" [>»›/|] ")
URL = re.compile(r"https?://\S+|(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?$", re.I)
# Words every English headline of some length holds one of; a line with none and many
# Vietnamese (or other non-ASCII) words is in another language.
ENGLISH = frozenset(
    "the a an of in on to for and with at by from as is are be will new its over into".split()
)
END = (".", "!", '."', ".”", ".’", "!”", ".)", "./.", "/.")


@dataclass
class Header:
    """What a page's header gave: title, publish date, authors, metadata, and where its body
    starts (a line number), with the header lines removed and why."""

    title: str = ""
    title_at: int = -1
    date: FoundDate | None = None
    date_at: int = -1
    date_source: str = ""
    authors: list[str] = field(default_factory=list)
    url: str = ""
    outlet: str = ""  # from a hostname, url or "Source:" line, when the page gives one
    photo_credits: list[str] = field(default_factory=list)
    body_start: int = 0
    skip: dict[int, str] = field(default_factory=dict)  # body lines that belong to the header
    removed: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def split_authors(text: str) -> list[str]:
    """Return the authors a byline names before its date ("By Ngoc Mai and Lien Ha")."""
    text = BYLINE_PREFIX.sub("", text.strip(" ,/|-–—·"))
    names = []
    for part in AUTHOR_SPLIT.split(text):
        part = BYLINE_PREFIX.sub("", part.strip(" ,/|-–—·()"))
        if part and len(part.split()) <= 5 and not NOT_AUTHOR.search(part):
            names.append(part)
    return names


def find_caption(raw: str, stripped: str | None = None) -> str | None:
    """Return the photo credit ('' if none) when a line is a photo caption, else None
    (`stripped`: the line without its outer white space, when the caller has it)."""
    line = raw.strip() if stripped is None else stripped
    if ":" in line or line.endswith(("Photo", "Photos", "Photo.")):
        credit = PHOTO_CREDIT.search(line)
        if credit:
            return (credit.group("credit") or credit.group("by") or "").strip()
    if raw.startswith(NBSP) or line.endswith(" |"):
        return ""  # "Overview of the meeting." under a photo; "… on January 14 |"
    return None


def is_prose(line: str, words: int | None = None) -> bool:
    """Tell a sentence of the body (eight words or more ending in a full stop) from a heading."""
    words = len(line.split()) if words is None else words
    return words >= 8 and line.rstrip(" '\"”’)").endswith((".", "!", "./.", "/."))


def in_other_language(line: str, words: list[str]) -> bool:
    """Tell a line in another language than the article's English ("Đăng ký ấn phẩm")."""
    if line.isascii():
        return False
    foreign = sum(not w.isascii() for w in words)
    if foreign * 3 < len(words):  # "Hà Nội, Ulaanbaatar agree to …": English with names
        return False
    return not any(w.lower().strip(",.:;") in ENGLISH for w in words)


def _headline_problem(line: str, words: list[str], outlets: Outlets) -> str:
    # Why a header line cannot be the headline ('' when it can).
    if len(words) < 3:
        return "navigation"  # "Log in", a section name ("Hanoi"), "Top"
    if len(words) > 30:
        return "navigation"  # a menu or a row of trending topics
    if line.endswith(":") or (" " not in line.strip() and URL.fullmatch(line)):
        return "navigation"
    if _CRUMB_MARKS.search(line) and len(_CRUMB_MARKS.findall(line)) >= 2:
        return "navigation"  # "News › Politics › Hanoi": a breadcrumb without "Home"
    if _is_banner(line, words):
        return "banner in capitals"
    if in_other_language(line, words):
        return "line in another language"
    if words[0].lower() == "by" and len(words) <= 6:
        return "byline"
    return ""


def _is_banner(line: str, words: list[str]) -> bool:
    # All in capitals, or three capitalised words in a row ("WORDS ON THE STREET …"); one or
    # two ("ASEAN", "US, EU") are acronyms in a headline.
    if line.upper() == line:
        return line.lower() != line
    run = 0
    for word in words:
        run = run + 1 if len(word) > 1 and word.isupper() else 0
        if run == 3:
            return True
    return False


def _scraper_value(key: str, value: str, header: Header, outlets: Outlets) -> str:
    # Take one "key: value" line of front matter or of a scraper's header; return its role.
    key = key.lower().replace(" ", "")
    value = value.strip().strip("'\"")
    if key in ("title", "headline"):
        header.title = " ".join(value.split())
        return "title"
    if key in ("date", "published", "publishdate", "publisheddate", "pubdate", "posted"):
        found = find_publish_date(value)
        if found is not None and header.date is None:
            header.date, header.date_source = found, "scraper metadata"
        return "date"
    if key in ("url", "link") or (key == "source" and URL.match(value)):
        header.url = header.url or value
        header.outlet = header.outlet or outlet_of_host(value, outlets)
        return "url"
    if key in ("hostname", "host"):
        header.outlet = outlet_of_host(value, outlets) or header.outlet
        return "hostname"
    if key in ("source", "sitename", "site"):
        header.outlet = header.outlet or value
        return "source"
    if key in ("author", "authors"):
        header.authors = split_authors(value)
        return "author"
    return key


def _read_front_matter(lines: list[str], nonblank: list[int], header: Header, outlets) -> int:
    """Read YAML front matter ('---' … '---') or a scraper's 'Key: value' lines at the top;
    return the position in `nonblank` where the page itself starts."""
    first = lines[nonblank[0]].strip()
    if first == "---":
        for n, i in enumerate(nonblank[1:40], start=1):
            line = lines[i].strip()
            if line in ("---", "..."):
                for j in nonblank[1:n]:
                    key, _, value = lines[j].partition(":")
                    if value.strip():
                        _scraper_value(key.strip(), value, header, outlets)
                header.removed.append(
                    (
                        "header",
                        "front matter",
                        " | ".join(lines[j].strip() for j in nonblank[: n + 1]),
                    )
                )
                return n + 1
        return 0
    n = 0
    while n < len(nonblank) and n < 8 and ":" in lines[nonblank[n]]:
        m = SCRAPER_LINE.match(lines[nonblank[n]].strip())
        if not m:
            break
        _scraper_value(m["key"], m["value"], header, outlets)
        header.removed.append(("header", "scraper metadata", lines[nonblank[n]].strip()))
        n += 1
    return n


def read_header(
    lines: list[str],
    nonblank: list[int],
    end: int,
    *,
    furniture: frozenset[int],
    outlets: Outlets,
    line_key,
    markers: bool = True,
) -> Header:
    """Find the headline, the publish date and the byline in the first lines of a page (up to
    `end`, where its footer starts), and where the body begins. `markers`: whether the page
    may hold image markers (see outlets.has_image_markers)."""
    header = Header()
    if not nonblank:
        return header
    start = _read_front_matter(lines, nonblank, header, outlets)
    head = [i for i in nonblank[start : start + HEADER_LINES] if i < end]
    kinds: dict[int, str] = {}  # header line -> what it is
    candidates: list[int] = []
    dates: list[tuple[int, FoundDate]] = []
    titles_in: dict[int, str] = {}  # a title candidate that is part of its line
    crumb = -1
    stop = -1
    for i in head:
        line = lines[i].strip()
        kind = _header_kind(
            i, lines[i], line, header, outlets, furniture, line_key, titles_in, markers, dates
        )
        if isinstance(kind, FoundDate):
            dates.append((i, kind))
            kind = "date"
        elif kind == "breadcrumb" and crumb < 0:
            crumb = i
        elif kind == "candidate":
            candidates.append(i)
        elif kind == "body":
            stop = i
            break
        kinds[i] = kind
    if stop >= 0 and not dates:
        # A byline under the standfirst: "Title / Summary. / By X, March 3, 2024 / Body".
        after = [i for i in nonblank if stop < i < end][:1]
        found = is_date_line(lines[after[0]]) if after else None
        if found is not None:
            dates.append((after[0], found))
            header.skip[after[0]] = "byline and date"
    if crumb >= 0:  # lines above a "Home / …" breadcrumb are site navigation
        candidates = [i for i in candidates if i > crumb]

    date_at, found = -1, None
    if dates:
        date_at, found = next(((i, d) for i, d in dates if not d.updated), dates[0])
    authors_text = ""
    if found is not None:
        authors_text = lines[date_at].strip()[: lines[date_at].strip().find(found.text)]
        if header.date is None:
            header.date, header.date_source = found, "page header"
        header.date_at = date_at
        byline_authors = split_authors(authors_text) if authors_text.strip() else []
        header.authors = header.authors or byline_authors

    if header.title:  # from front matter or a scraper's "Title:" line; the page may repeat it
        same = " ".join(header.title.casefold().split())
        header.title_at = next(
            (i for i in candidates if " ".join(lines[i].casefold().split()) == same), -1
        )
    elif candidates:
        above = [i for i in candidates if i < date_at]
        below = [i for i in candidates if i > date_at]
        header.title_at = above[-1] if date_at >= 0 and above else (below or above)[0]
        raw = titles_in.get(header.title_at, lines[header.title_at])
        header.title = " ".join(raw.split())
    else:
        header.warnings.append(
            "no headline found: title left empty (give it in corpus/metadata.csv)"
        )

    # The body starts at the first sentence, or at a heading-like line under the title and
    # date (a short standfirst); the lines between are the header's.
    mark = max(header.title_at, date_at)
    after = [i for i in candidates if i > mark] if mark >= 0 else []
    if after and (stop < 0 or after[0] < stop):
        header.body_start = after[0]
    elif stop >= 0:
        header.body_start = stop
    elif mark >= 0:  # no sentence in the first lines: the body starts after the title or date
        header.body_start = mark + 1
    else:  # only navigation in the first lines: the body is what follows them
        header.body_start = head[-1] + 1 if len(head) == HEADER_LINES else end
    for i in head:
        if i >= header.body_start:
            break
        line = lines[i].strip()
        if i == header.title_at and i not in titles_in:
            if header.title != " ".join(line.split()):  # a scraper's title: the page's own goes
                header.removed.append(("header", "title (as the scraper gave it)", line))
            continue
        if i == date_at:
            header.removed.append(("header", "byline and date", line))
        elif i == header.title_at:
            header.removed.append(("header", "image marker and caption", line))
        else:
            header.removed.append(("header", _REASONS.get(kinds.get(i, ""), "navigation"), line))
    return header


# Why a header line went, by its kind; menus, banners, slogans and lines in another language
# are all "navigation".
_REASONS = {
    "breadcrumb": "breadcrumb",
    "date": "byline and date (not the first publication)",
    "caption": "photo caption",
    "image": "image marker and caption",
    "dateline": "dateline",
    "scraper metadata": "scraper metadata",
}


def _header_kind(
    i, raw, line, header, outlets, furniture, line_key, titles_in, markers, dated
) -> str | FoundDate:
    # What one header line is: navigation of some kind, a date, a title candidate, or the body.
    if BREADCRUMB.match(line):
        return "breadcrumb"
    if outlets.furniture is not None and outlets.furniture.match(line):
        return "interface line"
    if furniture and line_key(line) in furniture:
        return "repeated page furniture"
    m = SCRAPER_LINE.match(line) if ":" in line else None
    if m and m["key"].lower() not in ("title", "headline", "date", "published", "posted"):
        _scraper_value(m["key"], m["value"], header, outlets)
        return "scraper metadata"
    # Once the date is found, only a short line can be another date line ("Updated …").
    # (A line ending a sentence is never a date line: is_date_line would refuse it.)
    found = (
        is_date_line(line)
        if (not dated or len(line) <= 60) and not line.endswith((".", "?", "!"))
        else None
    )
    if found is not None:
        return found
    if markers:
        marker = outlets.image_marker.search(line)
        if marker:
            before, after = line[: marker.start()].strip(" -–—"), line[marker.end() :]
            credit = find_caption(after) if after else None
            if credit:
                header.photo_credits.append(credit)
            if before and not _headline_problem(before, before.split(), outlets):
                titles_in[i] = before
                return "candidate"
            return "image"
    credit = find_caption(raw, line)
    if credit is not None:
        if credit:
            header.photo_credits.append(credit)
        return "caption"
    dateline = opening_dateline(line)
    if dateline:
        rest = line[dateline.end() :]
        if not rest:
            return "dateline"  # "VIETNAM, August 9 -": the dateline on a line of its own
        if is_prose(rest) or rest.count(" ") >= 11:
            return "body"
    spaces = line.count(" ")  # words - 1, or more where spaces are doubled: a quick measure
    if spaces >= LONG_LINE_WORDS - 1 or is_prose(line, len(line.split()) if spaces > 6 else 0):
        return "body"
    if spaces > 45:
        return "navigation"  # a menu or a row of trending topics
    return _headline_problem(line, line.split(), outlets) or "candidate"
