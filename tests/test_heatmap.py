"""The linked heatmap: rows and counted cells lead to the evidence."""

from __future__ import annotations

import pandas as pd

from citylinks.heatmap import sector_heatmap_html


def test_heatmap_rows_and_counted_cells_link_to_their_evidence():
    trends = pd.DataFrame(
        {
            "period": ["2024Q1", "2024Q2", "2024Q1", "2024Q2"],
            "sector": ["health", "health", "rail", "rail"],
            "label": ["Health & care", "Health & care", "Rail", "Rail"],
            "mentions": [4, 0, 1, 2],
            "per_1000_words": [8.0, 0.0, 2.0, 4.0],
            "articles_in_period": [3, 1, 3, 1],
        }
    )
    markup = sector_heatmap_html(trends, top=5, csv_href="data/chart_sector_heatmap.csv")
    assert '<a href="evidence-sectors.html#sector-health">Health &amp; care</a>' in markup
    assert 'href="evidence-sectors.html#sector-health-2024q1">8.0</a>' in markup
    assert "evidence-sectors.html#sector-health-2024q2" not in markup  # no mention: no link
    assert markup.index("Health &amp; care") < markup.index(">Rail<")  # most mentioned first
    assert 'class="cl-thin"' in markup  # a period of one article is marked
    assert 'href="data/chart_sector_heatmap.csv"' in markup
