"""The explorer as one self-contained HTML file: data, Vega-Lite code and a CJK font subset inline, no network.

Every concept's rows are in the page; a concept picker (a Vega-Lite parameter
bound to a drop-down list) switches the views between them in the browser:
a summary (count, terms, keyness of the period), the trend with hover values,
the co-occurring concepts, the densest documents and the keyword-in-context
lines with a search box. The numbers are those of the
:class:`~analysis.present.explorer.model.Model`, i.e. of the command line.

The JavaScript of Vega, Vega-Lite and vega-embed is inlined by altair
(``inline=True``, from the ``vl-convert-python`` package), and the page
carries the subset of Noto Sans CJK SC covering its text
(:func:`analysis.present.webfont.embed_fonts`), so it works offline on a
machine without Chinese fonts. Size: about 0.9 MB of JavaScript, plus the data
and the font (4.4 MB in all for the congress reports with the bundled lexicon).
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert

from analysis.errors import InputError
from analysis.present.atomic import write_atomically
from analysis.present.explorer import views
from analysis.present.explorer.model import Model
from analysis.present.output import check_output
from analysis.present.webfont import embed_fonts

SUFFIXES = (".html",)
#: Co-occurring concepts listed per concept.
PARTNERS = 12
#: vega-embed: SVG (text stays text, drawn in the web font once it is loaded), no menu of export links.
EMBED_OPTIONS = {"renderer": "svg", "actions": False, "mode": "vega-lite"}
_CSS = """<style type="text/css">
body { font-family: @FONT@; margin: 16px; color: #222; }
h1 { font-size: 20px; margin: 0 0 4px; }
p.note { font-size: 13px; color: #555; margin: 0 0 12px; max-width: 780px; line-height: 1.6; }
.vega-bind { font-size: 15px; margin: 6px 0; }
.vega-bind select, .vega-bind input { font-family: inherit; font-size: 15px; padding: 3px 6px; max-width: 90vw; }
#vis { display: flex; flex-direction: column; max-width: 100%; overflow-x: auto; }
#vis .vega-bindings { order: -1; margin-bottom: 8px; }
.vega-bind-name { display: inline-block; min-width: 8em; }
</style>
"""


def summary_lines(model: Model) -> pd.DataFrame:
    """Per concept, the lines of text above the charts: count and rate, terms, keyness of the period.

    Examples
    --------
    >>> from analysis.config import CORPORA_DIR
    >>> m = Model.build(CORPORA_DIR / "cpc-congress-reports", split="year >= 2012")
    >>> summary_lines(m).query("concept == '协商民主'").text.tolist()[2]
    '时期对比 year >= 2012：19 次（94,083 字）；其余：0 次（238,258 字）；G² = 47.96，对数比 = 6.59，偏向 year >= 2012'
    """
    rows = []
    keyed = model.keyness.set_index("item")
    for concept, category, n, chars, rate, docs, terms in model.totals[
            ["concept", "category", "count", "chars", "per_10k", "docs", "terms"]].itertuples(index=False):
        rows.append((concept, f"{concept}（{category}）：出现 {n:,} 次，每万字 {rate:g} 次（分母 {chars:,} 字），"
                              f"见于 {docs} 篇文档"))
        rows.append((concept, f"所含词条：{terms}"))
        if model.split and concept in keyed.index:
            k = keyed.loc[concept]
            side = {"target": model.split, "reference": "其余", "neither": "两边相同"}[k.key_for]
            rows.append((concept, f"时期对比 {model.split}：{k.target_count:,} 次（{k.target_total:,} 字）；"
                                  f"其余：{k.reference_count:,} 次（{k.reference_total:,} 字）；"
                                  f"G² = {k.g2:.2f}，对数比 = {k.log_ratio:.2f}，偏向 {side}"))
    return pd.DataFrame(rows, columns=["concept", "text"])


def chart(model: Model, *, concept: str | None = None) -> alt.VConcatChart:
    """Every view of every concept in one chart, switched by a concept picker and filtered by a search box.

    Parameters
    ----------
    model : Model
        The corpus's numbers.
    concept : str, optional
        The concept shown first (default: the most frequent).
    """
    ordered = model.totals[model.totals["count"] > 0].sort_values("count", ascending=False, kind="stable")
    if ordered.empty:
        raise InputError("no concept of the lexicon occurs in the corpus; there is nothing to explore "
                         "(check the lexicon and the texts)", parameter="lexicon")
    first = model.check(concept) if concept else ordered.concept.iloc[0]
    pick = alt.param(name="pick", value=first, bind=alt.binding_select(
        options=ordered.concept.tolist(), labels=[f"{c}（{n}）" for c, n in zip(ordered.concept, ordered["count"])],
        name="概念 "))
    search = alt.param(name="search", value="", bind=alt.binding(input="search", placeholder="例如 制度、2017",
                                                                   name="在上下文中搜索 "))
    present = set(ordered.concept)
    lines = model.lines
    by_doc = model.by_doc.loc[model.by_doc["count"] > 0, ["doc", "concept", "count", "chars", "per_10k"]].merge(
        model.corpus.docs[["doc", *(c for c in ("year",) if c in model.corpus.docs.columns)]], on="doc")
    partners = model.partner_table.groupby("concept", sort=False).head(PARTNERS)
    rates = model.rates[model.rates.concept.isin(present)]
    top = alt.hconcat(views.partners(partners, pick=pick, top=PARTNERS), views.densest(by_doc, pick=pick))
    page = alt.vconcat(views.summary(summary_lines(model)[lambda t: t.concept.isin(present)], pick=pick),
                       views.trend(rates, model.by, pick=pick, width=views.KWIC_WIDTH),
                       top, views.concordance(lines, pick=pick, search=search))
    return page.add_params(pick, search).configure(font=views.FONT).configure_view(stroke=None)


@cache
def javascript() -> str:
    """Vega, Vega-Lite and vega-embed in one script, for altair's Vega-Lite version (made once per process)."""
    return vl_convert.javascript_bundle(vl_version="_".join(alt.SCHEMA_VERSION.split(".")[:2]))


def script_json(value) -> str:
    """JSON that is safe inside a ``<script>`` element: ``<`` written as ``\\u003c``, so text from the
    documents (``</script>``, ``<!--``) can never end the script.

    Examples
    --------
    >>> script_json({"left": "</script><b>协商"})
    '{"left": "\\\\u003c/script>\\\\u003cb>协商"}'
    """
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def page(model: Model, *, concept: str | None = None, title: str = "概念浏览器 Concept explorer") -> str:
    """The explorer as one HTML page (JavaScript, data and font inline; document text escaped).

    Examples
    --------
    >>> from analysis.config import LEXICON_DIR, SAMPLE_ESSAY
    >>> text = page(Model.build(SAMPLE_ESSAY, LEXICON_DIR / "sample-concepts.csv"))
    >>> "<script src=" in text, "data:font/woff;base64," in text, '"党建引领"' in text
    (False, True, True)
    """
    with alt.data_transformers.enable("default", max_rows=None):  # every concept's rows are the point
        spec = chart(model, concept=concept).to_dict()
    docs = model.corpus.docs
    sources = "、".join(Path(p).name for p in docs.path.str.split("#row=").str[0].unique()[:3])
    absent = int((model.totals["count"] == 0).sum())
    intro = (f"<h1>{html.escape(title)}</h1>\n<p class=\"note\">语料：{len(docs)} 篇文档"
             f"（{html.escape(sources)}{' 等' if docs.path.nunique() > 3 else ''}），{int(docs.chars.sum()):,} 字；"
             f"按 {html.escape(model.by)} 分组；设置：{html.escape(json.dumps(_settings(model), ensure_ascii=False))}。"
             f"选择一个概念（括号内为出现次数），各图随之更新；把鼠标停在点或条上可看次数与分母。"
             f"{f'词表中另有 {absent} 个概念在语料中未出现，未列出。' if absent else ''}本文件离线可用。</p>\n")
    text = (f"<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"UTF-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n{_CSS.replace('@FONT@', views.FONT)}</head>\n<body>\n{intro}"
            f"<div id=\"vis\"></div>\n<script type=\"text/javascript\">\n{javascript()}\n</script>\n"
            f"<script type=\"text/javascript\">\nvegaEmbed(\"#vis\", {script_json(spec)}, "
            f"{script_json(EMBED_OPTIONS)}).catch(console.error);\n</script>\n</body>\n</html>\n")
    return embed_fonts([text])[0]  # the data are written unescaped (ensure_ascii=False): the subset covers them


def _settings(model: Model) -> dict:
    s = model.settings
    return {"keep_duplicates": s.keep_duplicates, "join_han_spaces": s.join_han_spaces, "simplified": s.simplified}


def write(model: Model, path: str | Path, *, concept: str | None = None, reads: tuple = ()) -> Path:
    """Write the explorer page to ``path`` (``.html``), atomically, never over a file the run reads.

    Raises
    ------
    OutputError
        If the path is not ``.html``, is an input, or its folder cannot be written.
    """
    path = check_output(path, reads=reads, suffixes=SUFFIXES, what="explorer")
    text = page(model, concept=concept)
    write_atomically(path, lambda handle: handle.write(text.encode("utf-8")))
    return path
