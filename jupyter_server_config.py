"""JupyterLab settings for this project (``python3 tasks.py lab`` passes this file with --config).

Notebooks are saved without outputs, as the project stores them (tests/test_notebooks.py
checks it): run and save freely, the outputs stay on screen until the notebook is closed.
"""

from analysis.present.page import strip_outputs

c = get_config()  # noqa: F821 - provided by Jupyter when it reads this file
c.FileContentsManager.pre_save_hook = strip_outputs
