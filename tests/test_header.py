"""Reading a page's header: the headline, the publish date and scraper metadata, whatever the layout."""

from __future__ import annotations

import pytest

from citylinks.corpus import clean_page
from citylinks.header import find_caption, in_other_language, is_prose, split_authors

TITLE = "Hanoi, Busan agree to expand metro cooperation"
LEAD = (
    "Hanoi and the South Korean port city of Busan agreed on Monday to expand cooperation "
    "in urban railway construction and operation."
)
MORE = [
    "Busan's metro operator offered to train Hanoi engineers in signalling and maintenance.",
    "The city's transport department said the first trainees would leave before the end of "
    "the year.",
]


def body(lead: str = LEAD) -> list[str]:
    return [lead, "", MORE[0], "", MORE[1]]


def page(*header: str, lead: str = LEAD) -> str:
    return "\n".join([*header, "", *body(lead)])


# Each layout: the header lines above the lead, the title and date it gives.
LAYOUTS = {
    "title then byline with authors": (
        page("Home / News", TITLE, "Ngoc Mai 15:37, 2024/03/22"),
        TITLE,
        "2024-03-22",
    ),
    "date line above the title": (page("Nov 06, 2024 / 16:06", "", TITLE), TITLE, "2024-11-06"),
    "banner in capitals, log-in and section above": (
        page(
            "80TH ANNIVERSARY OF THE AUGUST REVOLUTION AND NATIONAL DAY", "Log in", "Hanoi", TITLE
        ),
        TITLE,
        "",
    ),
    "slogan and menus in another language": (
        page("Việt Nam vươn mình trong kỷ nguyên mới", "Đăng ký ấn phẩm|Đăng nhập", TITLE),
        TITLE,
        "",
    ),
    "weekday and day-first date under the title": (
        page(TITLE, "", "Thứ Ba, 12/11/2024 16:20"),
        TITLE,
        "2024-11-12",
    ),
    "time zone after the date": (
        page(TITLE, "", "June 21, 2024 9:05 AM GMT+7"),
        TITLE,
        "2024-06-21",
    ),
    "byline initials glued to the date": (
        page(TITLE, "", "by H.L24 October 2019 Last updated at 15:32 PM"),
        TITLE,
        "2019-10-24",
    ),
    "ISO stamp straight above the lead": (
        page(TITLE, "", "2018-05-10 14:30:48"),
        TITLE,
        "2018-05-10",
    ),
    "menus, title, stamp, source and a year-less dateline": (
        page(
            "Press Releases",
            "Newsroom",
            "Log In",
            TITLE,
            "August 9, 2019, 03:12 GMT",
            "Source: Viet Nam News",
            "VIETNAM, August 9 -",
        ),
        TITLE,
        "2019-08-09",
    ),
    "date, pipe and time zone before the title": (
        page("January 15, 2020 | 19:45 (GMT+7)", TITLE),
        TITLE,
        "2020-01-15",
    ),
    "publish date label with a view count": (
        page(TITLE, "Publish date 14/03/2024 | 10:11 AM | View count: 14"),
        TITLE,
        "2024-03-14",
    ),
    "weekday, time and day-first date": (
        page(TITLE, "Friday, 23:11, 03/07/2015"),
        TITLE,
        "2015-07-03",
    ),
    "month name, time and GMT": (page(TITLE, "May 09, 2024 8:52 AM GMT+7"), TITLE, "2024-05-09"),
    "first publication wins over last updated": (
        page(TITLE, "Updated: 05/05/2024 | Posted: 03/05/2024"),
        TITLE,
        "2024-05-03",
    ),
    "byline under the standfirst": (
        "\n".join(
            [
                TITLE,
                "A short summary that ends with a full stop, as standfirsts do.",
                "By Lan Anh, March 3, 2024",
                "",
                *body(),
            ]
        ),
        TITLE,
        "2024-03-03",
    ),
    "title glued to an image marker and its caption": (
        page(f"{TITLE} hinh anh 1Delegates at the meeting in Hanoi on March 2, 2024 (Source: VNA)"),
        TITLE,
        "",
    ),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_headline_and_date_are_found_whatever_the_layout(layout):
    text, title, published = LAYOUTS[layout]
    page_ = clean_page(text)
    assert (page_.title, page_.published) == (title, published)
    assert LEAD in page_.text  # the lead is never lost to the header


@pytest.mark.parametrize(
    "dateline",
    [
        "Hanoi (VNA) – ",
        "VGP - ",
        "VTV.vn - ",
        "THE HANOI TIMES — ",
        "WVR - ",
        "ULAANBAATAR — ",
        "HÀ NỘI — ",  # capitals with diacritics
        "PANO - ",
    ],
)
def test_an_opening_dateline_is_the_body_never_the_title(dateline):
    with_title = clean_page(page(TITLE, lead=dateline + LEAD))
    assert with_title.title == TITLE
    assert (dateline + LEAD).strip() in with_title.text
    without = clean_page(page(lead=dateline + LEAD).lstrip("\n"))
    assert without.title == ""  # no headline: left empty, never a body sentence
    assert any("no headline found" in w for w in without.warnings)


@pytest.mark.parametrize(
    "line",
    [
        "80TH ANNIVERSARY OF THE AUGUST REVOLUTION AND NATIONAL DAY",  # banner in capitals
        "HANOI INTERNATIONAL COLLABORATION",  # section label in capitals
        "Log in",
        "Việt Nam vươn mình trong kỷ nguyên mới",  # slogan in Vietnamese
        "Home / Hanoinews",
        "News › Politics › Hanoi",  # a breadcrumb without "Home"
        "Reactions:",
    ],
)
def test_interface_lines_are_never_the_title(line):
    page_ = clean_page(page(line, lead=LEAD))
    assert page_.title != line and line not in page_.text


@pytest.mark.parametrize(
    "line",
    [
        "VIETNAM, March 11 -",  # a year-less dateline
        "14 Aug, 10:05",  # a related-news stamp without a year
    ],
)
def test_a_date_without_a_year_is_not_a_publish_date(line):
    page_ = clean_page(page(TITLE, line))
    assert page_.published == "" and page_.title == TITLE


def test_yaml_front_matter_gives_title_date_author_url_and_outlet():
    text = "\n".join(
        [
            "---",
            f"title: {TITLE}",
            "author: Thu Ha",
            "url: https://english.vov.vn/en/politics/post978214.vov",
            "hostname: english.vov.vn",
            "date: 2022-09-29",
            "---",
            "VOV.VN - " + LEAD,
            *MORE,
        ]
    )
    page_ = clean_page(text)
    assert (page_.title, page_.published, page_.date_source) == (
        TITLE,
        "2022-09-29",
        "scraper metadata",
    )
    assert page_.authors == ["Thu Ha"] and page_.outlet == "VOV"
    assert page_.url.endswith("post978214.vov")
    assert "hostname" not in page_.text and "VOV.VN - " + LEAD in page_.text


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("Date: 04/02/2025", "2025-02-04"),  # day first: 4 February
        ("Published: March 21, 2024", "2024-03-21"),
        ("Date: 2024-03-22T10:00:00+07:00", "2024-03-22"),
    ],
)
def test_scraper_lines_above_the_text_are_metadata(line, published):
    text = "\n".join(
        [
            line,
            "Source: https://en.baoquocte.vn/a-story-301245.html",
            "Description: Hanoi and Busan will train metro engineers together",
            TITLE,
            "",
            *body(),
        ]
    )
    page_ = clean_page(text)
    assert (page_.title, page_.published) == (TITLE, published)
    assert page_.outlet == "The World & Vietnam Report"
    assert page_.url == "https://en.baoquocte.vn/a-story-301245.html"
    assert "Source:" not in page_.text and "Description" not in page_.text


