"""The bundled corpora are exactly the files their MANIFEST.csv describes: same bytes, same length, no strays."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

CORPORA_DIR = Path(__file__).resolve().parent.parent / "data" / "corpora"
CORPORA = ["gov-work-reports", "cpc-congress-reports"]
COLUMNS = ["file", "year", "title", "source_repo", "source_path", "source_commit", "sha256", "chars"]


def manifest(name: str) -> list[dict[str, str]]:
    with open(CORPORA_DIR / name / "MANIFEST.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = [pytest.param(name, row, id=row["file"]) for name in CORPORA for row in manifest(name)]


@pytest.mark.parametrize("name", CORPORA)
def test_manifest_has_the_provenance_columns(name):
    with open(CORPORA_DIR / name / "MANIFEST.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == COLUMNS


@pytest.mark.parametrize("name, row", ROWS)
def test_file_matches_its_manifest_sha256_and_char_count(name, row):
    path = CORPORA_DIR / name / row["file"]
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == row["sha256"], f"{path} differs from the bytes its manifest row records"
    assert len(data.decode("utf-8")) == int(row["chars"]), f"{path}: character count differs from the manifest"


@pytest.mark.parametrize("name", CORPORA)
def test_every_manifest_row_has_a_file_and_every_file_a_row(name):
    listed = [row["file"] for row in manifest(name)]
    present = sorted(p.name for p in (CORPORA_DIR / name).glob("*.txt"))
    assert len(listed) == len(set(listed)), f"{name}/MANIFEST.csv lists a file twice"
    assert sorted(listed) == present, (
        f"{name}: rows without a file {sorted(set(listed) - set(present))}, "
        f"files without a row {sorted(set(present) - set(listed))}"
    )


@pytest.mark.parametrize("name", CORPORA)
def test_manifest_years_are_four_digit_and_unique(name):
    years = [row["year"] for row in manifest(name)]
    assert all(y.isdigit() and len(y) == 4 for y in years)
    assert len(years) == len(set(years)), f"{name}: two documents share a year"
