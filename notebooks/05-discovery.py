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
# # 发现新提法与扩展概念 Discovery: new formulations and related terms
#
# 词表统计的结果取决于词表本身：词表里没有的提法永远计为零。本报告从文本出发寻找词表之外的提法：
# 先找出某个时期之后才出现或明显增多的字串（新提法），再用在本语料上训练的词向量列出与某个概念用法相近的词，
# 最后演示如何把候选词审阅后加入词表，并记录每个决定。
#
# **这里的每一条都是供阅读的候选，不是可以直接统计的结果。** 每个候选都附有上下文（KWIC），
# 只有读过上下文、确认是一个完整的提法之后，才应加入词表。

# %%
# %matplotlib inline
from IPython.display import display

from analysis import charts, config, corpus, curation, discover, expand, keyness, lexicon, summaries, tables

# %% tags=["parameters"]
corpus_path = str(config.CORPORA_DIR / "gov-work-reports")  # a folder with a MANIFEST.csv giving each document's year
lexicon_path = str(config.DEFAULT_LEXICON)  # a .yaml or .csv lexicon
corpus_settings = {}  # reading and cleaning settings, e.g. {"text_column": "content", "simplified": True}
split = "year >= 2012"  # the later period ("" = at the median year)
min_count = 3  # occurrences a candidate needs
top_n = 20  # rows of the tables
selected = ["社会治理", "乡村振兴", "生态文明"]  # concepts (or words) to expand with word vectors

# %%
config.check_parameters(
    corpus_path=corpus_path,
    lexicon_path=lexicon_path,
    corpus_settings=corpus_settings,
    split=split,
    min_count=min_count,
    top_n=top_n,
    selected=selected,
)

# %% [markdown]
# ## 1. 读入语料 Loading the corpus

# %%
corp = corpus.build(corpus_path, **corpus_settings)
lex = lexicon.load(lexicon_path)
condition = split or keyness.median_split(corp)
tables.styled(summaries.summary(corp), bars=())

# %% [markdown]
# ## 2. 某个时期之后的新提法 Formulations that emerged in the later period
#
# 候选是文本中反复出现的 3–10 字的汉字串，它们既不是词表中的词条，也不是词条的一部分。每个候选有四项统计：
# 内部凝固度（PMI：把字串从最弱处切开，两半一起出现的次数比随机多多少，取对数）、左右邻字的信息熵
# （边界自由度：一个完整的提法前后可以接各种字；只是更长字串一部分的片段，前后总是同一个字，熵为 0）、
# 词边界（分词后字串的首尾都落在词的边界上的出现所占比例；不到一半的，如“跨境电商”中的“跨境电”，
# 是从词中间截下的片段，不列出），
# 以及出现次数。属于更长候选一部分、且几乎总是随它出现的片段被并入长的候选。
#
# 按时期排列时，只保留在后一时期相对更常用（对数似然 G² ≥ 3.84，即 p < 0.05）的候选。
# 先列“新”候选（此前的文档中从未出现，即这一时期出现的提法），再列此前已有、此后更常用的候选；
# 每组内按“词的完整程度 × 对数比”排列。只出现两三次的新提法证据太少，往往排在后面；
# 最近出现的提法见下面按首次出现年份排列的表。

# %%
emerging = discover.candidates(corp, lex, split=condition, min_count=min_count, top=None, progress=False)
print(discover.describe(emerging, condition))
tables.styled(emerging[["candidate", "count", "docs", "first_year", "last_year", "target_count", "reference_count",
                        "g2", "log_ratio", "new", "kwic_first"]],
              bars=("count",), rows=top_n, caption=f"{condition} 之后相对更常用的候选提法（前 {top_n} 个）")

# %% [markdown]
# 排在前面的候选每年的每万字频率（各图刻度不同，比较的是形状）：

# %%
shown = emerging.candidate.head(9).tolist()
if shown:
    display(charts.trend(discover.trajectories(corp, shown), x="year", concepts=shown,
                         title="新提法的每万字频率"))