def test_an_ambiguous_day_and_month_of_an_unknown_outlet_is_noted():
    page_ = clean_page(page(TITLE, "04/02/2025"))
    assert page_.published == "2025-02-04"
    assert any("could be swapped" in w for w in page_.warnings)
    clear = clean_page(page(TITLE, "24/02/2025"))
    assert clear.published == "2025-02-24" and not any("swapped" in w for w in clear.warnings)


def test_footer_dates_are_never_taken_even_when_the_header_has_none():
    text = "\n".join(
        [TITLE, "", *body(), "", "Các tin đã đăng", "Hanoi attends a forum in Ankara (05/03/2019)"]
    )
    assert clean_page(text).published == ""
    text = "\n".join([TITLE, "", *body(), "", "Other news", "2018-05-09 16:02:11"])
    assert clean_page(text).published == ""


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("Ngoc Mai - Van Ha", ["Ngoc Mai", "Van Ha"]),
        ("By Ngoc Mai and Lien Ha", ["Ngoc Mai", "Lien Ha"]),
        ("by H.L", ["H.L"]),
        ("Publish date", []),
        ("Friday, 23:11,", []),
        ("Thứ Ba,", []),
    ],
)
def test_authors_are_the_names_before_the_date_not_labels_or_weekdays(byline, authors):
    assert split_authors(byline) == authors


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        (
            "Delegates at the meeting. Photos: Thanh Hai/The Hanoi Times",
            "Thanh Hai/The Hanoi Times",
        ),
        ("The relic site in Hanoi. (Source: VNA)", "VNA"),
        ("Khu di tích Hoàng thành Thăng Long. (Nguồn: TTXVN)", "TTXVN"),
        ("A delegation meets Ulaanbaatar city leaders. — VNA/VNS Photo", "VNA/VNS"),
        ("Vice Chairwoman Nguyen Thu Hang and the delegation in Hanoi on January 14 |", ""),
        ("\u00a0Overview of the meeting.", ""),
        ("The photos show a new rail line.", None),
        ("Source of the quote: the city's press office said so in a statement.", None),
    ],
)
def test_captions_and_their_credits(line, credit):
    assert find_caption(line) == credit


