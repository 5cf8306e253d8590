"""Project exceptions: one type per kind of user mistake; the CLI prints them as ``error: ...`` with exit status 2."""


class AnalysisError(Exception):
    """Base class of every error a user can cause; the message says what, where and what to do."""


class InputError(AnalysisError):
    """A path, file, table or column given as input cannot be used."""


class DecodeError(InputError):
    """A text file is binary or cannot be decoded in any supported encoding."""


class LexiconError(AnalysisError):
    """The concept dictionary is malformed (missing columns, empty or duplicate terms, ...)."""


class OutputError(AnalysisError):
    """An output file cannot be written."""


class InputNotice(UserWarning):
    """Something a user should know about the input that is not an error (e.g. sheets not read).

    Issued with :func:`warnings.warn`; notebooks show it, and the CLI prints it
    as a ``notice: ...`` line on standard error (``-q`` silences it).
    """
