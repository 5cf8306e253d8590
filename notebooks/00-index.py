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
# # 笔记本目录 Notebook index
#
# 这组笔记本用同一套程序包 `analysis` 回答关于中文政策文本和学术文本的几个问题：某些概念（如党建引领、协商民主、
# 社区治理、全过程人民民主）出现了多少次、出现在哪里、和什么一起出现、随时间如何变化。所有计算都在程序包里完成，
# 笔记本只负责调用和讲解，因此每个数字都与命令行 `python -m analysis count` 的结果一致。
#
# | 笔记本 Notebook | 回答的问题 |
# |---|---|
# | `00-index` | 有哪些笔记本、如何用在自己的文本上 |
# | `01-quickstart` | 从原始文本到计数的每一步：清洗、去重、分词、计数；为什么 jieba 会把“党建引领”切开（教学用，只用内置示例） |
# | `02-concept-report` | 概念频次报告：概念表与词条表、高频概念条形图、词云、概念 × 章节热力图、概念在文中的位置 |
# | `03-trends` | 跨年份的变化：概念的每万字频率、小多图、概念 × 年份热力图、新概念首次出现、两个时期的关键概念（需要年份） |
# | `04-context` | 上下文：关键词在上下文中（KWIC）、概念共现、概念在文中的分布 |
# | `05-discovery` | 词表之外的新提法及其出现年份、用法相近的词（词向量）、把候选审阅后加入词表（需要年份） |
# | `06-policy-tools` | 政策工具编码与文本复用：条款拆分、按编码表自动编码、各年份工具结构、工具 × 目标交叉表、相邻报告的复用（需要年份） |
# | `07-explorer` | 课堂用的交互式概念浏览器（JupyterLab 中点选；可导出离线 HTML），教师说明与课堂练习 |
#
# 每个笔记本都可以从上到下直接运行，不需要修改任何代码。

# %% [markdown]
# ## 1. 参数 Parameters
#
# 每个笔记本开头都有一个带 `parameters` 标签的单元格，里面是语料路径、词表路径、显示条数等设置。
# 路径以项目文件夹为基准：写 `corpus_path = "mytexts"` 就是项目文件夹里的 `mytexts`，无论从哪个目录启动 Jupyter。

# %%
from analysis import config, corpus, lexicon, page, summaries, tables

page.setup()  # paths from the project folder, sharp figures, notices in Chinese

# %% tags=["parameters"]
corpus_path = str(config.SAMPLE_DIR)  # a .txt/.pdf/.docx/.html file, a folder of them, or a .csv/.xlsx table
lexicon_path = str(config.DEFAULT_LEXICON)  # a .yaml or .csv lexicon
corpus_settings = {}  # reading and cleaning settings, e.g. {"text_column": "content", "simplified": True}

# %%
config.check_parameters(corpus_path=corpus_path, lexicon_path=lexicon_path, corpus_settings=corpus_settings)

# %% [markdown]
# ## 2. 当前语料与词表 The corpus and lexicon in use
#
# 下面是本次所用的语料：文档数、段落数、字数，以及可以用来分组的元数据列（如 `year`）。

# %%
corp = corpus.build(corpus_path, **corpus_settings)
page.notices(corp.notices())

# %%
tables.styled(summaries.summary(corp), bars=())

# %%
lex = lexicon.load(lexicon_path)
tables.styled(lex.concepts.groupby("category", sort=False).size().reset_index(name="concepts"), bars=("concepts",),
              caption=f"词表 {lex.citation()}：各类别的概念数")

# %% [markdown]
# ## 3. 用在自己的文本上 Running on your own texts
#
# **第一步：准备文本。** 三种形式都可以：
#
# - 一个 `.txt` 文件（一篇文档）；PDF（`.pdf`，需有文字层；KWIC 表格会给出页码）、Word（`.docx`）和保存的网页（`.html`）也可以直接使用，无需转换；
# - 一个文件夹，里面每个 `.txt`、`.pdf`、`.docx` 或 `.html` 文件是一篇文档；在同一文件夹放一个 `MANIFEST.csv`（含 `file` 列，以及 `year`、`title` 等列）即可按年份分组；
# - 一个 `.csv` 或 `.xlsx` 表格，每行一篇文档，正文在 `text` 列，其他列成为元数据。
#
# 编码会自动识别（UTF-8、GB18030/GBK、Big5 等）。
#
# **第二步（可选）：准备词表。** 复制 `data/lexicon/governance.yaml`，或写一个含 `concept,term` 两列的 CSV 文件。
#
# **第三步：生成报告。** 在项目文件夹的终端里运行：
#
# ```bash
# python -m analysis report --corpus 我的文本文件夹 --lexicon 我的词表.yaml -o 我的报告
# ```
#
# 打开 `我的报告/index.html` 即可看到全部报告（不含代码的阅读版和含代码版）。不加 `--corpus`、`--lexicon` 时使用内置数据，报告写入 `reports/`。
# 给出 `--corpus` 时，所有报告都只用你的语料（教学笔记本 `01-quickstart` 只用内置示例，因此不生成）；`03-trends` 和 `06-policy-tools` 需要语料带有 `year` 列
# （`MANIFEST.csv` 或表格中的年份可以写成 `2019` 或 `2019年`）。
#
# 报告的参数也可以在命令行给出，例如 `--kwic 协商民主 --concepts 党的领导,共同富裕 --split "year >= 2012" --top-n 15 --title 我的研究`，
# 或写在一个 `report.yaml` 文件里（`--config report.yaml`）。每页开头都写明所用的语料、词表、参数和日期。
#
# **在 Jupyter 中：** 打开任一笔记本，修改第一个带 `parameters` 标签的单元格中的路径（相对路径以项目文件夹为基准），然后“重启并全部运行”（Restart & Run All）。
#
# **用 papermill：** `papermill notebooks/02-concept-report.ipynb 输出.ipynb -p corpus_path 我的文本文件夹`。

# %% [markdown]
# ## 来源与可复现信息 Provenance

# %%
tables.provenance(corp, lex, parameters={"corpus_path": corpus_path, "lexicon_path": lexicon_path})
