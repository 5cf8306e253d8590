"""Every exception the package raises for a user's mistake, and the notice type.

One type per kind of mistake; each message says what is wrong, where, and what
to do, in the package's own terms (parameter names, never command-line flags).
When a mistake concerns one setting, ``parameter`` names it (e.g.
``"text_column"``): the command line adds its flag to the message, a notebook
shows the message as it is. The CLI prints these as ``error: ...`` with exit
status 2.
"""

from __future__ import annotations


class AnalysisError(Exception):
    """Base class of every error a user can cause; the message says what, where and what to do.

    Parameters
    ----------
    message : str
        The sentence shown to the user.
    parameter : str, optional
        The setting the mistake concerns (``"sheet"``, ``"jobs"``, ...).

    Examples
    --------
    >>> err = InputError("t.csv: has no column 'text'; name the text column", parameter="text_column")
    >>> str(err), err.parameter
    ("t.csv: has no column 'text'; name the text column", 'text_column')
    """

    def __init__(self, message: str = "", *, parameter: str | None = None):
        super().__init__(message)
        self.parameter = parameter

    def __reduce__(self):  # keep ``parameter`` when raised in a worker process
        return (_rebuild, (type(self), str(self), self.parameter))


def _rebuild(kind: type, message: str, parameter: str | None) -> AnalysisError:
    return kind(message, parameter=parameter)


class InputError(AnalysisError):
    """A path, file, table, column or setting given as input cannot be used."""


class DecodeError(InputError):
    """A text file is binary or cannot be decoded in any supported encoding."""


class LexiconError(AnalysisError):
    """The concept dictionary is malformed (missing columns, empty or duplicate terms, ...)."""


class CodebookError(LexiconError):
    """A coding scheme (codebook) or a coding worksheet is malformed (unknown code, missing source, ...)."""


class OutputError(AnalysisError):
    """An output file cannot be written."""


class CacheError(AnalysisError):
    """The segmentation cache cannot be read or written."""


class EngineError(AnalysisError):
    """The chosen engine cannot run: Dask is not installed, or its scheduler cannot be reached."""


class FontError(AnalysisError):
    """No usable CJK font, or the chosen font lacks glyphs for the text to draw."""


class NotebookError(AnalysisError):
    """A notebook failed while building reports (names the notebook and the cell).

    ``user_error`` is true when the cell raised one of the project's own
    errors (a bad corpus, lexicon or font: the user can fix it), false for
    anything else (a bug: please report it).
    """

    def __init__(self, message: str = "", *, user_error: bool = False, parameter: str | None = None):
        super().__init__(message, parameter=parameter)
        self.user_error = user_error

    def __reduce__(self):
        return (NotebookError, (str(self),), {"user_error": self.user_error, "parameter": self.parameter})


class InputNotice(UserWarning):
    """Something a user should know about the input that is not an error (e.g. sheets not read).

    Issued with :func:`warnings.warn`; notebooks show it, and the CLI prints it
    as a ``notice: ...`` line on standard error (``-q`` silences it).
    """


#: How many names a notice lists before "and N more" (the full lists are in the tables and the provenance).
NAMED = 5


def first_names(names, limit: int = NAMED) -> str:
    """The first ``limit`` names, comma-separated, then how many more: the bounded list every notice uses.

    Examples
    --------
    >>> first_names(["a", "b"]), first_names([f"d{i}" for i in range(8)])
    ('a, b', 'd0, d1, d2, d3, d4, and 3 more')
    """
    names = list(names)
    shown = ", ".join(map(str, names[:limit]))
    return shown + (f", and {len(names) - limit} more" if len(names) > limit else "")


class Note(str):
    """A notice sentence that may name the setting it concerns (``note.parameter``).

    Examples
    --------
    >>> note = Note("removed 7 duplicate paragraphs; set keep_duplicates to keep them", parameter="keep_duplicates")
    >>> note.parameter, note.startswith("removed")
    ('keep_duplicates', True)
    """

    parameter: str | None

    def __new__(cls, text: str, *, parameter: str | None = None):
        note = super().__new__(cls, text)
        note.parameter = parameter
        return note
