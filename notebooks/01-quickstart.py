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
#     sample_only: true
# ---

# %% [markdown]
# # 快速入门：从原始文本到计数 Quickstart: from raw text to counts
#
# 本笔记本用于教学，以样例文章《基层党建引领社区治理实践偏差与破解路径》为例，一步一步走完整个流程：
#
# 原始文本 → 清洗后的段落 → 分词 → 计数
#
# 并现场演示两个常见陷阱：**jieba 会把“党建引领”切成两个词**，以及**复制粘贴造成的重复段落会让计数翻倍**。

# %%
import pandas as pd

from analysis import config, corpus, count, lexicon, match, page, segment, summaries, tables, words

page.setup()  # paths from the project folder, sharp figures, notices in Chinese

# %% tags=["parameters"]
essay_path = str(config.SAMPLE_ESSAY)  # the sample essay (this notebook always teaches on it)
demo_lexicon_path = str(config.LEXICON_DIR / "sample-concepts.csv")  # 3 concepts: 党建引领, 协商民主, 社区治理
term = "党建引领"  # the term whose splitting and duplicates we follow

# %%
config.check_parameters(essay_path=essay_path, demo_lexicon_path=demo_lexicon_path, term=term)

# %% [markdown]
# ## 1. 读入原始文本 Loading the raw text
#
# `corpus.read` 读入文件并自动识别编码，不做任何修改。下面逐行显示原始文本的开头（每行最多 50 个字）。
# 注意第 10–16 行与第 3–9 行完全相同：这是复制粘贴时重复的段落。

# %%
raw = corpus.read(essay_path)[0]
print(f"编码 encoding: {raw.encoding}；共 {len(raw.text.splitlines())} 行，{len(raw.text):,} 个字符")
for number, line in enumerate(raw.text.splitlines(), start=1):
    print(f"{number:>2} | {line[:50]}{'…' if len(line) > 50 else ''}")

# %% [markdown]
# ## 2. 清洗 Cleaning
#
# `corpus.build` 读入并清洗：统一换行符、每行一个段落、删除空行和首尾空格、删除汉字之间的空格、删除完全重复的段落（保留第一次出现）。
# 每一步改动了多少都有记录。以“一、”“（一）”“(一)”“第一章”开头的行是标题，开启新的章节，所以每个段落都知道自己属于哪个文档、哪个章节。

# %%
corp = corpus.build(essay_path)
tables.styled(summaries.cleaning(corp), bars=())

# %%
tables.styled(corp.paragraphs.assign(text=corp.paragraphs.text.str.slice(0, 40))[["section", "para", "line", "text"]],
              bars=(), caption="清洗后的段落（每段只显示前 40 个字）Cleaned paragraphs")

# %%
page.notices(corp.notices())

# %% [markdown]
# ## 3. 分词的陷阱：jieba 切开了术语 Segmentation pitfall: jieba splits the terms
#
# jieba 的默认词典里没有“党建引领”“协商民主”“社区治理”，所以会把它们切成两半。
# 下面用一个全新的 jieba 分词器（不受任何自定义词典影响）切分词表中的每个词条：

# %%
lex = lexicon.load(demo_lexicon_path)
tables.styled(pd.DataFrame({"term": lex.terms, "jieba 默认切分": [segment.plain_split(t) for t in lex.terms]}), bars=())

# %% [markdown]
# 如果先用 jieba 分词再数词频（很多教程里的 `Counter(jieba.lcut(text))`），这些术语的次数就是 0。
# 本项目的 `Segmenter` 先把词表中的词条作为整体固定下来，再让 jieba 切分词条之间的文字：

# %%
title = corp.paragraphs.text.iloc[0]
print("原句：        ", title)
print("jieba 默认：  ", " / ".join(segment.Segmenter().cut(title)))
print("固定词表词条：", " / ".join(segment.Segmenter(lex).cut(title)))

# %%
plain_words = words.frequencies(corp, segment.Segmenter())
lexicon_words = words.frequencies(corp, segment.Segmenter(lex))
tables.styled(pd.DataFrame({
    "term": lex.terms,
    "jieba 默认分词后的次数": [int(plain_words.loc[plain_words.word == t, "count"].sum()) for t in lex.terms],
    "固定词表词条后的次数": [int(lexicon_words.loc[lexicon_words.word == t, "count"].sum()) for t in lex.terms],
}), bars=())

# %% [markdown]
# ## 4. 计数 Counting
#
# 计数不依赖分词：`match.find` 直接在清洗后的段落里查找每个词条的每一次出现（包括嵌在更长词条里的出现），
# 记录文档、章节、段落和位置。概念的次数把它的所有变体合在一起，“基层协商民主”只算一次“协商民主”。

# %%
hits = match.find(corp.paragraphs, lex)
tables.styled(hits.head(8), bars=(), caption="匹配结果的前 8 行 First rows of the matches")

# %%
tables.styled(count.concepts(hits, corp, lex), caption="概念频次 Concept counts")

# %%
tables.styled(count.terms(hits, corp, lex), bars=("count", "standalone"), caption="词条频次 Term counts")

# %% [markdown]
# ## 5. 重复段落的陷阱 Duplicate paragraphs
#
# 样例文章有 7 行是前文的逐字重复。默认去重（保留第一次出现）；`keep_duplicates=True` 则保留重复段落。
# 比较两种做法：去重后“党建引领”出现 4 次，保留重复则是 7 次，因为重复的那部分被数了两遍。

# %%
corp_all = corpus.build(essay_path, keep_duplicates=True)
deduped = count.concepts(hits, corp, lex)
kept = count.concepts(match.find(corp_all.paragraphs, lex), corp_all, lex)
comparison = deduped[["concept", "count", "chars"]].merge(
    kept[["concept", "count", "chars"]], on="concept", suffixes=("_dedup", "_kept"))
tables.styled(comparison, bars=("count_dedup", "count_kept"), caption="去重前后的概念次数 Counts with and without duplicates")

# %%
tables.styled(comparison[comparison.concept == term], bars=())

# %% [markdown]
# ## 6. 小结 Summary
#
# - 先清洗、去重，并记录每一步删掉了什么；
# - 不用分词结果去数术语：直接在文本中查找词条，必要时才分词，而且分词时把词条作为整体固定；
# - 报告每万字频率时同时给出分母（字数）。
#
# 下一步：`02-concept-report` 在同一篇文章上生成完整的概念频次报告。

# %% [markdown]
# ## 来源与可复现信息 Provenance

# %%
tables.provenance(corp, lex, parameters={"essay_path": essay_path, "demo_lexicon_path": demo_lexicon_path, "term": term})
