"""The concept explorer: the project's analyses to click through, in JupyterLab and as one offline HTML file.

- :mod:`~analysis.present.explorer.model`: one pass over a corpus (matches found
  once), and every view's table read from it; models cached per settings.
- :mod:`~analysis.present.explorer.lesson`: the teaching toggles (plain jieba vs
  lexicon-aware segmentation, de-duplication, Han-space joining, Traditional to
  Simplified), each count next to the text that causes it.
- :mod:`~analysis.present.explorer.views`: the charts (Vega-Lite through altair),
  shared by the widget and the HTML file.
- :mod:`~analysis.present.explorer.widget`: the JupyterLab explorer (ipywidgets, itables).
- :mod:`~analysis.present.explorer.page`: the self-contained HTML explorer.
"""

from analysis.present.jsonschema_import import import_jsonschema

import_jsonschema()  # before altair (views, page), which imports it: 1.6 s less

from analysis.present.explorer import lesson, model, page, views  # noqa: E402

__all__ = ["lesson", "model", "page", "views"]
