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
# # 概念频次报告 Concept-frequency report
#
# 本报告统计词表中每个概念在语料中出现的次数和每万字频率，并展示高频概念、词云、各章节的分布以及概念在文中的位置。
# 所用的语料、词表和参数写在本页开头。
#
# 计数规则：每个词条在清洗后段落中的每一次出现都计数；一个概念的次数合并它的所有变体，嵌在同一概念更长词条里的出现不重复计算
# （“基层协商民主”只算一次“协商民主”）。每万字频率 = 次数 ÷ 字数 × 10,000，表中同时给出分母。

# %%
# %matplotlib inline
from IPython.display import display

from analysis import charts, config, corpus, count, lexicon, match, page, sections, segment, summaries, tables, words

page.setup()  # paths from the project folder, sharp figures, notices in Chinese

# %% tags=["parameters"]
corpus_path = str(config.SAMPLE_DIR)  # a .txt file, a folder of .txt files, or a .csv/.xlsx table
lexicon_path = str(config.DEFAULT_LEXICON)  # a .yaml or .csv lexicon
corpus_settings = {}  # reading and cleaning settings, e.g. {"text_column": "content", "simplified": True}
top_n = 20  # rows of the tables, bars of the chart, concepts of the heatmap
keep_duplicates = False  # True: keep exact duplicate paragraphs
max_words = 120  # words in the word cloud
seed = 42  # word-cloud layout: same seed, same picture

# %%
config.check_parameters(
    corpus_path=corpus_path,
    lexicon_path=lexicon_path,
    corpus_settings=corpus_settings,
    top_n=top_n,
    keep_duplicates=keep_duplicates,
    max_words=max_words,
    seed=seed,
)

# %% [markdown]
# ## 1. 读入文本 Loading the text
#
# 读入并清洗语料，下面两张表分别说明语料包含什么，以及每个清洗步骤改动了什么。

# %%
corp = corpus.build(corpus_path, **{"keep_duplicates": keep_duplicates, **corpus_settings})
lex = lexicon.load(lexicon_path)
display(page.notices(corp.notices()))
tables.styled(summaries.summary(corp), bars=())

# %%
tables.styled(summaries.cleaning(corp), bars=())

# %%
hits = match.find(corp.paragraphs, lex)
concepts = count.concepts(hits, corp, lex)
terms = count.terms(hits, corp, lex)
found = concepts[concepts["count"] > 0]
print(f"词表 {lex.citation()} 共 {len(concepts)} 个概念，其中 {len(found)} 个在语料中出现，合计 {found['count'].sum():,} 次。")

# %% [markdown]
# ## 2. 概念频次表 Concept table
#
# 按出现次数从高到低排列（只列出出现过的概念，条数见页首参数“显示条数”）。条形长度对应出现次数；“文档数”是出现该概念的文档数。
# 点击列名可以排序，表下的链接可以下载全表数据（CSV）。

# %%
tables.styled(concepts, rows=top_n, drop_zero=True, caption="概念频次 Concepts")

# %% [markdown]
# ## 3. 词条频次表 Term table
#
# 一个概念可以有多个词条（变体）。“独立出现”是不在更长词条之内的出现次数：例如“协商民主”嵌在“基层协商民主”里的出现计入“出现次数”，但不计入“独立出现”。

# %%
tables.styled(terms, bars=("count", "standalone"), rows=top_n, drop_zero=True, caption="词条频次 Terms")

# %% [markdown]
# ## 4. 高频概念 Top concepts
#
# 颜色表示概念所属的类别。

# %%
charts.bar_top(concepts, n=top_n, title=f"出现次数最多的 {min(top_n, len(found))} 个概念")

# %% [markdown]
# ## 5. 词云 Word cloud
#
# 词云基于分词后的词频（词表中的词条保持完整，停用词、标点和数字已去除），字号对应出现次数。
# 布局由随机种子固定（见页首参数），相同的输入总是得到相同的图。

# %%
freqs = words.frequencies(corp, segment.Segmenter(lex))
tables.styled(freqs, rows=15, caption="高频词 Top words")

# %%
charts.wordcloud(freqs, max_words=max_words, seed=seed)

# %% [markdown]
# ## 6. 概念 × 章节 Concepts by section
#
# 单篇文档按章节（以“一、”“（一）”等标题开头）分列，多篇文档则按文档分列（以文档编号，即文件名去掉扩展名，标注）。单元格中的数字是出现次数，颜色越深次数越多。

# %%
sections = sections.by_section(hits, corp, lex)
top_concepts = found.concept.head(top_n).tolist()
charts.heatmap(sections[sections.concept.isin(top_concepts)], index="concept", columns="part", value="count",
             title="各部分的概念出现次数")

# %% [markdown]
# ## 7. 概念在文中的位置 Where each concept occurs
#
# 每一行是一个概念，每一条竖线是一次出现，横轴是在全文中的相对位置（0% 为开头，100% 为结尾）。
# 集中在某一处的概念和贯穿全文的概念一目了然。

# %%
charts.dispersion(hits, corp.paragraphs, concepts=top_concepts[:15], title="概念在文中的分布")

# %% [markdown]
# ## 来源与可复现信息 Provenance

# %%
tables.provenance(corp, lex, parameters={"corpus_path": corpus_path, "lexicon_path": lexicon_path, "top_n": top_n,
                                         "keep_duplicates": keep_duplicates, "max_words": max_words, "seed": seed})
