"""Where things live: every default path of the project is built here, and only here."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "config"
NOTEBOOK_DIR = ROOT / "notebooks"
DEFAULT_CORPUS = ROOT / "corpus"
DEFAULT_OUT = ROOT / "reports"
DEFAULT_WORK = ROOT / "build"
DEFAULT_LEXICON = CONFIG_DIR / "sectors.yaml"
DEFAULT_GAZETTEER = CONFIG_DIR / "partners.yaml"
DEFAULT_OUTLETS = CONFIG_DIR / "outlets.yaml"
DEFAULT_ENGAGEMENTS = CONFIG_DIR / "engagements.yaml"
DEFAULT_ORGANISATIONS = CONFIG_DIR / "organisations.yaml"
DEFAULT_PEOPLE = CONFIG_DIR / "people.yaml"
DEFAULT_SUBDIVISIONS = CONFIG_DIR / "subdivisions.yaml"
# The evidence pages, beside the reports in the out folder: (file, title in the navigation).
SECTOR_EVIDENCE_PAGE = "evidence-sectors.html"
PARTNER_EVIDENCE_PAGE = "evidence-partners.html"
EVIDENCE_PAGES = [
    (SECTOR_EVIDENCE_PAGE, "Evidence: sectors"),
    (PARTNER_EVIDENCE_PAGE, "Evidence: partners"),
]


def resolve(path: str | Path) -> Path:
    """Return an absolute path; a relative one is taken from the project root."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (ROOT / p).resolve()


def data_dir(out_dir: str | Path) -> Path:
    """Return the folder of the CSV tables behind a set of reports."""
    return resolve(out_dir) / "data"
