"""Speed benchmark: concept counts and word frequencies on 10 and 100 MB, against a plain baseline.

    python3 tasks.py bench                      # 10 and 100 MB, files of about 1 MB
    python3 tasks.py bench --sizes 10 --layout single

A corpus of the requested size is built in a temporary folder from the
bundled reports (data/corpora), by repetition: files of about 1 MB, each a
concatenation of different reports (so no file repeats a paragraph), or with
``--layout single`` one big file (then the project's commands run with
``--keep-duplicates``, since repetition inside one document would otherwise
be removed as duplicates). Then, in one run and side by side:

- ``count``: ``python -m analysis count DIR`` (the real command, whole wall time);
- ``words``: ``python -m analysis words DIR --no-cache`` (cold, no cache);
- ``words (cached)``: the same again with the cache filled by a first run;
- ``baseline``: plain jieba with the lexicon's terms added (``jieba.add_word``),
  ``Counter`` over ``jieba.lcut`` of every file, one process.
- ``segmenter floor``: only rjieba's ``cut`` and a ``Counter`` of its tokens per file, one
  process per core: the least any word count built on jieba-rs's Python binding can cost;
- ``--workers MB ...``: ``count`` and ``words`` with one process and with the default choice of
  worker processes, size by size (fastest of three, in rounds), to show where workers pay.

The package is compiled to bytecode first (as an installation does; where
``PYTHONDONTWRITEBYTECODE`` is set, each command would otherwise compile its
modules again, about 0.07 s). Each command runs three times (``--repeat``), in
rounds (all commands once, then all again), so a slow spell of a shared machine
falls on all of them alike; the table gives the fastest run's wall and CPU time
(as ``timeit`` does: the slower runs also measure the machine's other load) and
the largest peak memory of the runs; the progress lines list every run. Every measurement is a separate process: wall time, MB/s (input bytes),
speed-up against the baseline, and peak memory: the largest sum of the
proportional set size (PSS: resident memory, pages shared by forked workers
counted once) over the process and its worker processes, sampled every 20 ms
from /proc, or the largest single process (``os.wait4``) if that is more; on
other systems only the latter.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "data" / "corpora"


def build_corpus(folder: Path, megabytes: float, *, layout: str) -> int:
    """Write about ``megabytes`` MB of report text into ``folder``; return the bytes written."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPORA.glob("*/*.txt"))]
    target = int(megabytes * 1_000_000)
    folder.mkdir(parents=True, exist_ok=True)
    written, turn, number = 0, 0, 0
    big = open(folder / "corpus.txt", "w", encoding="utf-8") if layout == "single" else None
    try:
        while written < target:
            parts, size = [], 0
            for _ in range(len(texts)):  # a file never holds the same report twice
                text = texts[turn % len(texts)]
                turn += 1
                parts.append(text)
                size += len(text.encode("utf-8"))
                if size >= 1_000_000 or written + size >= target:
                    break
            chunk = "\n".join(parts) + "\n"
            if big is not None:
                big.write(chunk)
            else:
                (folder / f"part-{number:05d}.txt").write_text(chunk, encoding="utf-8")
            number += 1
            written += len(chunk.encode("utf-8"))
    finally:
        if big is not None:
            big.close()
    return written


def build_rows(path: Path, rows: int) -> int:
    """Write a CSV table of ``rows`` one-line documents (sentences of the bundled reports); return its bytes."""
    sentences = [s for p in sorted(CORPORA.glob("*/*.txt"))
                 for s in p.read_text(encoding="utf-8").replace("\n", "。").split("。") if 8 <= len(s) <= 60]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("id,text\n")
        for i in range(rows):
            f.write(f"r{i},{sentences[i % len(sentences)].replace(',', '，')}。\n")
    return path.stat().st_size


def baseline(folder: str) -> None:
    """The plain approach: global jieba plus add_word for the lexicon, Counter over lcut, one process."""

    import jieba

    sys.path.insert(0, str(ROOT))
    from analysis import lexicon

    jieba.setLogLevel(60)
    for term in lexicon.load().terms:
        jieba.add_word(term)
    counts: Counter = Counter()
    for path in sorted(Path(folder).glob("*.txt")):
        counts.update(jieba.lcut(path.read_text(encoding="utf-8")))
    print(len(counts), file=sys.stderr)


