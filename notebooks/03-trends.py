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
# # 跨年份的概念变化 Trends across the years
#
# 本报告看语料中概念的每万字频率如何随年份变化：所选概念的小多图、高频概念 × 年份热力图、概念首次出现的年份，
# 以及两个时期之间的关键概念（keyness）。所用的语料（可以是几个）、词表和参数写在本页开头；没有年份的文档不计入。
#
# 每万字频率 = 该年份的出现次数 ÷ 该年份文本的字数 × 10,000。各年份文本长短差别很大，所以比较频率而不是次数；分母（字数）列在第 2 节。

# %%
# %matplotlib inline
from IPython.display import display

from analysis import charts, config, context_charts, corpus, keyness, labels, lexicon, match, page, summaries, tables, trends

page.setup()  # paths from the project folder, sharp figures, notices in Chinese

# %% tags=["parameters"]
corpora = {  # name -> corpus path (folders with a MANIFEST.csv giving each document's year)
    "党代会报告": str(config.CORPORA_DIR / "cpc-congress-reports"),
    "政府工作报告": str(config.CORPORA_DIR / "gov-work-reports"),
}
lexicon_path = str(config.DEFAULT_LEXICON)  # a .yaml or .csv lexicon
corpus_settings = {}  # reading and cleaning settings, e.g. {"text_column": "content", "simplified": True}
by = "year"  # the metadata column giving the time axis
selected = ["党的领导", "依法治国", "协商民主", "全过程人民民主", "社区治理", "生态文明", "共同富裕", "乡村振兴", "国家治理现代化"]
top_n = 15  # concepts in the heatmap, rows of the tables
split = "year >= 2012"  # keyness: documents meeting this condition against the rest ("" = at the median year)

# %%
config.check_parameters(
    corpora=corpora,
    lexicon_path=lexicon_path,
    corpus_settings=corpus_settings,
    by=by,
    selected=selected,
    top_n=top_n,
    split=split,
)

# %% [markdown]
# ## 1. 读入语料 Loading the corpora

# %%
lex = lexicon.load(lexicon_path)
corps = {name: corpus.build(path, **corpus_settings) for name, path in corpora.items()}
hits = {name: match.find(corp.paragraphs, lex) for name, corp in corps.items()}
rates = {name: trends.rates(hits[name], corp, lex, by=by) for name, corp in corps.items()}
for name, corp in corps.items():
    display(tables.styled(summaries.summary(corp), bars=(), caption=name))

# %% [markdown]
# ## 2. 每年的文本量（分母） Text per year: the denominators
#
# 每个年份的字数就是该年份每万字频率的分母。字数很少的年份（例如只有摘要的文本）频率波动更大，解读时要谨慎。

# %%
for name, corp in corps.items():
    per_year = corp.docs.groupby(by, as_index=False).agg(docs=("doc", "size"), chars=("chars", "sum"))
    display(tables.styled(per_year, bars=("chars",), caption=f"{name}：各年份的文档数和字数", fold=len(per_year) > 15))

# %% [markdown]
# ## 3. 所选概念的变化 Selected concepts over time
#
# 每个小图是一个概念，纵轴是每万字频率（各图刻度不同，比较的是形状而不是高低）。没有文本的年份留空，不连线。
# 词表中没有的概念会在提示中列出（附最接近的概念），语料中从未出现的概念略过。

# %%
shown = summaries.chosen_concepts(selected, lex) or lex.concepts.concept.head(6).tolist()
for name, table in rates.items():
    totals = table.groupby("concept")["count"].sum()
    present = [c for c in shown if totals.get(c, 0) > 0]  # a concept never found would be a flat line at 0
    display(charts.trend(table, x=by, concepts=present, title=f"{name}：所选概念的每万字频率"))

# %% [markdown]
# ## 4. 概念 × 年份 Concepts by year
#
# 每个语料库中出现次数最多的概念（个数见页首参数“显示条数”），颜色越深表示该年份每万字频率越高。
# 年份太多（超过 30 个）时，相邻年份合并为等宽的时段，时段的频率 = 时段内次数之和 ÷ 字数之和 × 10,000。

# %%
for name, table in rates.items():
    top = table.groupby("concept", sort=False)["count"].sum().nlargest(top_n).index
    display(charts.heatmap(trends.periods(table[table.concept.isin(top)], by=by), index="concept", columns=by,
                         value="per_10k", title=f"{name}：高频概念每万字频率"))
    display(tables.styled(summaries.wide(table, by=by, value="per_10k", drop_zero=True), bars=(), fold=True,
                          caption=f"{name}：出现过的概念 × 年份的每万字频率（宽表，可下载 CSV 用 Excel 打开）"))

# %% [markdown]
# ## 5. 新概念首次出现 When new concepts first appear
#
# 下表列出不是从第一年起就出现的概念，按首次出现的年份从近到远排列：“首次出现”“最近出现”是年份，
# “出现年份数”是出现过的年份个数（共“年份数”个年份），“出现次数”是全部年份的合计。

# %%
for name, corp in corps.items():
    spans = trends.first_last(hits[name], corp, lex, by=by)
    newer = spans[spans["first"].notna() & (spans["first"] > spans["first"].min())]
    display(tables.styled(newer.sort_values("first", ascending=False, kind="stable"), rows=top_n * 2,
                          caption=f"{name}：新出现的概念（最近的 {top_n * 2} 个）"))

# %% [markdown]
# ## 6. 两个时期的关键概念 Key concepts of two periods
#
# 把每个语料库分成两个时期（见页首参数“时期划分”；未给出时在年份中位数处划分），比较每个概念在两个时期的相对频率：
# 对数似然值 G² 说明差异是否可能出于偶然（G² ≥ 3.84 对应 p < 0.05，≥ 10.83 对应 p < 0.001），
# 对数比（log ratio）说明差异有多大（1 = 两倍，−1 = 一半）。条形右侧是在目标时期更常用的概念，左侧是在参照时期更常用的概念。

# %%
for name, corp in corps.items():
    condition = split or keyness.median_split(corp, by)
    later, earlier = labels.split_labels(condition)
    target, reference = keyness.split(corp, condition)
    key = keyness.concepts(target, reference, lex, min_count=3)
    display(tables.styled(key.sort_values("g2", ascending=False), bars=("g2",), rows=top_n,
                          caption=f"{name}：{later}（目标）对{earlier}（参照）"))
    display(context_charts.keyness(key, n=10, target=later, reference=earlier, title=f"{name}：两个时期的关键概念"))

# %% [markdown]
# ## 来源与可复现信息 Provenance

# %%
tables.provenance(corps, lex, parameters={"corpora": corpora, "lexicon_path": lexicon_path, "by": by,
                                          "selected": selected, "top_n": top_n, "split": split})
