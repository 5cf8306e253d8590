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
# # 概念浏览器：课堂上的交互探索 Concept explorer for the classroom
#
# 在 JupyterLab 中点选即可探索一个语料：选择语料、一个或多个概念、分组方式和时期划分，
# 下方的趋势图、时期对比（关键性）、关键词在上下文中（KWIC）、共现概念和最密集的文档随之更新。
# 四个“教学开关”现场演示本项目为什么这样计数：jieba 默认分词 vs 按词表固定词条、去重与否、
# 是否删除 PDF 提取造成的汉字间空格、是否先把繁体转为简体——每个开关都在它所改变的次数旁边给出造成差别的原文。
#
# 所有数字与命令行相同：语料只读入、清洗、匹配一次，点击只是选取其中的行。

# %%
from analysis import config, tables
from analysis.config import Settings
from analysis.present.explorer import lesson, widget
from analysis.present.explorer.model import Models

# %% tags=["parameters"]
corpus_path = str(config.CORPORA_DIR / "cpc-congress-reports")  # a .txt file, a folder of .txt files, or a .csv/.xlsx table
lexicon_path = str(config.DEFAULT_LEXICON)  # a .yaml or .csv lexicon
corpus_settings = {}  # reading and cleaning settings, e.g. {"text_column": "content", "simplified": True}
query = "协商民主"  # the concept shown first (if the lexicon has it; else the most frequent)
split = "year >= 2012"  # period split of the keyness view ("" = at the median year)
essay_path = str(config.SAMPLE_ESSAY)  # the teaching comparison always uses the sample essay
demo_lexicon_path = str(config.LEXICON_DIR / "sample-concepts.csv")  # 3 concepts: 党建引领, 协商民主, 社区治理
term = "党建引领"  # the concept of the teaching comparison

# %%
config.check_parameters(corpus_path=corpus_path, lexicon_path=lexicon_path, corpus_settings=corpus_settings,
                        query=query, split=split, essay_path=essay_path, demo_lexicon_path=demo_lexicon_path, term=term)

# %% [markdown]
# ## 教师使用说明 Instructions for teachers
#
# 1. 在 JupyterLab 中打开本笔记本（`python3 tasks.py lab`），选择菜单“Run → Run All Cells”。下方出现浏览器。
# 2. **语料**：下拉列表里有两个内置语料和样例文章；选“其他（填写路径）”并在“路径”中填写自己的文件或文件夹，再点“读入”。
# 3. **概念**：在“搜索概念”中输入几个字（如“民主”）筛选列表；按住 Ctrl（macOS 上为 ⌘）可多选。每一项显示概念、类别和出现次数，
#    选中后上方一行给出它包含的词条。
# 4. **分组**和**时期划分**：趋势按年份（或文档、其他元数据列）分组；时期划分写成 `year >= 2012`，留空则取中位年份。
#    年份之间有缺口时（如政府工作报告 1960—1964），趋势线在缺口处断开。
# 5. **教学开关**：勾选“保留重复段落”，所有视图都改用保留重复的计数；最下方的“教学对比”表同时列出两种做法的次数和造成差别的原文。
#    例如：语料选“样例文章”、概念选“党建引领”——jieba 默认分词后数到 0 次，本项目直接在文本中查找词条数到 4 次，保留重复段落则是 7 次。
# 6. 想把浏览器发给学生（不需要安装 Python）：在终端运行
#    `python -m analysis explore --corpus data/corpora/cpc-congress-reports --split "year>=2012" -o explorer.html`，
#    或在笔记本中运行 `from analysis.present.explorer import page; page.write(app.model, "explorer.html")`。
#    得到的是一个离线可用的 HTML 文件（党代会报告约 4.4 MB），任何浏览器都能打开：选择概念、悬停看数值、在上下文中搜索。

# %% [markdown]
# ## 1. 浏览器 The explorer
#
# 浏览器只在运行中的 JupyterLab 里显示；在 HTML 报告中，下面第 3 节给出同一数据的静态表格。

# %%
app = widget.Explorer(corpus_path, lexicon_path, concepts=[query], split=split, settings=Settings.of(**corpus_settings))
app

# %% [markdown]
# ## 2. 课堂练习 Classroom exercise
#
# 请用上面的浏览器回答下列三个问题，并写下你依据的数字（次数、每万字次数和它的分母）：
#
# 1. **协商民主何时进入党代会报告？** 选择“协商民主”：它在哪一年的报告中第一次出现？时期对比（2012 年及以后 vs. 之前）
#    给出的次数是多少？在“关键词在上下文中”表里，它最常与哪些词语搭配（例如“制度”“广泛多层”）？
# 2. **它和什么一起出现？** 看“共现概念”表和网络图：与“协商民主”同句出现最多的三个概念是什么？
#    再选“全过程人民民主”，比较两者的共现概念，你能看出两者在报告中的关系吗？
# 3. **计数方法为什么重要？** 把语料换成“样例文章”，选择“党建引领”。用 jieba 默认分词数到几次？勾选“保留重复段落”后，
#    趋势、上下文和文档表中的次数分别变成多少？请根据“教学对比”表中的原文解释原因。

# %% [markdown]
# ## 3. 静态结果 Static results
#
# 与浏览器中所选概念相同的表格，供 HTML 报告和打印使用。

# %%
model = app.model
concept = app.concepts.value[0]
tables.styled(model.totals[model.totals.concept == concept], caption=f"“{concept}”的出现次数 Count")

# %%
tables.styled(model.trend([concept]), caption=f"“{concept}”按 {model.by} 的每万字出现次数（含分母）Trend")

# %%
tables.styled(model.key(concept), bars=(), caption=f"时期对比 {model.split or '（无）'}：目标 = 满足条件的文档 Keyness")

# %%
lines = model.kwic(concept)
tables.kwic(lines, rows=20, caption=f"“{concept}”的上下文（前 {min(20, len(lines))} 行，共 {len(lines)} 行）")

# %%
tables.styled(model.partners(concept).head(10), caption=f"与“{concept}”同句出现的概念 Co-occurring concepts")

# %%
tables.styled(model.densest(concept), caption=f"“{concept}”最密集的文档 Densest documents")

# %% [markdown]
# ## 4. 教学对比 Teaching comparison
#
# 样例文章中的“党建引领”：分词方式、去重、汉字间空格、繁简转换各自改变了多少次，以及造成差别的原文。
# 朴素做法的次数在左，本项目的做法在右；“造成差别的文字”为空表示该语料中两种做法没有差别。

# %%
tables.styled(lesson.lesson(Models(essay_path, demo_lexicon_path), Settings(), term),
              bars=("naive", "fixed"), caption=f"“{term}”：四个教学开关 Teaching toggles")

# %% [markdown]
# ## 来源与可复现信息 Provenance

# %%
tables.provenance(model.corpus, model.lexicon, parameters={"corpus_path": corpus_path, "lexicon_path": lexicon_path,
                                                           "corpus_settings": corpus_settings, "query": query,
                                                           "split": split})