def floor(folder: str) -> None:
    """The read+decode floor: read every file of the corpus and decode it, nothing else, one process."""
    chars = 0
    for path in sorted(Path(folder).glob("*.txt")):
        chars += len(path.read_bytes().decode("utf-8"))
    print(chars, file=sys.stderr)


def _cut_and_count(path: str) -> int:
    import rjieba

    return len(Counter(rjieba.cut(Path(path).read_bytes().decode("utf-8"), True)))


def segmenter_floor(folder: str) -> None:
    """What any words command must do at least: rjieba's ``cut`` and a ``Counter`` of its tokens, per file,
    on one process per core (no cleaning, no lexicon, no merging)."""
    from multiprocessing import Pool

    with Pool(default_cores()) as pool:
        print(sum(pool.map(_cut_and_count, sorted(map(str, Path(folder).glob("*.txt"))))), file=sys.stderr)


def compile_bytecode(tree: Path) -> None:
    """Compile the tree's package to bytecode first, as an installation does: where Python writes no bytecode
    (PYTHONDONTWRITEBYTECODE, as on some CI machines), every command would otherwise compile its modules again."""
    import compileall

    compileall.compile_dir(str(tree / "analysis"), quiet=1)


def default_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def build_big_lexicon(path: Path, terms: int) -> None:
    """A lexicon of jieba's ``terms`` most frequent dictionary words, each its own concept (a CSV lexicon)."""
    import csv

    import jieba

    words = []
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            word, freq, *_ = line.split(" ")
            words.append((-int(freq), word))
    words.sort()
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["concept", "term", "category"])
        for _, word in words[:terms]:
            writer.writerow([word, word, "jieba"])


def _pss(pid: int) -> int:
    """Proportional set size in bytes: resident memory with pages shared by forked workers split among them."""
    with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
        for line in f:
            if line.startswith(b"Pss:"):
                return int(line.split()[1]) * 1024
    return 0


