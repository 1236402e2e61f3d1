"""Outlets: one name per outlet from credits, addresses and datelines; an outlet added as data."""

from __future__ import annotations

import pandas as pd
import pytest

from citylinks.corpus import clean_page
from citylinks.errors import ConfigError
from citylinks.outlets import (
    compile_outlets,
    list_missing_headers,
    load_outlets,
    name_outlet,
    outlet_of_credit,
    outlet_of_dateline,
    outlet_of_host,
    summarise_outlets,
)

OUTLETS = load_outlets()
LEAD = (
    "Hanoi and the Lao capital Vientiane agreed on Monday to exchange teachers and students "
    "between their universities."
)
MORE = "The two cities will also cooperate in urban planning along the Mekong and the Red River."


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("VNA", "Vietnam News Agency"),
        ("TTXVN", "Vietnam News Agency"),
        ("The Hanoi Times |", "The Hanoi Times"),  # no stray "|"
        ("Hanoi Times", "The Hanoi Times"),
        ("THE HANOI TIMES", "The Hanoi Times"),
        ("VGP |", "Vietnam Government Portal"),
        ("VTV.vn", "VTV"),
        ("english.vov.vn", "VOV"),  # an address written as the source
        ("Kinhtedothi", "Kinh te & Do thi"),
        ("Some Local Paper", "Some Local Paper"),  # unknown: kept, tidied
        ("", ""),
    ],
)
def test_one_name_per_outlet(raw, name):
    assert name_outlet(raw, OUTLETS) == name


@pytest.mark.parametrize(
    ("credit", "outlet"),
    [
        ("Thanh Hai/The Hanoi Times", "The Hanoi Times"),
        ("VNA/VNS", "Vietnam News Agency"),
        ("Kinhtedothi", "Kinh te & Do thi"),
        ("The Guardian", "The Guardian"),  # an outlet by its "The"
        ("Thanh Hai", ""),  # a photographer, no outlet
    ],
)
def test_photo_credits_name_the_outlet_not_the_photographer(credit, outlet):
    assert outlet_of_credit(credit, OUTLETS) == outlet


@pytest.mark.parametrize(
    ("host", "outlet"),
    [
        ("https://en.baoquocte.vn/some-story-301245.html", "The World & Vietnam Report"),
        ("hanoicapital.chinhphu.vn", "Vietnam Government Portal"),  # a subdomain of the site
        ("www.hanoitimes.vn", "The Hanoi Times"),
        ("https://www.example.org/news/1", "example.org"),  # unknown: its bare host
    ],
)
def test_addresses_name_their_outlet(host, outlet):
    assert outlet_of_host(host, OUTLETS) == outlet


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        (
            "Hanoi (VNA) – Vice Chairwoman Hoang Ngoc Diep received a delegation.",
            "Vietnam News Agency",
        ),
        ("VGP - More than 200 businesses gathered on June 20.", "Vietnam Government Portal"),
        ("VTV.vn - Hanoi and Saint Petersburg signed a programme.", "VTV"),
        ("THE HANOI TIMES — Hanoi hopes to tap Prague's experience.", "The Hanoi Times"),
        ("Hanoi - Seoul ties deepen as leaders meet", ""),  # a headline with a dash
        ("The VGP - its portal - said so.", ""),
    ],
)
def test_an_opening_dateline_names_the_outlet(line, outlet):
    assert outlet_of_dateline(line, OUTLETS) == outlet


# A thirteenth outlet, added as data only: its dateline, footer, furniture and date order.
THIRTEENTH = compile_outlets(
    [
        {
            "name": "Vientiane Times",
            "hosts": ["vientianetimes.org.la"],
            "credits": ["VT"],
            "datelines": ["(VT) -"],
            "footers": ["More on this topic"],
            "furniture": ["Subscribe to our e-paper", "Top"],
            "month_first": True,
        }
    ],
    fingerprint="test",
)


def test_a_new_outlet_is_read_from_its_entry_alone():
    text = "\n".join(
        [
            "Subscribe to our e-paper",
            "Hanoi, Vientiane agree on teacher exchanges",
            "04/02/2025",
            "",
            "Vientiane (VT) - " + LEAD,
            "",
            MORE,
            "",
            "Top",
            "",
            "More on this topic",
            "Laos, Thailand open a new bridge",
            "03/01/2025",
        ]
    )
    page = clean_page(text, outlets=THIRTEENTH)
    assert page.title == "Hanoi, Vientiane agree on teacher exchanges"
    assert page.outlet == "Vientiane Times"
    assert page.published == "2025-04-02"  # this outlet prints month first
    assert not any("swapped" in w for w in page.warnings)  # its order is known
    assert "Subscribe" not in page.text and "Thailand" not in page.text
    assert not page.text.endswith("Top")
    default = clean_page(text)  # without the entry: day first, and the ambiguity is noted
    assert default.published == "2025-02-04"
    assert any("swapped" in w for w in default.warnings)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("outlets: [\n", "not valid YAML"),
        ("publishers: []\n", "needs an 'outlets:' list"),
        ("outlets:\n  - hosts: [a.vn]\n", "needs a 'name'"),
        ("outlets:\n  - name: A\n    hosts: a.vn\n", "'hosts' must be a list"),
    ],
)
def test_a_broken_outlets_file_says_what_is_wrong(tmp_path, content, problem):
    path = tmp_path / "outlets.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        load_outlets(path)


def test_a_missing_outlets_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot be read"):
        load_outlets(tmp_path / "none.yaml")


def test_the_outlets_file_keys_the_cleaning_cache():
    # Cached cleanings are keyed by the file's content (load_articles puts it in the key).
    assert OUTLETS.fingerprint and THIRTEENTH.fingerprint != OUTLETS.fingerprint


ARTICLES = pd.DataFrame(
    {
        "article_id": ["a", "b", "c", "d"],
        "file": ["a.txt", "b.txt", "c.txt", "d.txt"],
        "status": ["ok", "ok", "duplicate", "quarantined"],
        "source": ["VOV", "", "VOV", "VOV"],
        "title": ["A title", "", "A title", ""],
        "published": ["2024-01-02", "", "", ""],
    }
)
AUDIT = pd.DataFrame(
    {
        "article_id": ["b", "b", "a"],
        "file": ["b.txt", "b.txt", "a.txt"],
        "zone": ["header", "header", "body"],
        "reason": ["navigation", "navigation", "photo caption"],
        "line": ["Log in", "Hanoi", "A caption"],
    }
)


def test_outlets_are_summarised_with_titles_and_dates_found():
    table = summarise_outlets(ARTICLES).set_index("outlet")
    assert table.loc["VOV"].tolist() == [2, 2, 1]  # the quarantined file is not read
    assert table.loc["(not stated)"].tolist() == [1, 0, 0]


def test_articles_missing_a_title_or_date_are_listed_with_their_header_lines():
    missing = list_missing_headers(ARTICLES, AUDIT).set_index("file")
    assert list(missing.index) == ["b.txt", "c.txt"]
    assert missing.loc["b.txt", "missing"] == "title and date"
    assert missing.loc["b.txt", "header lines seen"] == "Log in ⏎ Hanoi"
    assert missing.loc["c.txt", "missing"] == "date"
    assert missing.loc["c.txt", "header lines seen"].startswith("(none")
