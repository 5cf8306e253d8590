"""Progress bars (tqdm) on long work, only where someone can see them."""

from __future__ import annotations

import importlib.util
import sys


def in_notebook() -> bool:
    """Whether the code runs in a Jupyter kernel (where progress bars are widgets or plain text)."""
    shell = sys.modules.get("IPython")
    try:
        return shell is not None and type(shell.get_ipython()).__name__ == "ZMQInteractiveShell"
    except Exception:  # noqa: BLE001 - IPython present but no shell
        return False


def progress_bar(*, total: int, desc: str, progress: bool | None = None):
    """A tqdm bar over ``total`` characters, shown only on long work and where someone can see it.

    ``progress=None`` shows it in a terminal (standard error is a TTY) or a
    notebook; ``False`` never. The bar appears only after one second, so
    short work prints nothing.

    Examples
    --------
    >>> bar = progress_bar(total=10, desc="清洗", progress=False)
    >>> bar.update(10); bar.close()
    """
    if progress is None:
        progress = in_notebook() or bool(getattr(sys.stderr, "isatty", lambda: False)())
    if not progress:
        return _NoBar()
    from tqdm import tqdm as kind  # ~25 ms to import: only where a bar can be seen

    if in_notebook() and importlib.util.find_spec("ipywidgets") is not None:
        # imports IPython: only inside a notebook
        from tqdm.notebook import tqdm as kind
    return kind(total=total, desc=desc, unit="char", unit_scale=True, delay=1.0, file=sys.stderr, leave=False)


class _NoBar:
    """The progress bar where nobody sees one: updates and closing do nothing."""

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass
