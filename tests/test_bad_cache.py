"""Bad-input catalogue, the segmentation cache: unusable folders, damaged entries, clearing a damaged file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from analysis.config import LEXICON_DIR, PROJECT_DIR, SAMPLE_ESSAY
from analysis.engine import cache

LEX = str(LEXICON_DIR / "sample-concepts.csv")


def cli(*args, env=None):
    done = subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, cwd=PROJECT_DIR,
                          env={**os.environ, **(env or {})})
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
@pytest.mark.parametrize("kind", ["a file", "unwritable", "bad home"])
def test_an_unusable_cache_folder_means_one_notice_and_the_same_result(tmp_path, kind):
    status, expected, _ = cli("words", SAMPLE_ESSAY, "--lexicon", LEX, "-q", "--no-cache")
    if kind == "a file":
        (tmp_path / "cache").write_text("not a folder", encoding="utf-8")
        env = {"ZHGOV_CACHE_DIR": str(tmp_path / "cache")}
    elif kind == "unwritable":
        (tmp_path / "ro").mkdir()
        os.chmod(tmp_path / "ro", 0o500)
        env = {"ZHGOV_CACHE_DIR": str(tmp_path / "ro" / "cache")}
    else:
        env = {"ZHGOV_CACHE_DIR": "", "XDG_CACHE_HOME": str(tmp_path / "file"), "HOME": str(tmp_path / "nohome")}
        (tmp_path / "file").write_text("x", encoding="utf-8")
    if os.geteuid() == 0 and kind == "unwritable":
        pytest.skip("root may write anywhere")
    for command in (["words", SAMPLE_ESSAY, "--lexicon", LEX], ["audit", SAMPLE_ESSAY, "--lexicon", LEX],
                    ["keyness", SAMPLE_ESSAY, SAMPLE_ESSAY.parent.parent / "corpora" / "cpc-congress-reports",
                     "--level", "word", "--lexicon", LEX]):
        status, out, err = cli(*command, env=env)
        assert status == 0, err
        assert "internal error" not in err
        if command[0] == "words":
            assert out == expected
            assert err.count("working without the segmentation cache") == 1
    status, _, err = cli("cache", "--info", env=env)
    assert status == 2 and "cache folder cannot be used" in err and len(err.splitlines()) == 1


def test_damaged_cache_entries_are_recomputed_and_repaired(tmp_path):
    env = {"ZHGOV_CACHE_DIR": str(tmp_path)}
    status, expected, _ = cli("words", SAMPLE_ESSAY, "--lexicon", LEX, "-q", env=env)
    assert status == 0
    with sqlite3.connect(tmp_path / cache.FILE_NAME) as db:
        (key,) = db.execute("SELECT key FROM counts").fetchone()
        for bad in ("[1, 2, 3]", json.dumps({"党建引领": "abc"}), "not json"):
            db.execute("UPDATE counts SET words = ? WHERE key = ?", (bad, key))
            db.commit()
            status, out, err = cli("words", SAMPLE_ESSAY, "--lexicon", LEX, env=env)
            assert status == 0 and out == expected and "abc" not in out
            assert "1 damaged cache entr(ies) ignored" in err
    with sqlite3.connect(tmp_path / cache.FILE_NAME) as db:
        (words,) = db.execute("SELECT words FROM counts WHERE key = ?", (key,)).fetchone()
    assert isinstance(json.loads(words), dict)  # repaired


def test_cache_clear_clears_a_damaged_cache(tmp_path):
    (tmp_path / cache.FILE_NAME).write_bytes(b"this is not an sqlite file" * 100)
    env = {"ZHGOV_CACHE_DIR": str(tmp_path)}
    status, _, err = cli("cache", "--info", env=env)
    assert status == 2 and "cache --clear" in err
    status, _, err = cli("cache", "--clear", env=env)
    assert status == 0 and not (tmp_path / cache.FILE_NAME).exists()
