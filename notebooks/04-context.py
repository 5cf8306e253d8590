# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 上下文：关键词、共现与分布 Context: keywords in context, co-occurrence, dispersion
#
# 频次说明“有多少”，本报告回答“在哪里、和什么一起、怎么说的”：
# 关键词在上下文中（KWIC）的每一次出现，概念在同一句中共同出现的网络，以及概念在文本中是均匀分布还是集中在某处。
# 所用的语料、词表和参数写在本页开头。所有结果与频次表使用同一份清洗后的文本和同一套匹配规则，
# 所以 KWIC 的行数正好等于该概念的出现次数。

# %%
# %matplotlib inline
from IPython.display import display

from analysis import (charts, config, context_charts, cooccur, corpus, count, dispersion, kwic, labels, lexicon, match, page,
                      summaries, tables)

page.setup()  # paths from the project folder, sharp figures, notices in Chinese

# %% tags=["parameters"]
corpus_path = str(config.CORPORA_DIR / "cpc-congress-reports")  # a .txt file, a folder of .txt files, or a .csv/.xlsx table
lexicon_path = str(config.DEFAULT_LEXICON)  # a .yaml or .csv lexicon
corpus_settings = {}  # reading and cleaning settings, e.g. {"text_column": "content", "simplified": True}
query = "协商民主"  # concept or term for keyword-in-context ("" = the most frequent concept)
width = 20  # characters of context on each side
rows = 40  # keyword-in-context lines shown
unit = "sentence"  # co-occurrence within a "sentence" or a "paragraph"
min_count = 3  # pairs found together in fewer units are left out
top_n = 20  # rows of the tables, concepts in the dispersion plot
seed = 7  # network layout: same seed, same picture

# %%
config.check_parameters(
    corpus_path=corpus_path,
    lexicon_path=lexicon_path,
    corpus_settings=corpus_settings,
    query=query,
    width=width,
    rows=rows,
    unit=unit,
    min_count=min_count,
    top_n=top_n,
    seed=seed,
)

# %% [markdown]
# ## 1. 读入语料 Loading the corpus

# %%
corp = corpus.build(corpus_path, **corpus_settings)
lex = lexicon.load(lexicon_path)
hits = match.find(corp.paragraphs, lex)
concepts = count.concepts(hits, corp, lex)
display(page.notices(corp.notices()))
tables.styled(summaries.summary(corp), bars=())

# %% [markdown]
# ## 2. 关键词在上下文中 Keyword in context
#
# 下表列出关键词的每一次出现及其左右的上下文（字数见页首参数“上下文字数”，段落边界处会更短），按在语料中的位置排列。
# 嵌在更长词条里的出现也包括在内（例如“基层协商民主”中的“协商民主”），所以行数与频次表中的次数一致。

# %%
keyword = query or concepts.concept.iloc[0]
lines = kwic.lines(corp, keyword, lexicon=lex, hits=hits, width=width)
display(page.notices([kwic.describe(keyword, lex, lines)]))
tables.kwic(lines, rows=rows, caption=f"“{keyword}”的上下文（前 {min(rows, len(lines))} 行，共 {len(lines)} 行）")

# %% [markdown]
# 按右侧上下文排序，可以看出关键词后面最常跟什么（搭配）：

# %%
tables.kwic(kwic.lines(corp, keyword, lexicon=lex, hits=hits, width=width, sort="right"), rows=rows,
            caption=f"“{keyword}”的上下文，按右侧排序")

# %% [markdown]
# ## 3. 概念共现 Concept co-occurrence
#
# 两个概念出现在同一个句子（或段落）里，就算一次共现。只看共现次数会偏向高频概念，
# 所以表中同时给出 Jaccard 系数（共同出现的单位数 ÷ 出现任一概念的单位数）和标准化点互信息 NPMI（−1 到 1，0 表示与随机相同）。

# %%
pairs = cooccur.pairs(hits, corp, lex, unit=unit, min_count=min_count)
tables.styled(pairs.sort_values("count", ascending=False, kind="stable"), bars=("count", "jaccard"), rows=top_n,
              caption=f"共现次数最多的概念对（单位：{labels.UNIT_LABELS.get(unit, unit)}，至少 {min_count} 次）")

# %% [markdown]
# 共现网络：共现次数最多的 30 对概念。节点大小表示概念出现的单位数，连线粗细表示共现次数。布局由随机种子固定（见页首参数）。

# %%
if len(pairs):
    display(context_charts.network(pairs, weight="count", top=30, seed=seed, title="概念共现网络（共现次数最多的 30 对）"))
else:
    print(f"没有至少共现 {min_count} 次的概念对，不画网络图。")

# %% [markdown]
# ## 4. 概念在文本中的分布 Dispersion
#
# 每篇文档分成 10 等份，计算每个概念的分布离散度 DP（Gries 2008）：0 表示出现位置与文本长度的分布完全一致（均匀），
# 接近 1 表示集中在某一小部分。下表列出 DP 最高（最集中）的概念与文档组合。

# %%
spread = dispersion.concepts(hits, corp, lex, parts=10)
concentrated = summaries.with_document_labels(spread[spread["count"] >= 5], corp)  # documents by year or title
tables.styled(concentrated.sort_values("dp", ascending=False, kind="stable"), bars=("count", "dp"), rows=top_n, caption="最集中的概念（每篇文档至少出现 5 次）")

# %% [markdown]
# 下图把所有文档首尾相接（虚线为文档分界），每条竖线是一次出现：

# %%
charts.dispersion(hits, corp.paragraphs, concepts=concepts[concepts["count"] > 0].concept.head(top_n).tolist(),
                title="高频概念在语料中的位置")

# %% [markdown]
# ## 来源与可复现信息 Provenance

# %%
tables.provenance(corp, lex, parameters={"corpus_path": corpus_path, "lexicon_path": lexicon_path, "query": query,
                                         "width": width, "rows": rows, "unit": unit, "min_count": min_count,
                                         "top_n": top_n, "seed": seed})
