"""Synthetic corpora for the benchmark: seed-article paragraphs recombined, deterministic from a seed.

    python benchmarks/make_corpus.py --articles 10000 --out benchmarks/corpora/10k --seed 0

Every file looks like a page saved from the Hanoi Times, in one of the two layouts of the seed
corpus: navigation line, breadcrumb, title, byline "Ngoc Mai 15:37, 2024/03/22" (layout A) or a
date line "Nov 06, 2024 / 16:06" above the title (layout B); a standfirst; body paragraphs
recombined from the seeds' sentences, with the partner city, country and visiting official
swapped and one generated sentence each (so no paragraph repeats in several stories and is taken
for page furniture); photo captions starting with a no-break space; and, on most pages, a footer
("RELATED NEWS", "TAG: …", "Other news" with other headlines). Dates spread over 2019–2025.

Article i depends only on (seed, i), so `--first 10000 --articles 10` adds ten new articles to a
10,000-article corpus without touching the others. Files are written one at a time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "corpus"
MANIFEST = ".citylinks-corpus.json"  # hidden: run_all.py and the benchmark skip it
GENERATOR_VERSION = 2  # bump when the output for a given seed changes
NBSP = "\u00a0"

# Partner cities swapped into the seed text: (city, country, adjective, people).
PARTNERS = [
    ("Seoul", "South Korea", "South Korean", "South Koreans"),
    ("Busan", "South Korea", "South Korean", "South Koreans"),
    ("Gyeonggi", "South Korea", "South Korean", "South Koreans"),
    ("Incheon", "South Korea", "South Korean", "South Koreans"),
    ("Daegu", "South Korea", "South Korean", "South Koreans"),
    ("Guangzhou", "China", "Chinese", "Chinese people"),
    ("Beijing", "China", "Chinese", "Chinese people"),
    ("Shanghai", "China", "Chinese", "Chinese people"),
    ("Nanning", "China", "Chinese", "Chinese people"),
    ("Tokyo", "Japan", "Japanese", "Japanese people"),
    ("Fukuoka", "Japan", "Japanese", "Japanese people"),
    ("Osaka", "Japan", "Japanese", "Japanese people"),
    ("Paris", "France", "French", "French people"),
    ("Toulouse", "France", "French", "French people"),
    ("Lyon", "France", "French", "French people"),
    ("Vientiane", "Laos", "Lao", "Lao people"),
    ("Luang Prabang", "Laos", "Lao", "Lao people"),
    ("Berlin", "Germany", "German", "Germans"),
    ("Hamburg", "Germany", "German", "Germans"),
    ("Moscow", "Russia", "Russian", "Russians"),
    ("Saint Petersburg", "Russia", "Russian", "Russians"),
    ("Bangkok", "Thailand", "Thai", "Thais"),
    ("Phnom Penh", "Cambodia", "Cambodian", "Cambodians"),
    ("Singapore", "Singapore", "Singaporean", "Singaporeans"),
    ("Havana", "Cuba", "Cuban", "Cubans"),
    ("Ulaanbaatar", "Mongolia", "Mongolian", "Mongolians"),
    ("Brussels", "Belgium", "Belgian", "Belgians"),
    ("Rome", "Italy", "Italian", "Italians"),
    ("Warsaw", "Poland", "Polish", "Poles"),
    ("Budapest", "Hungary", "Hungarian", "Hungarians"),
    ("Prague", "Czech Republic", "Czech", "Czechs"),
    ("Vienna", "Austria", "Austrian", "Austrians"),
    ("Jakarta", "Indonesia", "Indonesian", "Indonesians"),
    ("Kuala Lumpur", "Malaysia", "Malaysian", "Malaysians"),
    ("Yangon", "Myanmar", "Myanmar", "Myanmar people"),
    ("Canberra", "Australia", "Australian", "Australians"),
    ("Toronto", "Canada", "Canadian", "Canadians"),
    ("Minsk", "Belarus", "Belarusian", "Belarusians"),
    ("Astana", "Kazakhstan", "Kazakh", "Kazakhs"),
    ("Ankara", "Türkiye", "Turkish", "Turks"),
    ("Madrid", "Spain", "Spanish", "Spaniards"),
    ("Lisbon", "Portugal", "Portuguese", "Portuguese people"),
    ("Stockholm", "Sweden", "Swedish", "Swedes"),
    ("Helsinki", "Finland", "Finnish", "Finns"),
    ("Copenhagen", "Denmark", "Danish", "Danes"),
]
# The seed partners turn up more often, as they would in a real archive.
WEIGHTED_PARTNERS = PARTNERS + [p for p in PARTNERS if p[0] in {"Seoul", "Busan", "Guangzhou"}] * 2

# Sector terms used by the generated sentences; the benchmark's built-in term list starts here.
SECTOR_TERMS = [
    "high-tech agriculture",
    "tourism",
    "education",
    "healthcare",
    "biotechnology",
    "clean energy",
    "renewable energy",
    "urban railway",
    "public transport",
    "traffic congestion",
    "wastewater treatment",
    "air pollution",
    "climate change",
    "environmental protection",
    "digital transformation",
    "smart city",
    "urban planning",
    "cultural exchange",
    "heritage conservation",
    "vocational training",
    "information technology",
    "start-ups",
    "innovation",
    "investment",
    "trade",
    "logistics",
    "water supply",
    "waste management",
]
# Partner names in the benchmark's built-in term list (with SECTOR_TERMS: 42 terms).
PARTNER_TERMS = [
    "Seoul",
    "Busan",
    "Gyeonggi",
    "Guangzhou",
    "Tokyo",
    "Paris",
    "Vientiane",
    "Berlin",
    "Moscow",
    "Bangkok",
    "South Korea",
    "China",
    "Japan",
    "France",
]

GIVEN = ["Kim", "Lee", "Park", "Anna", "Pierre", "Kenji", "Somsak", "Olga", "Marek", "Lucia"]
GIVEN += ["Hiroshi", "Chen", "Wei", "Thomas", "Ingrid", "Boun", "Sokha", "Elena", "Jonas", "Aiko"]
SURNAMES = ["Min-ho", "Yonghang", "Keller", "Dubois", "Sato", "Chaiyaporn", "Ivanova", "Novak"]
SURNAMES += ["Rossi", "Tanaka", "Zhang", "Liu", "Schmidt", "Lindqvist", "Phommavong", "Chea"]
SURNAMES += ["Garcia", "Nowak", "Horvath", "Moreau", "Yamada", "Petrov", "Silva", "Jensen"]
ROLES = ["Mayor", "Vice Mayor", "Governor", "Deputy Governor", "Ambassador", "Consul General"]
ROLES += ["Chairman of the City Council", "Director of the Department of International Affairs"]
AUTHORS = ["Ngoc Mai", "Van Ha", "Lien Ha", "Thanh Hai", "Minh Nguyen", "Hoai Nam"]
AUTHORS += ["Phuong Anh", "Bao Lam", "Tuan Anh", "Khanh Linh", "Duc Minh", "Thu Trang"]
PHOTOGRAPHERS = ["Thanh Hai", "Hai Linh", "Pham Hung", "Quang Thai", "Viet Thanh"]
PLACES = [
    "the Hoa Lac High-tech Park",
    "the Temple of Literature",
    "Thang Long Imperial Citadel",
    "the Hanoi University of Science and Technology",
    "Long Bien Bridge",
    "the Red River dike",
    "the Nhon - Hanoi Station metro line",
    "Ba Vi district",
    "the Thang Long Industrial Park",
    "Hoan Kiem Lake",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]
MONTHS += ["September", "October", "November", "December"]
MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
NAV_LINES = [
    "70th anniversary of Hanoi's Liberation Day Vietnam - Asia 2023 Smart City Summit Hanoi "
    "celebrates 15 years of administrative boundary adjustment 12th Vietnam-France "
    "decentrialized cooperation conference 31st Sea Games - Vietnam 2021 Covid-19 Pandemic",
    "WORDS ON THE STREET 70th anniversary of Hanoi's Liberation Day Vietnam - Asia 2023 Smart "
    "City Summit Hanoi celebrates 15 years of administrative boundary adjustment 12th "
    "Vietnam-France decentrialized cooperation conference 31st Sea Games - Vietnam 2021 "
    "Covid-19 Pandemic",
]

# Titles carry several free slots so that titles rarely repeat (as in a real archive).
TITLES = [
    "Hanoi, {city} ({country}) focus ties on {s1} and {s2}",
    "Hanoi seeks {city}'s expertise on {s1} and {s2}",
    "Hanoi seeks {s1} cooperation with {adj} localities, starting with {city}",
    "Hanoi, {city} eye comprehensive cooperation in {s1} and {s2}",
    "{country} is Hanoi's traditional partner in {s1} and {s2}",
    "{city} delegation visits Hanoi to discuss {s1}, {s2} and {s3}",
    "Hanoi and {city} sign {n} agreements on {s1} and {s2}",
    "{role} of {city} meets Hanoi leaders on {s1} and {s2}",
    "Hanoi, {city} mark {n} years of friendship with {s1} projects",
    "{adj} investors look to Hanoi for {s1} and {s2}",
]
# One generated sentence per paragraph: many slots, so no two paragraphs come out the same.
SENTENCES = [
    "The two sides agreed to set up a working group on {s1} and {s2} before the end of {year}.",
    "{role} {visitor} said {city} had {n} projects in {s1} in Hanoi worth US${m} million.",
    "Delegates from {city} also visited {place} on {month} {day} to learn about {s1}.",
    "According to the Hanoi Department of Foreign Affairs, trade between Hanoi and {country} "
    "rose by {p}% in {year}, led by {s1}.",
    "The memorandum covers {s1}, {s2} and {s3}, with a first review planned for {year}.",
    "{visitor} invited Hanoi officials to a forum on {s1} in {city} next {month}.",
    "Some {n} {people} now live and work in Hanoi, many of them in {s1} and {s2}.",
    "Hanoi's Department of Planning and Investment counted {n} {adj} firms active in {s1} "
    "last year.",
    "{city} offered {m} scholarships a year for Hanoi students of {s1} and {s2}.",
    "A pilot on {s1} near {place} is to start in {month} with support from {city}.",
    "Both cities will share data on {s1} and hold {n} joint workshops on {s2}.",
    "The {adj} side proposed exchanges of experts in {s1} from {month} {year}.",
]
# Captions: a no-break space first, as on the seed pages.
CAPTIONS = [
    NBSP + "Delegates at the meeting. Photos: {photographer}/The Hanoi Times",
    NBSP + "Overview of the meeting." + NBSP,
    NBSP + "{role} {visitor} (r) and Hanoi leaders. Photos: {photographer}/The Hanoi Times",
    NBSP + "The signing ceremony in Hanoi on {month} {day}. Photo: {photographer}/The Hanoi Times",
    NBSP + "Participants visit {place}." + NBSP,
]

PARTNER_SWAPS = {
    # Longest first matters: the alternation below is sorted by length.
    "Gyeonggi Provincial Government": "{city} city government",
    "Gyeonggi Province": "{city}",
    "Gyeonggi": "{city}",
    "Seoul Metropolitan Council": "{city} City Council",
    "Seoul Metropolitan Government": "{city} city government",
    "Seoul's Dongdaemun District": "{city}",
    "Seoul": "{city}",
    "Busan": "{city2}",
    "Guangzhou": "{city}",
    "Quangzhou": "{city}",
    "South China University of Technology (SCUT)": "{city} University of Technology",
    "South Korea-invested": "{country}-invested",
    "South Koreans": "{people}",
    "South Korean": "{adj}",
    "South Korea": "{country}",
    "Republic of Korea": "{country}",
    "Koreans": "{people}",
    "Korean": "{adj}",
    "Korea": "{country}",
    "China": "{country}",
    "Chinese": "{adj}",
    "Kang Kum-sil": "{visitor}",
    "Kim Hyeonki": "{visitor}",
    "Guo Yonghang": "{visitor}",
    "Jang Kyungtae": "{visitor}",
    "Choi Youngsam": "{visitor}",
    "Youngsam": "{surname}",
    "Kim": "{surname}",
    "Guo": "{surname}",
    "Jang": "{surname}",
}
SWAP = re.compile(
    r"\b(?:" + "|".join(re.escape(k) for k in sorted(PARTNER_SWAPS, key=len, reverse=True)) + r")\b"
)
SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\bRep\.)(?<!\bMr\.)(?<!\bDr\.)\s+(?=[A-Z\u201c\"])")
BYLINE_A = re.compile(r"\d{1,2}:\d{2}, \d{4}/\d{1,2}/\d{1,2}\s*$")
DATELINE_B = re.compile(r"^[A-Z][a-z]{2} \d{2}, \d{4} / \d{2}:\d{2}\s*$")
FOOTER_START = ("RELATED NEWS", "TAG:", "Other news")
FIRST_DAY = date(2019, 1, 1)
DAYS = (date(2025, 12, 31) - FIRST_DAY).days + 1


def _template(text: str) -> str:
    """Turn seed text into a str.format template with the partner names as slots."""
    escaped = text.replace("{", "{{").replace("}", "}}")
    return SWAP.sub(lambda m: PARTNER_SWAPS[m.group(0)], escaped)


@dataclass
class SeedPools:
    """What the seed pages are made of, as templates: standfirsts, sentences, captions, footers."""

    standfirsts: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    other_news: list[tuple[str, str]] = field(default_factory=list)  # (headline, summary)


def read_seed_pools(seed_dir: str | Path = SEED_DIR) -> SeedPools:
    """Split the seed pages into standfirsts, body sentences, captions and footer items."""
    pools = SeedPools()
    files = sorted(Path(seed_dir).glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no seed articles (*.txt) in {seed_dir}")
    for path in files:
        lines = path.read_text(encoding="utf-8").split("\n")
        end = next(
            (i for i, line in enumerate(lines) if line.strip().startswith(FOOTER_START)),
            len(lines),
        )
        footer = [line.strip() for line in lines[end:] if line.strip()]
        for line in footer:
            if line.startswith("TAG:"):
                pools.tags.append(_template(line))
        after = footer[footer.index("Other news") + 1 :] if "Other news" in footer else []
        for i in range(0, len(after) - 2, 3):
            if BYLINE_A.match(after[i]):
                pools.other_news.append((after[i + 1], after[i + 2]))
        body = [line for line in lines[:end] if line.strip()]
        date_at = next(
            i for i, line in enumerate(body) if BYLINE_A.search(line) or DATELINE_B.match(line)
        )
        title_at = date_at - 1 if BYLINE_A.search(body[date_at]) else date_at + 1
        rest = body[max(date_at, title_at) + 1 :]
        pools.standfirsts.append(_template(rest[0].strip()))
        for line in rest[1:]:
            if line.startswith(NBSP):
                pools.captions.append(_template(line.rstrip()))
                continue
            for sentence in SENTENCE_END.split(line.strip()):
                if len(sentence.split()) >= 6:
                    pools.sentences.append(_template(sentence))
    return pools


def _pick(rnd, seq):
    """Return one item of seq; `rnd` is a Random's random() (cheaper than choice, as stable)."""
    return seq[int(rnd() * len(seq))]


