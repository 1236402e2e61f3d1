"""Report tables: partner and sector names link to their evidence, every cell escaped."""

from __future__ import annotations

import pandas as pd

from citylinks.report import table_html


def test_partner_names_link_to_their_section_and_stay_escaped():
    table = pd.DataFrame(
        {
            "partner": ["Seoul", "<b>Evil</b> & co"],
            "sentence": ["<i>x</i>", "plain"],
            "count": [2, 1],
        }
    )
    markup = table_html(table, top=10, csv_href="data/t.csv")
    assert '<a href="evidence-partners.html#partner-seoul">Seoul</a>' in markup
    assert "<b>Evil</b>" not in markup and "<i>x</i>" not in markup
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; co</a>" in markup and "&lt;i&gt;x&lt;/i&gt;" in markup


def test_a_sector_row_of_a_period_links_that_period_when_it_has_mentions():
    trends = pd.DataFrame(
        {
            "period": ["2024Q1", "2024Q2"],
            "sector": ["urban_rail", "urban_rail"],
            "label": ["Urban rail", "Urban rail"],
            "mentions": [3, 0],
        }
    )
    markup = table_html(trends, top=10, csv_href=None)
    assert 'href="evidence-sectors.html#sector-urban-rail-2024q1">Urban rail</a>' in markup
    assert 'href="evidence-sectors.html#sector-urban-rail">Urban rail</a>' in markup  # no mention
    assert "2024q2" not in markup


def test_tables_without_names_or_with_links_off_are_as_before():
    table = pd.DataFrame({"partner": ["Seoul"], "file": ["<a.txt>"]})
    markup = table_html(table, top=10, csv_href=None, link_names=False)
    assert "<a href" not in markup and "&lt;a.txt&gt;" in markup
    plain = pd.DataFrame({"file": ["a.txt"], "words": [10]})
    assert "<a href" not in table_html(plain, top=10, csv_href=None)
