"""The provenance of a result: what went in, with which options, and what cleaning did.

A number in a paper must be reproducible a year later. :func:`collect` gathers
everything needed to redo a run — the input files with their SHA-256 hashes,
the lexicon's name, version and hash, the options, the cleaning steps and what
each removed, the documents skipped and why, and the versions of Python and of
the packages that compute the numbers — into a plain ``dict``.
(:mod:`analysis.present.report_provenance` renders records for reports), and
:func:`write` saves it as JSON or YAML (``--provenance FILE`` on the command
line).

The date of the run is the only entry that changes between identical runs;
it is kept in the provenance record only, never in a result table, so result
CSV files stay byte-identical.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import platform
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path

import pandas as pd
import yaml

from analysis import __version__
from analysis.config import RATE_BASE
from analysis.errors import OutputError
from analysis.present.atomic import write_atomically
from analysis.present.citation import lexicon_citation, lexicon_record, software_citation, statistics_of

#: Packages whose versions can change a number (and are reported).
PACKAGES = ("pandas", "numpy", "jieba", "rjieba", "ahocorasick_rs", "opencc", "stopwordsiso", "openpyxl", "gensim",
            "pypdfium2", "python_docx", "trafilatura")
#: Commands that segment text into words (jieba, with the lexicon's terms kept whole).
SEGMENTING = ("words", "audit")
SUFFIXES = (".json", ".yaml", ".yml")
#: Options never recorded: where the results go is not how they were made.
_NOT_OPTIONS = {"output", "provenance", "quiet", "command"}


def sha256_file(path: str | Path, *, chunk: int = 1 << 20) -> str:
    """SHA-256 hex digest of a file's bytes, read in chunks.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "a.txt")
    ...     _ = open(p, "wb").write("协商民主".encode("utf-8"))
    ...     sha256_file(p)[:12]
    '73c785339199'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()