def _between(rnd, low: int, high: int) -> int:
    """Return an integer from low to high inclusive."""
    return low + int(rnd() * (high - low + 1))


def _slots(rng: random.Random) -> dict[str, object]:
    """Draw the free values of one article: partner, visitor, role, photographer."""
    rnd = rng.random
    city, country, adj, people = _pick(rnd, WEIGHTED_PARTNERS)
    surname = _pick(rnd, SURNAMES)
    return {
        "city": city,
        "city2": _pick(rnd, PARTNERS)[0],
        "country": country,
        "adj": adj,
        "people": people,
        "surname": surname,
        "visitor": f"{_pick(rnd, GIVEN)} {surname}",
        "role": _pick(rnd, ROLES),
        "photographer": _pick(rnd, PHOTOGRAPHERS),
    }


class _Fresh(dict):
    """The article's slots plus values drawn when a template first asks for them."""

    __slots__ = ("rnd",)

    def __init__(self, slots: dict, rnd) -> None:
        super().__init__(slots)
        self.rnd = rnd

    def __missing__(self, key: str) -> object:
        rnd = self.rnd
        if key in ("s1", "s2", "s3"):
            taken = {self.get(k) for k in ("s1", "s2", "s3")}
            value = _pick(rnd, SECTOR_TERMS)
            while value in taken:
                value = _pick(rnd, SECTOR_TERMS)
        else:
            value = DRAWS[key](rnd)
        self[key] = value
        return value


