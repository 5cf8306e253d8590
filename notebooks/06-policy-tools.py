# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: zhgov
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   zhgov:
#     requires_column: year
# ---

# %% [markdown]
# # 政策工具编码与文本复用 Policy-instrument coding and text reuse
#
# 政策文本量化研究最常用的做法：把政策文件按其自身的编号拆成条款（编号“文件-章-条”），
# 按编码表给每个条款标上政策工具类型（Rothwell 与 Zegveld 的供给型、环境型、需求型及其子类），
# 再与第二个维度（如政策目标）交叉，发表频次表和交叉表。本报告在历年政府工作报告上演示全过程：
# 条款拆分、自动编码（与概念计数使用同一个匹配器，每个编码都列出命中的指示词，便于核查）、
# 各年份的政策工具结构、工具 × 目标交叉表，以及两份报告之间的文本复用（原句照录与改写）。
# 自动编码只是起点：研究者可导出编码表（Excel），人工编码后再读回，计算编码者之间的一致性（见 README）。

# %%
# %matplotlib inline
from IPython.display import Markdown, display

from analysis import charts, codebook, coding, config, corpus, policy_charts, policy_summaries, reuse, tables
from analysis.measure import clauses

# %% tags=["parameters"]
corpus_path = str(config.CORPORA_DIR / "gov-work-reports")  # a .txt file, a folder of .txt files, or a .csv/.xlsx table (needs a year column)
codebook_path = str(config.DEFAULT_CODEBOOK)  # a .yaml codebook
corpus_settings = {}  # reading and cleaning settings, e.g. {"text_column": "content", "simplified": True}
dimension = "政策工具"  # the codebook dimension profiled over the years
cross_dimension = "政策目标"  # the second dimension of the cross-tab
reuse_pair = []  # two document ids to compare, e.g. ["gwr-2024", "gwr-2025"]; [] = the last two years
min_similarity = 60  # smallest similarity (0-100) of two sentences counted as reuse
rows = 15  # rows shown of long tables

# %%
config.check_parameters(
    corpus_path=corpus_path,
    codebook_path=codebook_path,
    corpus_settings=corpus_settings,
    dimension=dimension,
    cross_dimension=cross_dimension,
    reuse_pair=reuse_pair,
    min_similarity=min_similarity,
    rows=rows,
)

# %% [markdown]
# ## 1. 条款 Clauses
#
# 每份文件按其自身的编号拆分：“第X章”或“一、”为章，章内的“第X条”“（一）”“1.”“（1）”为条款；
# 没有编号的章按句拆分。条款编号为“文件-章-条”，章号和条号取原文所写的数字，首章之前的文字为第 0 章。

# %%
corp = corpus.build(corpus_path, **corpus_settings, progress=False)  # no progress bar in the report
book = codebook.load(codebook_path)
units = clauses.split(corp)
tables.styled(units[["id", "label", "chapter_title", "text"]].head(rows), bars=(),
              caption=f"条款示例（前 {rows} 条，共 {len(units):,} 条）")

# %% [markdown]
# ## 2. 编码表 Codebook
#
# 编码表中每个子类都列出指示词和来源。自动编码：条款中出现某个子类的指示词，就标上该子类；
# 指示词若位于同一维度另一个更长的指示词之内，只算那个更长的。

# %%
tables.styled(book.codes(dimension)[["type", "code", "en", "terms", "source"]], bars=(),
              caption=f"{book.citation()}：维度“{dimension}”")

# %%
tables.styled(book.sources, bars=(), caption="编码表的来源")

# %% [markdown]
# ## 3. 各年份的政策工具结构 Instrument profile over the years
#
# 下图每根柱子是一年的报告，各段为三类工具占该年全部编码次数的比例（一个条款同时含两类工具时各计一次）。

# %%
codes = coding.auto(units, book)
overall = coding.profile(codes, units, book, dimension=dimension, by="corpus", level="type")
yearly = coding.profile(codes, units, book, dimension=dimension, by="year", docs=corp.docs, level="type")
display(Markdown(policy_summaries.instrument_profile(overall, yearly, by="year")))
policy_charts.profile(yearly, by="year", stack="type", title=f"{dimension}：各类型占编码总数的比例")

# %%
tables.styled(coding.profile(codes, units, book, dimension=dimension, by="corpus", level="code"),
              bars=("clauses", "share"), caption=f"{dimension}子类：含该子类的条款数与占比（全部年份）")

# %% [markdown]
# 每个自动编码都附有命中的指示词，读者可以逐条核查（下表为最后一份报告的前几条编码，关键词为该编码的第一个指示词）：

# %%
last = corp.docs.sort_values("year").doc.iloc[-1]
tables.kwic(coding.evidence(codes[(codes.dimension == dimension) & (codes.doc == last)], units).head(rows),
            columns=("id", "type", "code"), caption=f"{last}：自动编码与其指示词（前 {rows} 条）")

# %% [markdown]
# ## 4. 工具 × 目标交叉表 Cross-tab of two dimensions
#
# 同时含有某类工具和某个目标的条款数。行占比回答“这类工具主要服务于哪些目标”，列占比回答“这个目标主要靠哪类工具”。

# %%
cross = coding.crosstab(codes, book, rows=dimension, columns=cross_dimension, row_level="code", column_level="code")
charts.heatmap(cross, index=dimension, columns=cross_dimension, value="clauses",
               title=f"{dimension} × {cross_dimension}（同时含两者的条款数）")

# %%
tables.styled(coding.crosstab(codes, book, rows=dimension, columns=cross_dimension),
              bars=("clauses", "row_share"), caption=f"{dimension}类型 × {cross_dimension}：条款数与行、列占比")

# %% [markdown]
# ## 5. 文本复用 Text reuse between reports
#
# 后一份报告有多少句子在前一份中出现过（原句照录或改写）？先用 MinHash 局部敏感哈希找出候选句对（不需两两比较全部文字），
# 再用 rapidfuzz 对齐打分，相似度不低于 `min_similarity` 的计为复用。

# %%
pairs = reuse.consecutive(corp, by="year")
found = reuse.find(corp, pairs, min_similarity=min_similarity)
shares = reuse.shares(found, corp, pairs)
first, second = reuse_pair or pairs[-1]
chosen = reuse.find(corp, [(first, second)], min_similarity=min_similarity)
display(Markdown(policy_summaries.reuse_pair(reuse.shares(chosen, corp, [(first, second)]), first, second)
                 + policy_summaries.reuse_range(shares)))
tables.styled(shares.sort_values("share", ascending=False).head(rows), bars=("share",),
              caption="相邻两年报告的复用比例（最高的几对）")

# %% [markdown]
# 两份报告中对齐的句子：左列为前一份的原句（被删去的部分划线），右列为后一份（新增的部分标色）。

# %%
policy_charts.side_by_side(chosen[chosen.kind == "reworded"], rows=rows,
                           caption=f"{first} → {second}：改写的句子（前 {rows} 句）")

# %% [markdown]
# ## 来源与可复现信息 Provenance

# %%
tables.provenance(corp, book.lexicon(dimension), parameters={
    "corpus_path": corpus_path, "codebook_path": codebook_path, "dimension": dimension,
    "cross_dimension": cross_dimension, "reuse_pair": reuse_pair, "min_similarity": min_similarity, "rows": rows})
