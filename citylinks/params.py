"""Run parameters: names, defaults, meanings and checks, in one table for the runner and README."""

from __future__ import annotations

import re
from dataclasses import dataclass

from citylinks.errors import ParameterError


@dataclass(frozen=True)
class Param:
    """One notebook parameter: its default, kind, meaning and an example value."""

    name: str
    default: object
    kind: type
    help: str
    example: str
    choices: tuple = ()


PARAMS: dict[str, Param] = {
    p.name: p
    for p in [
        Param(
            "start",
            "",
            str,
            "first publish date to analyse, YYYY-MM-DD (empty: from the first)",
            "2024-01-01",
        ),
        Param(
            "end",
            "",
            str,
            "last publish date to analyse, YYYY-MM-DD (empty: to the last)",
            "2024-12-31",
        ),
        Param(
            "period",
            "auto",
            str,
            "time step of the trend charts ('auto' picks one from the date span)",
            "quarter",
            ("auto", "month", "quarter", "year"),
        ),
        Param("top_sectors", 8, int, "how many sectors the trend charts and evidence show", "10"),
        Param(
            "sectors_file",
            "config/sectors.yaml",
            str,
            "sector lexicon (YAML)",
            "config/my-sectors.yaml",
        ),
        Param(
            "partners_file",
            "config/partners.yaml",
            str,
            "partner gazetteer (YAML)",
            "config/my-partners.yaml",
        ),
        Param(
            "outlets_file",
            "config/outlets.yaml",
            str,
            "news outlets: names, datelines, date order and page furniture (YAML)",
            "config/my-outlets.yaml",
        ),
        Param(
            "home_city",
            "Hanoi",
            str,
            "the city whose partners are traced (never a partner itself)",
            "Hanoi",
        ),
        Param(
            "home_country",
            "VN",
            str,
            "ISO code of the home country (its places are never partners)",
            "VN",
        ),
        Param(
            "partner_level",
            "city",
            str,
            "level partners are charted at (districts roll up to cities, cities to countries)",
            "country",
            ("district", "city", "province", "country"),
        ),
        Param("top_partners", 12, int, "how many partners the charts show", "20"),
        Param(
            "furniture_min_articles",
            3,
            int,
            "a line repeated in this many distinct stories is page furniture",
            "5",
        ),
        Param("max_file_mb", 10.0, float, "larger files are quarantined, not read", "50"),
        Param("table_rows", 50, int, "rows shown in each report table (the CSV has all)", "200"),
        Param(
            "workers", 0, int, "worker processes for the per-article work (0: one per core)", "2"
        ),
    ]
}

# Parameters the runner sets itself (from --corpus/--out/--work), listed for the notebooks.
PATH_PARAMS = ("corpus_dir", "work_dir", "out_dir", "cache_dir")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_param(name: str, raw: str) -> object:
    """Turn a command-line `-p NAME VALUE` into a checked value, or say what is wrong."""
    if name not in PARAMS:
        valid = ", ".join(sorted(PARAMS))
        raise ParameterError(
            f"unknown parameter '{name}'; valid names: {valid} "
            "(see python run_all.py --list-params)"
        )
    spec = PARAMS[name]
    try:
        value = spec.kind(raw)
    except ValueError:
        kind = {int: "a whole number", float: "a number", str: "text"}[spec.kind]
        raise ParameterError(
            f"parameter {name}={raw!r} must be {kind}, e.g. -p {name} {spec.example}"
        ) from None
    check_param(name, value)
    return value


def check_param(name: str, value: object) -> None:
    """Raise ParameterError if a parameter value is out of range or not a valid choice."""
    spec = PARAMS[name]
    if spec.choices and value not in spec.choices:
        raise ParameterError(f"parameter {name}={value!r} must be one of {', '.join(spec.choices)}")
    if name in ("start", "end") and value:
        from citylinks.dates import parse_iso_date

        if not DATE.fullmatch(str(value)) or parse_iso_date(str(value)) is None:
            raise ParameterError(
                f"parameter {name}={value!r} must be a date as YYYY-MM-DD, "
                f"e.g. -p {name} {spec.example}"
            )
    if spec.kind in (int, float) and value < 0:
        raise ParameterError(f"parameter {name}={value!r} must not be negative")
    if (
        name in ("top_sectors", "top_partners", "table_rows", "furniture_min_articles")
        and value < 1
    ):
        raise ParameterError(f"parameter {name}={value!r} must be at least 1")


def check_window(params: dict) -> None:
    """Raise ParameterError if the date window is empty (start after end)."""
    if params.get("start") and params.get("end") and params["start"] > params["end"]:
        raise ParameterError(f"start {params['start']} is after end {params['end']}; swap them")


def describe_params() -> str:
    """Return the parameters as a readable list: name, default, meaning, example."""
    lines = []
    for p in PARAMS.values():
        choices = f" [{'|'.join(p.choices)}]" if p.choices else ""
        lines.append(
            f"  {p.name:<24} default {p.default!r}{choices}\n"
            f"  {'':<24} {p.help}; e.g. -p {p.name} {p.example}"
        )
    return "\n".join(lines)