# How each free value of a generated sentence is drawn.
DRAWS = {
    "n": lambda rnd: _between(rnd, 2, 480),
    "m": lambda rnd: _between(rnd, 3, 900),
    "p": lambda rnd: f"{_between(rnd, 2, 40)}.{_between(rnd, 0, 9)}",
    "year": lambda rnd: _between(rnd, 2019, 2027),
    "month": lambda rnd: _pick(rnd, MONTHS),
    "day": lambda rnd: _between(rnd, 1, 28),
    "place": lambda rnd: _pick(rnd, PLACES),
}


def _fresh(slots: dict, rnd) -> dict:
    """Return the article's slots, with sector, number, place and month values drawn on use."""
    return _Fresh(slots, rnd)


def make_article(pools: SeedPools, seed: int, index: int) -> str:
    """Return the text of synthetic article `index` for `seed` (the same every time)."""
    rng = random.Random(f"citylinks-benchmark-{seed}-{index}")
    rnd = rng.random
    slots = _slots(rng)
    published = FIRST_DAY + timedelta(days=int(rnd() * DAYS))
    hour, minute = _between(rnd, 6, 22), _between(rnd, 0, 59)
    title = _pick(rnd, TITLES).format_map(_fresh(slots, rnd))
    title = title[0].upper() + title[1:]
    lines = [_pick(rnd, NAV_LINES)]
    if rnd() < 0.6:  # layout A: breadcrumb, title, byline with authors
        authors = " - ".join(rng.sample(AUTHORS, 2)) if rnd() < 0.35 else _pick(rnd, AUTHORS)
        lines += [
            "Home / Hanoinews",
            title,
            f"{authors} {hour:02d}:{minute:02d}, {published:%Y/%m/%d}",
        ]
    else:  # layout B: date line first, title under it
        month = MONTH_ABBR[published.month - 1]
        lines += [f"{month} {published.day:02d}, {published.year} / {hour:02d}:{minute:02d}", ""]
        lines += [title, ""]
    standfirst = _pick(rnd, pools.standfirsts) + " " + _pick(rnd, SENTENCES)
    lines += [standfirst.format_map(_fresh(slots, rnd)), ""]

    n_paragraphs = _between(rnd, 5, 11)
    captions = {_between(rnd, 0, n_paragraphs - 1) for _ in range(_between(rnd, 1, 3))}
    sentences = pools.sentences
    for k in range(n_paragraphs):
        if k in captions:
            caption = _pick(rnd, pools.captions if rnd() < 0.6 else CAPTIONS)
            lines += [caption.format_map(_fresh(slots, rnd)), ""]
        parts = [_pick(rnd, sentences) for _ in range(_pick(rnd, (1, 1, 2, 2, 3)))]
        parts.insert(int(rnd() * (len(parts) + 1)), _pick(rnd, SENTENCES))
        lines += [" ".join(parts).format_map(_fresh(slots, rnd)), ""]

    if rnd() < 0.8:  # most pages end in related links, tags and other headlines
        tag = _pick(rnd, pools.tags).format_map(slots)
        lines += ["RELATED NEWS", f"{tag} {slots['city'].lower()}", "Other news"]
        day = published
        for _ in range(_between(rnd, 0, 4)):
            headline, summary = _pick(rnd, pools.other_news)
            day += timedelta(days=_between(rnd, 0, 3))
            stamp = f"{_between(rnd, 0, 23):02d}:{_between(rnd, 0, 59):02d}, {day:%Y/%m/%d}"
            lines += [stamp, headline, summary]
    return "\n".join(lines).rstrip("\n")


