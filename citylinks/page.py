"""One saved page cleaned: its footer, header, body and standfirst, and what later stages key it by."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from citylinks.cache import content_key
from citylinks.dates import find_publish_date
from citylinks.header import (
    BREADCRUMB,
    GLUED_CAPTION,
    find_caption,
    in_other_language,
    is_prose,
    read_header,
)
from citylinks.outlets import (
    Outlets,
    has_image_markers,
    load_outlets,
    name_outlet,
    outlet_of_credit,
    outlet_of_dateline,
)
from citylinks.sentences import has_glued_sentences, unglue_sentences

NBSP = "\u00a0"
TAG_LINE = re.compile(r"TAGS?:", re.I)
# A word: letters and digits, with apostrophes, hyphens or underscores inside. Only counted, so
# each run of word characters holding a letter or digit is one word, matched without backtracking
# (the same count as r"[^\W_](?:[\w’'-]*[^\W_])?", 2.5 times faster).
WORD = re.compile(r"[^\W_][\w’'-]*+")

STANDFIRST_MAX_WORDS = 70


@dataclass
class CleanedPage:
    """One page split into what we keep (title, standfirst, body) and what we removed, and why."""

    title: str = ""
    standfirst: str = ""
    paragraphs: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    photo_credits: list[str] = field(default_factory=list)
    tags: str = ""
    published: str = ""
    date_text: str = ""
    date_format: str = ""
    date_source: str = ""  # "page header" or "scraper metadata"
    outlet: str = ""
    url: str = ""
    has_prose: bool = False  # a sentence of the body is left: the page is an article
    warnings: list[str] = field(default_factory=list)
    removed: list[tuple[str, str, str]] = field(default_factory=list)  # (zone, reason, line)
    # Computed once per page (in the worker): what duplicate and furniture detection compare.
    line_keys: frozenset[int] = frozenset()
    story_key: str = ""
    words: int = 0
    text_key: str = ""  # cache.content_key(text): what later stages key their results by

    @property
    def text(self) -> str:
        """Title, standfirst and body as the text later stages analyse."""
        return "\n\n".join(p for p in [self.title, self.standfirst, *self.paragraphs] if p)


def fold_line(line: str) -> str:
    """Return a line's comparison key: case and white space (incl. no-break spaces) folded."""
    return " ".join(line.casefold().split())


def line_key(line: str) -> int:
    """Return a stable 64-bit key of a line with case and white space folded (0 for a blank line).

    Furniture detection compares a key per line of every article: numbers, not the lines."""
    return _folded_key(fold_line(line))