def _tree_rss(root: int) -> int:
    """Memory of a process and all its descendants (Linux /proc): the sum of their PSS."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            total += _pss(pid)
        except (OSError, ValueError):
            pass
        stack.extend(children.get(pid, []))
    return total


def measure(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Run a command in ``cwd``; return (wall seconds, peak resident MB); its CPU seconds go to ``LAST_CPU``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            try:
                peak[0] = max(peak[0], _tree_rss(process.pid))
            except OSError:
                pass
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if os.path.isdir("/proc"):
        sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode("utf-8", "replace")
    if process.returncode != 0:
        sys.exit(f"error: {' '.join(command)} failed ({process.returncode}): {error.strip()[-500:]}")
    single = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime  # the command and the worker processes it waited for
    return wall, max(peak[0], single) / 1e6


LAST_CPU = [0.0]


def in_rounds(repeat: int, runs: list[tuple[str, list[str], Path]]) -> dict[str, list[tuple]]:
    """Run each ``(name, command, folder)`` ``repeat`` times, in rounds (every command once, then every command
    again), so a slow spell of the machine falls on all of them alike: ``{name: [(wall s, CPU s, peak MB), ...]}``.
    """
    results: dict[str, list[tuple]] = {name: [] for name, _, _ in runs}
    for turn in range(repeat):
        for name, command, folder in runs:
            wall, peak = measure(command, folder)
            results[name].append((wall, LAST_CPU[0], peak))
            print(f"  round {turn + 1}: {name}: {wall:.2f} s, CPU {LAST_CPU[0]:.2f} s, {peak:.0f} MB", flush=True)
    return results


def fastest(runs: list[tuple]) -> tuple[float, float, float]:
    """(fastest wall, that run's CPU, largest peak memory of all runs): the fastest run measures the code, the
    others also the machine's other load (as ``timeit`` does)."""
    wall, cpu, _ = min(runs)
    return wall, cpu, max(peak for _, _, peak in runs)


def workers_curve(sizes: list[float]) -> None:
    """``count`` and ``words`` with one process and with the default worker choice, size by size."""
    python = sys.executable
    print("\n| input | task | one process: wall (s) | memory (MB) | default: wall (s) | memory (MB) | "
          "default / one process |")
    print("|---|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="zhgov-bench-") as tmp:
        os.environ["ZHGOV_CACHE_DIR"] = str(Path(tmp) / "cache")
        for size in sizes:
            folder = Path(tmp) / f"corpus-{size:g}MB"
            nbytes = build_corpus(folder, size, layout="files")
            out = str(Path(tmp) / "out.csv")
            for task, extra in (("count", []), ("words", ["--no-cache"])):
                command = [python, "-m", "analysis", task, str(folder), "-q", "-o", out, *extra]
                measured = in_rounds(3, [("one", command + ["--jobs", "1"], ROOT), ("default", command, ROOT)])
                one, default = fastest(measured["one"]), fastest(measured["default"])
                print(f"| {nbytes / 1e6:.1f} MB | {task} | {one[0]:.2f} | {one[2]:.0f} | {default[0]:.2f} | "
                      f"{default[2]:.0f} | {default[0] / one[0]:.2f} |", flush=True)
            shutil.rmtree(folder)


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        ram = f"{mem / 1e6:.0f} GB RAM"
    except (OSError, StopIteration):
        ram = "RAM unknown"
    load = ", load average %.2f %.2f %.2f" % os.getloadavg() if hasattr(os, "getloadavg") else ""
    return (f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores ({cpu}), {ram}, "
            f"Python {platform.python_version()}, {platform.system()}{load}")


def _worker_trim() -> str | None:
    """Runs on a Dask worker: its glibc memory-trimming setting."""
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


class DaskCluster:
    """A real Dask cluster on this machine: ``dask scheduler`` and two ``dask worker`` processes (one thread each).

    The workers are started as the README advises (:data:`WORKER_ENVIRONMENT`), and both commands are run
    once on the bundled corpora before anything is measured, so the workers have imported the package and
    the scheduler has served a client: :attr:`idle_mb` is the scheduler's memory after that.
    """

    def __init__(self, folder: Path):
        dask = str(Path(sys.executable).with_name("dask"))
        info = folder / "scheduler.json"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        quiet["start_new_session"] = True  # each in its own process group: closing ends its worker processes too
        self.scheduler = subprocess.Popen([dask, "scheduler", "--port", "0", "--no-dashboard", "--scheduler-file",
                                           str(info)], **quiet)
        self.workers = [subprocess.Popen([dask, "worker", "--scheduler-file", str(info), "--nthreads", "1",
                                          "--no-dashboard", "--memory-limit", "0"], cwd=ROOT,
                                         env={**os.environ, **WORKER_ENVIRONMENT}, **quiet)
                        for _ in range(2)]
        from distributed import Client

        deadline = time.time() + 60
        while not info.exists() and time.time() < deadline:
            time.sleep(0.2)
        import json

        self.address = json.loads(info.read_text())["address"]
        with Client(self.address) as client:
            client.wait_for_workers(2, timeout=60)
            trim = set(client.run(_worker_trim).values())
        if trim != {WORKER_TRIM}:
            sys.exit(f"error: the Dask workers did not get MALLOC_TRIM_THRESHOLD_={WORKER_TRIM} (they have {trim})")
        self.cold_mb = self.scheduler_mb()
        out = str(folder / "warm-up.csv")
        for command in ("count", "words"):
            measure([sys.executable, "-m", "analysis", command, str(CORPORA), "-q", "-o", out, "--engine", "dask",
                     "--scheduler", self.address])
        time.sleep(2)
        self.idle_mb = self.scheduler_mb()

    def scheduler_mb(self) -> float:
        return _pss(self.scheduler.pid) / 1e6

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            process.terminate()
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                pass
            try:  # the nanny's worker process and Dask's resource tracker are in the same group
                os.killpg(process.pid, signal.SIGKILL)
            except (AttributeError, ProcessLookupError, PermissionError):  # Windows has no process groups
                pass


#: glibc's memory trimming for the Dask workers, as the README advises: Dask's nanny starts its workers with
#: MALLOC_TRIM_THRESHOLD_=65536, which returns every freed block to the system at once and makes the numpy
#: work of counting pay page faults again and again (count 1.5-1.8x slower on this machine).
WORKER_TRIM = str(128 * 2**20)
WORKER_ENVIRONMENT = {"DASK_DISTRIBUTED__NANNY__PRE_SPAWN_ENVIRON": '{"MALLOC_TRIM_THRESHOLD_": %s}' % WORKER_TRIM}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[10, 100], metavar="MB")
    parser.add_argument("--layout", choices=["files", "single"], default="files")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for the project's commands")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="run each command N times and report the fastest (default 3)")
    parser.add_argument("--big-lexicon", type=int, metavar="N", default=0,
                        help="also count with a lexicon of jieba's N most frequent words (e.g. 20000)")
    parser.add_argument("--dask", action="store_true",
                        help="also run count and words on a local Dask cluster (scheduler + 2 workers)")
    parser.add_argument("--report", action="store_true", help="also time the report on the bundled data")
    parser.add_argument("--report-against", metavar="REV",
                        help="with --report: also time the report of the tree at git revision REV (same run)")
    parser.add_argument("--workers", nargs="+", type=float, metavar="MB",
                        help="instead: count and words at these sizes with one process (--jobs 1) and with the "
                             "default, to show where worker processes pay")
    parser.add_argument("--rows", type=int, metavar="N",
                        help="instead: count on one CSV table of N one-line documents (memory per document)")
    parser.add_argument("--baseline", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--floor", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--segmenter-floor", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline:
        return baseline(args.baseline)
    if args.floor:
        return floor(args.floor)
    if args.segmenter_floor:
        return segmenter_floor(args.segmenter_floor)
    python = sys.executable
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    extra = ["--keep-duplicates"] if args.layout == "single" else []
    print(f"machine: {machine()}", flush=True)
    compile_bytecode(ROOT)
    if args.workers:
        return workers_curve(args.workers)
    if args.rows:
        with tempfile.TemporaryDirectory(prefix="zhgov-bench-") as tmp:
            os.environ["ZHGOV_CACHE_DIR"] = str(Path(tmp) / "cache")
            table = Path(tmp) / "rows.csv"
            nbytes = build_rows(table, args.rows)
            wall, peak = measure([python, "-m", "analysis", "count", str(table), "-q", "-o", str(Path(tmp) / "out.csv"),
                                  *jobs])
        print("\n| input | task | wall (s) | CPU (s) | peak memory, all processes (MB) | per document (bytes) |")
        print("|---|---|---:|---:|---:|---:|")
        print(f"| {args.rows:,} one-line documents ({nbytes / 1e6:.0f} MB CSV) | count | {wall:.1f} | {LAST_CPU[0]:.1f} | "
              f"{peak:.0f} | {peak * 1e6 / args.rows:.0f} |")
        return
    rows, notes = [], []
    with tempfile.TemporaryDirectory(prefix="zhgov-bench-") as tmp:
        env_cache = Path(tmp) / "cache"
        os.environ["ZHGOV_CACHE_DIR"] = str(env_cache)  # the benchmark never touches the user's cache
        big = Path(tmp) / "big-lexicon.csv"
        if args.big_lexicon:
            build_big_lexicon(big, args.big_lexicon)
        cluster = DaskCluster(Path(tmp)) if args.dask else None
        if cluster is not None:
            notes.append(f"Dask scheduler: {cluster.cold_mb:.0f} MB when started, {cluster.idle_mb:.0f} MB idle after "
                         "serving a warm-up run of count and words on the bundled corpora")
        try:
            for size in args.sizes:
                folder = Path(tmp) / f"corpus-{size:g}MB"
                nbytes = build_corpus(folder, size, layout=args.layout)
                out = str(Path(tmp) / "out.csv")
                count = [python, "-m", "analysis", "count", str(folder), "-q", "-o", out, *extra]
                word = [python, "-m", "analysis", "words", str(folder), "-q", "-o", out, *extra]
                runs = [("read+decode floor", [python, str(Path(__file__).resolve()), "--floor", str(folder)]),
                        ("count", count + jobs)]
                if args.big_lexicon:
                    runs.append((f"count, {args.big_lexicon:,}-term lexicon", count + jobs + ["--lexicon", str(big)]))
                runs += [("words", word + jobs + ["--no-cache"]), ("words (cached)", None),
                         ("segmenter floor (rjieba cut + Counter per file, one process per core)",
                          [python, str(Path(__file__).resolve()), "--segmenter-floor", str(folder)])]
                if cluster is not None:
                    dask = ["--engine", "dask", "--scheduler", cluster.address]
                    runs += [("count on Dask (2 workers)", count + dask), ("words on Dask (2 workers)", word + dask + ["--no-cache"])]
                if not args.skip_baseline:
                    runs.append(("baseline (jieba + Counter)", [python, str(Path(__file__).resolve()), "--baseline", str(folder)]))
                measure(word + jobs)  # fill the cache: every "words (cached)" run reads it
                runs = [(name, word + jobs if command is None else command, ROOT) for name, command in runs]
                idle = cluster.scheduler_mb() if cluster is not None else None
                results = {name: fastest(measured) for name, measured in in_rounds(args.repeat, runs).items()}
                if idle is not None:
                    time.sleep(2)
                    notes.append(f"{size:g} MB: Dask scheduler {idle:.0f} MB before the runs, "
                                 f"{cluster.scheduler_mb():.0f} MB after all of them")
                base = results.get("baseline (jieba + Counter)", (None,))[0]
                least = results["read+decode floor"][0]
                for name, (wall, cpu, peak) in results.items():
                    ratio = f"{base / wall:.1f}x" if base else "n/a"
                    rows.append(f"| {nbytes / 1e6:.0f} MB ({args.layout}) | {name} | {wall:.2f} | {cpu:.2f} | "
                                f"{nbytes / 1e6 / wall:.1f} | {ratio} | {wall / least:.1f}x | {peak:.0f} |")
                shutil.rmtree(folder)
        finally:
            if cluster is not None:
                cluster.close()
        if args.report:
            trees = [("this tree", ROOT)]
            if args.report_against:
                other = Path(tmp) / "tree-at-revision"
                subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(other), args.report_against],
                               check=True, capture_output=True)
                compile_bytecode(other)
                trees.append((f"the tree at {args.report_against}", other))
            # (name, tree, command before the output folder, arguments after it)
            runs = [(name, tree, [python, "-m", "analysis", "report", "-o"], []) for name, tree in trees]
            if args.report_against:  # this tree's report of the notebooks the other tree has, by file name
                theirs = sorted(str(ROOT / "notebooks" / p.name) for p in (other / "notebooks").glob("*.ipynb")
                                if (ROOT / "notebooks" / p.name).exists())
                runs.insert(1, (f"this tree, only the {len(theirs)} notebooks of {args.report_against}", ROOT,
                                [python, "-c", "import sys; from analysis.present import report; "
                                 "report.build(output=sys.argv[1], notebook_paths=sys.argv[2:])"], theirs))
            try:
                outputs = {name: Path(tmp) / f"reports-{i}" for i, (name, _, _, _) in enumerate(runs)}
                measured = in_rounds(args.repeat, [(name, [*command, str(outputs[name]), *after], tree)
                                                   for name, tree, command, after in runs])
                for name, each in measured.items():  # every round writes the same pages into the same folder
                    wall, cpu, peak = fastest(each)
                    pages = len(list(outputs[name].glob("*.html")))
                    notes.append(f"report on the bundled data, {name}: {wall:.1f} s wall (runs: "
                                 f"{', '.join(f'{run[0]:.1f}' for run in each)}), CPU of the command and "
                                 f"the kernels it waited for {cpu:.1f} s, {peak:.0f} MB, {pages} pages")
            finally:
                if args.report_against:
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)],
                                   capture_output=True)
    print("\n| input | task | wall (s) | CPU (s) | MB/s | speed-up vs baseline | time vs read+decode floor | "
          "peak memory, all processes (MB) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    for note in notes:
        print(f"- {note}")


if __name__ == "__main__":
    main()