def article_name(seed: int, index: int) -> str:
    """Return the file name of article `index`: a sortable number and a short hash."""
    digest = hashlib.sha1(f"{seed}-{index}".encode()).hexdigest()[:16]
    return f"{index:06d}_{digest}.txt"


def _write_range(target: Path, seed: int, indices: range, seed_dir: str) -> int:
    """Write the articles numbered `indices`; return the bytes written."""
    pools = read_seed_pools(seed_dir)
    total = 0
    for index in indices:
        data = make_article(pools, seed, index).encode("utf-8")
        (target / article_name(seed, index)).write_bytes(data)
        total += len(data)
    return total


def make_corpus(
    target_dir: str | Path,
    n_articles: int,
    *,
    seed: int = 0,
    first: int = 0,
    workers: int = 1,
    seed_dir: str | Path = SEED_DIR,
) -> dict:
    """Write articles first … first+n_articles-1 of the corpus for `seed`; return its manifest.

    With `workers` > 1 the articles are written by that many processes; the files are the same."""
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    indices = range(first, first + n_articles)
    workers = max(1, min(workers, n_articles))
    if workers == 1:
        total = _write_range(target, seed, indices, str(seed_dir))
    else:
        from concurrent.futures import ProcessPoolExecutor

        step = -(-n_articles // workers)
        parts = [indices[i : i + step] for i in range(0, n_articles, step)]
        with ProcessPoolExecutor(workers) as pool:
            jobs = [pool.submit(_write_range, target, seed, part, str(seed_dir)) for part in parts]
            total = sum(job.result() for job in jobs)
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "first": first,
        "articles": n_articles,
        "bytes": total,
    }
    (target / MANIFEST).write_text(json.dumps(manifest) + "\n", encoding="utf-8")
    return manifest


def read_manifest(target_dir: str | Path) -> dict | None:
    """Return the manifest of a generated corpus, or None when there is none."""
    path = Path(target_dir) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    """Command line: write a synthetic corpus and say how big it is and how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="how many articles")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write them to")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same files (default 0)")
    parser.add_argument(
        "--first", type=int, default=0, help="number of the first article (to add to a corpus)"
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes (default: one a core)"
    )
    args = parser.parse_args(argv)
    if args.articles < 1 or args.first < 0:
        parser.error("--articles must be at least 1 and --first not negative")
    started = time.perf_counter()
    manifest = make_corpus(
        args.out, args.articles, seed=args.seed, first=args.first, workers=args.workers
    )
    seconds = time.perf_counter() - started
    print(
        f"{args.articles:,} articles, {manifest['bytes'] / 1e6:.1f} MB "
        f"({manifest['bytes'] / args.articles / 1e3:.2f} KB each) written to {args.out} "
        f"in {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