def _folded_key(folded: str) -> int:
    if not folded:
        return 0
    digest = hashlib.blake2b(folded.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") or 1


# For count_words on ASCII text: a letter or digit becomes "a", what else WORD lets a word hold
# ("_", "'", "-") becomes "-", anything else a space. A word then starts at each " a", or at a
# " -" whose run of non-spaces holds an "a".
_WORD_BYTES = (
    bytes(
        ord("a") if chr(i).isalnum() else ord("-") if chr(i) in "_'-" else ord(" ")
        for i in range(128)
    )
    + b" " * 128
)
# Common non-ASCII characters, replaced by what they are to WORD, so most texts are ASCII.
_WORD_ASCII = {"’": "'", "‘": " ", "“": " ", "”": " ", "—": " ", "–": " ", "…": " ", NBSP: " "}


def count_words(text: str) -> int:
    """Count the words in a text: the matches of WORD."""
    if not text.isascii():
        for char, same in _WORD_ASCII.items():
            if char in text:
                text = text.replace(char, same)
        if not text.isascii():  # other letters or signs: the regex itself
            return WORD.subn("", text)[1]  # counts without making a string per word
    # Six times faster than the regex: C-speed passes, no step per word.
    marks = b" " + text.encode("ascii").translate(_WORD_BYTES)
    count = marks.count(b" a")
    i = marks.find(b" -")
    while i >= 0:
        end = marks.find(b" ", i + 1)
        end = len(marks) if end < 0 else end
        count += b"a" in marks[i + 1 : end]  # "'tis", "-5": a word; " - ": none
        i = marks.find(b" -", end)
    return count


def _tidy(line: str) -> str:
    # No-break spaces and runs of spaces inside a line carry no meaning once the line is kept
    # (str.split takes a no-break space for white space).
    return " ".join(line.split())


@lru_cache(maxsize=1)
def _default_outlets() -> Outlets:
    return load_outlets()


def clean_page(
    text: str, *, furniture: frozenset[int] = frozenset(), outlets: Outlets | None = None
) -> CleanedPage:
    """Split a saved page into header, body and footer; keep the article, record what went."""
    outlets = outlets if outlets is not None else _default_outlets()
    page = CleanedPage()
    lines = text.split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if not nonblank:
        return page
    end = split_footer(lines, nonblank, page, outlets=outlets)
    markers = has_image_markers(text, outlets)
    header = read_header(
        lines,
        nonblank,
        end,
        furniture=furniture,
        outlets=outlets,
        line_key=line_key,
        markers=markers,
    )
    _take_header(page, header, outlets)
    blocks = _keep_body(
        lines, header, end, page, text, furniture=furniture, outlets=outlets, markers=markers
    )
    credit = _drop_trailer(blocks, page, outlets)
    if has_glued_sentences(text):
        _unglue(blocks, page)
    page.outlet = _page_outlet(page, header, blocks, credit, outlets)
    _take_date(page, header, outlets)

    # Standfirst: a short summary paragraph straight under the title, when a body follows it.
    if len(blocks) >= 3 and count_words(blocks[0]) <= STANDFIRST_MAX_WORDS:
        page.standfirst = blocks.pop(0).replace("\n", " ")
    page.paragraphs = blocks
    page.has_prose = any(is_prose(line) for block in blocks for line in block.split("\n"))
    # Each line is folded once, for both its furniture key and the story's key. Kept lines are
    # tidied (single spaces, none at either end), so casefolding them is folding them.
    body = [line for block in blocks for line in block.casefold().split("\n")]
    page.line_keys = frozenset(map(_folded_key, [page.standfirst.casefold(), *body]))
    page.story_key = _folded_story_key(body)
    text = page.text
    page.words = count_words(text)
    page.text_key = content_key(text)  # here, in the worker: later stages need not hash it
    return page


def split_footer(lines: list[str], nonblank: list[int], page: CleanedPage, *, outlets) -> int:
    """Find where the footer starts (the first footer marker after the first lines), keep its
    tags, record its removal; return its line number (len(lines) when there is none)."""
    end = len(lines)
    footer_marker = outlets.footer
    for i in nonblank[2:]:
        if footer_marker.match(lines[i].strip()):
            end = i
            break
    if end < len(lines):
        footer = [line.strip() for line in lines[end:] if line.strip()]
        for line in footer:
            if TAG_LINE.match(line):
                page.tags = line.split(":", 1)[1].strip()
        page.removed.append(
            ("footer", f"footer: {len(footer)} lines from '{footer[0][:40]}'", " | ".join(footer))
        )
    return end


def _take_header(page: CleanedPage, header, outlets) -> None:
    page.title = header.title
    page.authors = header.authors
    page.url = header.url
    page.photo_credits = list(dict.fromkeys(header.photo_credits))
    page.removed += header.removed
    page.warnings += header.warnings


def _take_date(page: CleanedPage, header, outlets: Outlets) -> None:
    """Give the page its publish date, read in its outlet's day/month order."""
    found = header.date
    if found is None:
        page.warnings.append("no publish date found in the page header")
        return
    page.date_text, page.date_format = found.text, found.fmt
    if found.ambiguous and page.outlet in outlets.month_first:
        found = find_publish_date(found.text, month_first=True)
    if found.value:
        page.published = found.value.isoformat()
        page.date_source = header.date_source
        # A known outlet prints dates in the order the outlets file gives; another is noted.
        if found.ambiguous and page.outlet not in outlets.known:
            page.warnings.append(
                f"day and month could be swapped in '{found.text}': read day first, "
                f"as {page.published}"
            )
        if found.updated:
            page.warnings.append(f"only a 'last updated' date is shown: '{found.text}'")
    else:
        page.warnings.append(f"byline date {found.problem}; publish date left empty")


def _keep_body(lines, header, end, page, text, *, furniture, outlets, markers) -> list[str]:
    """Keep the body's paragraphs (blank-line blocks) from its first line to the footer, without
    captions, image markers, breadcrumbs and repeated furniture."""
    # Rare marks are looked for once in the whole page, then line by line only where present.
    glued = GLUED_CAPTION.search(text) is not None
    markers = outlets.image_marker if markers else None
    block: list[str] = []
    blocks: list[str] = []
    skip = header.skip
    for i in range(header.body_start, end):
        raw = lines[i]
        stripped = raw.strip()
        if not stripped:
            if block:
                blocks.append("\n".join(block))
                block = []
            continue
        if skip and i in skip:
            page.removed.append(("header", skip[i], stripped))
            continue
        if glued:
            m = GLUED_CAPTION.search(raw)
            if m:  # "…memorandum (Source: VNA)Hanoi (VNA) – Hanoi and …": the caption goes
                _add_credit(page, m.group("credit").strip())
                page.removed.append(("body", "photo caption", raw[: m.end()].strip()))
                raw = raw[m.end() :]
                stripped = raw.strip()
        if markers is not None:
            m = markers.search(raw)
            if m:
                credit = find_caption(raw[m.end() :])
                if credit:
                    _add_credit(page, credit)
                page.removed.append(("body", "image marker and caption", raw.strip()))
                continue
        credit = find_caption(raw, stripped)
        if credit is not None:
            if credit:
                _add_credit(page, credit)
            page.removed.append(("body", "photo caption", stripped))
            continue
        if BREADCRUMB.match(stripped):
            page.removed.append(("body", "breadcrumb", stripped))
            continue
        if furniture and line_key(raw) in furniture:
            page.removed.append(("body", "repeated page furniture", stripped))
            continue
        if len(stripped) < 4 and not any(c.isalnum() for c in stripped):
            page.removed.append(("body", "layout mark", stripped))  # a lone "|" around a photo
            continue
        block.append(_tidy(raw))
    if block:
        blocks.append("\n".join(block))
    return blocks


def _unglue(blocks: list[str], page: CleanedPage) -> None:
    # "…period.The signing…": the space the page lost goes back, so sentences are cut there.
    places: list[str] = []
    for n, block in enumerate(blocks):
        blocks[n], found = unglue_sentences(block)
        places += found
    if places:
        page.removed.append(
            ("body", f"space put back between {len(places)} glued sentence(s)", " | ".join(places))
        )


def _add_credit(page: CleanedPage, credit: str) -> None:
    if credit not in page.photo_credits:
        page.photo_credits.append(credit)


# A credit closing the last paragraph: "…ASEAN capitals.-VNA", "…in Ulaanbaatar. — VNS"
END_CREDIT = re.compile(r"(?:[.!”\"]\s*-|\s[-–—]|/\.)\s*(?P<credit>[A-Z][\w.&+/]{1,20})\s*-?\s*$")
TRAILER_MAX_WORDS = 4


def _drop_trailer(blocks: list[str], page: CleanedPage, outlets) -> str:
    """Remove the short lines after the article's last sentence (author, credit, "Top",
    a follow-us line in another language); return the outlet an end credit names, or ''."""
    credit = ""
    last = blocks[-1].rpartition("\n")[2] if blocks else ""
    # Most articles end on a sentence: nothing to look at line by line.
    ends_on_sentence = len(last) > 80 and last.endswith((".", "”", '"'))
    while blocks and not ends_on_sentence:
        kept = blocks[-1].split("\n")
        line = kept[-1]
        words = line.split()
        short = len(words) <= TRAILER_MAX_WORDS and not line.endswith((".", "!", "?", "”", '"'))
        other = not short and (
            in_other_language(line, words)
            or (outlets.furniture is not None and outlets.furniture.match(line))
        )
        if not (short or other) or (len(blocks) == 1 and len(kept) == 1):
            break
        credit = credit or name_outlet(line, outlets, known_only=True)
        page.removed.append(("body", "end of article: credit, author or link", line))
        kept.pop()
        if kept:
            blocks[-1] = "\n".join(kept)
        else:
            blocks.pop()
    last = blocks[-1].rpartition("\n")[2] if blocks and not credit else ""
    if last:
        m = END_CREDIT.search(last, max(0, len(last) - 40))
        if m:
            credit = name_outlet(m.group("credit"), outlets, known_only=True)
    return credit


def _page_outlet(page: CleanedPage, header, blocks: list[str], credit: str, outlets) -> str:
    """The outlet a page shows: its address or "Source:" line, its opening dateline ("(VNA)",
    "VGP -"), an end credit ("-VNA"), else the outlet its photo credits name."""
    if header.outlet:
        return name_outlet(header.outlet, outlets)
    for block in blocks[:2]:  # the dateline opens the lead, which may follow a standfirst
        for line in block.split("\n", 2)[:2]:
            name = outlet_of_dateline(line, outlets)
            if name:
                return name
    if credit:
        return credit
    for photo in page.photo_credits:
        name = outlet_of_credit(photo, outlets)
        if name:
            return name
    return ""


def _folded_story_key(folded_lines: list[str]) -> str:
    # Same story saved twice: equal once case, white space and line endings are folded, i.e.
    # fold_line(" ".join(paragraphs)); folding a line at a time and joining the non-blank ones
    # gives the same words with the same single spaces.
    return hashlib.sha1(" ".join(filter(None, folded_lines)).encode("utf-8")).hexdigest()