@pytest.mark.parametrize(
    ("line", "prose"),
    [
        (LEAD, True),
        (TITLE, False),
        ("Overview of the meeting.", False),  # short: a caption, not a sentence of the body
        ("Will Hanoi's new metro lines be finished on time this year?", False),  # a headline
    ],
)
def test_prose_is_a_sentence_of_eight_words_or_more(line, prose):
    assert is_prose(line) is prose


@pytest.mark.parametrize(
    ("line", "other"),
    [
        ("Việt Nam vươn mình trong kỷ nguyên mới", True),
        ("Mời quý độc giả theo dõi VOV.VN trên", True),
        ("Hà Nội, Ulaanbaatar agree to expand cooperation in education, farm trade", False),
        ("Hà Nội and Fukuoka boost tourism ties", False),
        (TITLE, False),
    ],
)
def test_lines_in_another_language(line, other):
    assert in_other_language(line, line.split()) is other


def test_a_headline_with_a_dash_is_not_a_dateline():
    title = "US - Vietnam trade ties grow as leaders meet"
    page_ = clean_page(page("Home / World", title, "March 3, 2024"))
    assert page_.title == title


def test_a_page_repeating_its_front_matter_title_keeps_it_out_of_the_body():
    text = "\n".join(
        ["---", f"title: {TITLE}", "date: 2024-03-02", "---", TITLE, "March 2, 2024", "", *body()]
    )
    page_ = clean_page(text)
    assert (page_.title, page_.published) == (TITLE, "2024-03-02")
    assert page_.text.startswith(f"{TITLE}\n\n{LEAD}") and page_.text.count(TITLE) == 1
