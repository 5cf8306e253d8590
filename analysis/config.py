"""Paths and run settings, anchored at the package rather than the working directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
SAMPLE_DIR = DATA_DIR / "sample"
SAMPLE_ESSAY = SAMPLE_DIR / "000_66efea22227603e2.txt"
CORPORA_DIR = DATA_DIR / "corpora"
LEXICON_DIR = DATA_DIR / "lexicon"
DEFAULT_LEXICON = LEXICON_DIR / "governance.yaml"
REPORTS_DIR = PROJECT_DIR / "reports"

#: Name of the per-user cache directory (segmenter dictionaries, segmentation cache).
APP_NAME = "zhgov-analysis"


def cache_dir() -> Path:
    """Per-user cache directory (created on demand), e.g. ``~/.cache/zhgov-analysis`` on Linux."""
    import platformdirs

    path = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class RunConfig:
    """The settings a notebook's ``parameters`` cell fills."""

    corpus: Path = SAMPLE_DIR
    lexicon: Path = DEFAULT_LEXICON
    top_n: int = 20
    keep_duplicates: bool = False