else:
    print("没有可以画出的候选。")

# %% [markdown]
# 其中此前从未出现过的候选（“新”），按首次出现的年份从近到远排列，每个附最后一次出现的上下文：

# %%
new_only = emerging[emerging.new].sort_values(["first_year", "count"], ascending=[False, False], kind="stable")
tables.styled(new_only[["candidate", "first_year", "count", "docs", "kwic_last"]], bars=("count",), rows=top_n,
              caption=f"{condition} 之后首次出现的候选提法（最近的 {top_n} 个）")

# %% [markdown]
# ## 3. 全部文本中的候选 Candidates in the whole corpus
#
# 不分时期，按“词的完整程度”（log 出现次数 × PMI × 较小的边界熵）排列；jieba 词典中已有的普通词语不列出。

# %%
overall = discover.candidates(corp, lex, min_count=min_count, top=top_n, progress=False)
print(discover.describe(overall))
tables.styled(overall[["candidate", "count", "docs", "first_year", "last_year", "pmi", "left_entropy",
                       "right_entropy", "kwic_first"]], bars=("count",), caption=f"词表之外的候选提法（前 {top_n} 个）")

# %% [markdown]
# ## 4. 用法相近的词 Terms that behave like a concept
#
# 在本语料上训练 Word2Vec 词向量：分词时词表中的每个词条都保持为一个词，所以“社会治理”这样的概念本身就在词表中；
# 固定随机种子、单线程训练，同样的文本和词表总是得到同样的结果。与概念最相近的词（已在词表中的除外）只说明它们
# 出现在相似的上下文中，可能是同一概念的另一种说法，也可能只是经常一同出现的相关事物，必须读上下文才能判断。

# %%
near = expand.neighbours(corp, lex, selected, top=10, skip_missing=True, progress=False)
print(f"训练参数：{expand.describe_parameters()}。")
if near.attrs["missing"]:
    print(f"不在词向量词汇中的种子（出现太少）：{'、'.join(near.attrs['missing'])}。")
tables.styled(near, bars=("similarity",), caption="与所选概念最相近的词")

# %% [markdown]
# ## 5. 把候选变成词条 From candidates to lexicon entries
#
# 审阅流程（详见 `data/lexicon/CURATION.md`）：
#
# 1. `python -m analysis discover 语料 --since 2012 --as-lexicon 候选.csv` 写出审阅表：每个候选一行，
#    格式就是 CSV 词表（`concept, term, category, en, source`），另有 `decision`、`by`、`why` 三列；
# 2. 读每个候选的上下文，填写 `concept`（已有概念或新概念）、`category`、`decision`（accept 或 reject）、
#    决定人 `by` 和理由 `why`；
# 3. `python -m analysis curate 候选.csv -o 新词表.csv` 检查审阅表，把接受的行加入词表；审阅表保留在词表旁边，
#    就是这个版本的词表如何形成的记录。
#
# 下面用前三个候选演示：第一个作为新概念接受，第二个拒绝，第三个暂不决定。

# %%
sheet = discover.worked_example(emerging, where=corpus_path)
tables.styled(sheet, bars=(), caption="填写后的审阅表（示例）")

# %%
grown, tally = curation.decide(lex, sheet, source="示例审阅表")
print(f"接受 {tally['accept']} 个、拒绝 {tally['reject']} 个、未决定 {tally['undecided']} 个；"
      f"词表由 {len(lex.table)} 个词条变为 {len(grown)} 个。")
tables.styled(grown.tail(3), bars=(), caption="新词表的最后几行")

# %% [markdown]
# ## 来源与可复现信息 Provenance

# %%
tables.provenance(corp, lex, parameters={"corpus_path": corpus_path, "lexicon_path": lexicon_path, "split": condition,
                                         "min_count": min_count, "top_n": top_n, "selected": selected,
                                         "word2vec": expand.describe_parameters()})