def versions() -> dict[str, str]:
    """Versions of Python, this package and the packages that compute the numbers (``""`` if absent)."""
    found = {"python": platform.python_version(), "analysis": __version__}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name.replace("_", "-"))
        except metadata.PackageNotFoundError:
            try:
                found[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                found[name] = ""
    return found


def collect(
    corpus=None,
    lexicon=None,
    *,
    options: Mapping | None = None,
    command: Sequence[str] | None = None,
    output: str | Path | None = None,
    created: str | None = None,
) -> dict:
    """Everything needed to redo a run, as a JSON-compatible ``dict``.

    Parameters
    ----------
    corpus : Corpus, optional
        The corpus counted: its documents (paths, hashes, characters), the
        documents skipped and why, and the cleaning report.
    lexicon : Lexicon, optional
        The lexicon used: name, version, path, SHA-256, numbers of concepts and terms.
    options : mapping, optional
        The options of the run (e.g. ``vars(args)`` of the CLI); ``output``,
        ``provenance``, ``quiet`` and private (``_``) entries are left out.
    command : sequence of str, optional
        The command line, recorded as ``python -m analysis ...``.
    output : path, optional
        The result file, recorded by name (its hash is not: a provenance is
        written beside it, not about its bytes).
    created : str, optional
        The date recorded (ISO 8601); default: now, in UTC.

    Returns
    -------
    dict
        Keys ``created``, ``command``, ``output``, ``inputs`` (``path``,
        ``sha256``, ``documents`` per input file), ``documents`` (``given``,
        ``counted``, ``skipped`` with ``doc``, ``path``, ``reason``),
        ``encodings`` (``encoding``, ``documents``) and, when the documents
        have a numeric ``year``, ``years`` (``first``, ``last``)), ``cleaning``
        (``step``, ``changed``, ``documents`` per step that ran), ``lexicon``
        (:func:`analysis.present.citation.lexicon_record` and its
        ``citation``), ``options``, ``method`` (``command``, ``rate_per``:
        the characters rates are given per, ``segmented``, ``statistics``
        with their references), ``citation`` (``software``), ``versions``.

    Examples
    --------
    >>> from analysis import corpus, lexicon
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> record = collect(corpus.build(SAMPLE_ESSAY), lexicon.load(LEXICON_DIR / "sample-concepts.csv"))
    >>> record["documents"]["counted"], [c["changed"] for c in record["cleaning"] if c["step"] == "duplicates"]
    (1, [7])
    >>> record["lexicon"]["name"], record["lexicon"]["concepts"]
    ('sample-concepts', 3)
    """
    record: dict = {
        "created": created or _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "command": "python -m analysis " + " ".join(_quote(a) for a in command) if command else "",
        "output": str(output) if output else "",
    }
    if corpus is not None:
        docs, skipped = corpus.docs, corpus.skipped
        files = docs.assign(file=docs.path.str.split("#").str[0])
        inputs = (files.groupby("file", sort=False)
                  .agg(sha256=("sha256", "first"), documents=("doc", "size")).reset_index())
        skipped_files = sorted(set(skipped.path.str.split("#").str[0]) - set(inputs.file))
        record["inputs"] = [{"path": f, "sha256": h, "documents": int(n)}
                            for f, h, n in inputs.itertuples(index=False)]
        record["inputs"] += [{"path": f, "sha256": _hash_or_blank(f), "documents": 0} for f in skipped_files]
        record["documents"] = {
            "given": int(len(docs) + len(skipped)),
            "counted": int(len(docs)),
            "chars": int(docs.chars.sum()),
            "skipped": [{"doc": str(d), "path": str(p), "reason": str(r)}
                        for d, p, r in skipped.itertuples(index=False)],
            "encodings": [{"encoding": str(e), "documents": int(n)}
                          for e, n in docs.encoding.value_counts(sort=True).items()],
        }
        years = pd.to_numeric(docs["year"], errors="coerce").dropna() if "year" in docs.columns else pd.Series([])
        if len(years):
            record["documents"]["years"] = {"first": int(years.min()), "last": int(years.max())}
        report = corpus.report
        record["cleaning"] = [
            {"step": step,
             "changed": int(report.changed[report.step == step].sum()),
             "documents": int(((report.step == step) & (report.changed > 0)).sum())}
            for step in corpus.steps()
        ]
    if lexicon is not None:
        record["lexicon"] = lexicon_record(lexicon)
        record["lexicon"]["citation"] = lexicon_citation(record["lexicon"])
    record["options"] = {k: _plain(v) for k, v in sorted((options or {}).items())
                         if k not in _NOT_OPTIONS and not k.startswith("_")}
    name = (options or {}).get("command")
    record["method"] = {
        "command": name or "",
        "rate_per": RATE_BASE,
        "segmented": name in SEGMENTING or (name == "keyness" and (options or {}).get("level") == "word"),
        "statistics": statistics_of(name),
    }
    record["citation"] = {"software": software_citation()}
    record["versions"] = versions()
    return record


def check_path(path: str | Path) -> Path:
    """Check a provenance file name before the run writes anything; return it as a Path.

    Raises
    ------
    OutputError
        For a suffix other than ``.json``, ``.yaml``, ``.yml``, or a folder.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name such as {path / 'provenance.json'}")
    if path.suffix.lower() not in SUFFIXES:
        raise OutputError(f"{path}: unknown provenance format '{path.suffix or '(none)'}'; "
                          "name the file .json or .yaml")
    return path


def dumps(record: Mapping, *, fmt: str = "json") -> str:
    """The record as JSON (keys in insertion order, non-ASCII kept) or YAML text."""
    if fmt == "json":
        return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(dict(record), allow_unicode=True, sort_keys=False)


def write(record: Mapping, path: str | Path) -> Path:
    """Write a provenance record to ``path`` (``.json`` or ``.yaml``), atomically, as UTF-8.

    Raises
    ------
    OutputError
        For an unknown suffix or a path that cannot be written.
    """
    path = check_path(path)
    text = dumps(record, fmt="json" if path.suffix.lower() == ".json" else "yaml")
    write_atomically(path, lambda handle: handle.write(text.encode("utf-8")))
    return path


def _plain(value):
    """Option values as JSON-compatible values (paths and tuples as text and lists)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _quote(arg: str) -> str:
    return arg if arg and all(c not in arg for c in " \t'\"") else json.dumps(arg, ensure_ascii=False)


def _hash_or_blank(path: str) -> str:
    try:
        return sha256_file(path)
    except OSError:
        return ""
