#!/usr/bin/env python3
"""Runs the ecrlint benchmark on a generated corpus and prints one table (README.md here).
Called by run.sh, which builds the binaries and makes the corpus:

    measure.py --ecrlint BIN --corpus DIR --tools DIR [--smoke] [--out FILE]

--tools holds parse_only and spawn_loop. Exit 1 when something is broken (a command failed, a
count is wrong, ecrlint's accuracy is below 100%), never because of a timing.
"""
import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SYSTEM_PYTHON = "/usr/bin/python3"
GNU_TIME = "/usr/bin/time"

problems = []  # what is broken; any entry makes the exit status 1


def problem(text):
    if text not in problems:
        problems.append(text)


def run(cmd, cwd, ok=(0, 1), what=None):
    """Runs cmd with its output discarded; returns wall seconds. An exit status outside `ok`
    is recorded as a problem."""
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t
    if r.returncode not in ok:
        problem("%s exited %d: %s" % (what or os.path.basename(cmd[0]), r.returncode,
                                      r.stderr.decode(errors="replace").strip()[:200]))
    return elapsed


def capture(cmd, cwd, ok=(0, 1), what=None):
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode not in ok:
        problem("%s exited %d: %s" % (what or os.path.basename(cmd[0]), r.returncode, r.stderr.strip()[:200]))
    return r.stdout


def peak_rss_kib(cmd, cwd):
    """Peak resident set size of one run, from GNU time's %M (None when it is missing)."""
    if not os.access(GNU_TIME, os.X_OK):
        return None
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.run([GNU_TIME, "-f", "%M", "-o", out.name] + cmd, cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        lines = out.read().strip().splitlines()
    try:
        return int(lines[-1])
    except (IndexError, ValueError):
        return None


def rotated(cmds, rep):
    """The names of cmds, starting with the rep-th (mod their number)."""
    names = list(cmds)
    k = rep % len(names)
    return names[k:] + names[:k]


class Bench:
    def __init__(self, a):
        self.a = a
        self.smoke = a.smoke
        self.corpus = os.path.abspath(a.corpus)
        self.parse_only = os.path.join(a.tools, "parse_only")
        self.spawn_loop = os.path.join(a.tools, "spawn_loop")
        self.ecr = [os.path.abspath(a.ecrlint), "--no-config", "-q"]
        self.reps = 3 if self.smoke else 9           # per process: medians of this many
                                                     # repetitions (each the median of `runs`)
        # Wall-time measurements (many files, large inputs): medians of this many repetitions.
        # A single run of these is one sample, and on a shared 2-core VM the ratio of two runs
        # side by side spreads widely (G2's, over 31 repetitions: median 0.85, quartiles 0.80
        # and 0.89, extremes 0.62 and 7.0). Six benchmark runs with medians of 9 gave G2 from
        # 0.79 to 0.98; a median of 21 spreads about sqrt(9/21), two thirds, as much.
        self.wall_reps = 3 if self.smoke else 21
        self.runs = 10 if self.smoke else 200        # per-process runs per repetition
        self.peer_runs = 2 if self.smoke else 20     # ... for the peers (100-250 ms each)
        self.peer_reps = 1 if self.smoke else 3
        self.rows = []   # (benchmark, tool, files/s, ms/process, MB/s, RSS KiB, accuracy)
        self.goals = []  # (goal, measure, value, target text, met)
        self.last_times = {}  # wall(): every repetition's seconds, by command
        self.notes = []
        self.ecrlint_scores = []  # (which, accuracy %, false alarms, false alarms at limits)
        # ecrlint's default -j, what the rows "ecrlint (default -j N)" run: the number of online
        # CPUs (at most 256), 1 when PRE_COMMIT is set (the environment is passed on as it is)
        self.default_jobs = 1 if os.environ.get("PRE_COMMIT") else max(1, min(256, os.sysconf("SC_NPROCESSORS_ONLN")))
        self.load_expected()
        self.find_peers()

    # ---- corpus and peers

    def load_expected(self):
        def tsv(name):
            with open(os.path.join(self.corpus, name), encoding="utf-8") as f:
                return list(csv.DictReader(f, delimiter="\t"))
        self.expected = tsv("expected.tsv")
        self.expected_jsonl = {int(r["file"]): r for r in tsv("expected-jsonl.tsv")}
        self.expected_other = tsv("expected-other.tsv")
        self.files = ["requests/" + r["file"] for r in self.expected]
        self.files_bytes = sum(os.path.getsize(os.path.join(self.corpus, f)) for f in self.files)
        self.small = next("requests/" + r["file"] for r in self.expected
                          if r["kind"] == "plain" and r["operation"] == "BatchGetImage")
        self.response = "large/describe-images-response.json"
        self.jsonl = "large/requests.jsonl"
        self.index = "large/index.json"

    def find_peers(self):
        node_dir = os.path.join(HERE, "node")
        self.node = shutil.which("node") if os.path.isdir(os.path.join(node_dir, "node_modules", "ajv")) else None
        self.ajv_many = [self.node, os.path.join(node_dir, "ajv_many.js")] if self.node else None
        self.ajv_one = [self.node, os.path.join(node_dir, "ajv_one.js")] if self.node else None
        py = os.path.join(HERE, "python")
        has_boto = os.access(SYSTEM_PYTHON, os.X_OK) and subprocess.call(
            [SYSTEM_PYTHON, "-c", "import botocore"], stderr=subprocess.DEVNULL) == 0
        self.boto_many = [SYSTEM_PYTHON, os.path.join(py, "botocore_many.py")] if has_boto else None
        self.boto_one = [SYSTEM_PYTHON, os.path.join(py, "botocore_one.py")] if has_boto else None
        if not self.node:
            self.notes.append("ajv not installed (node and tests/bench/node/node_modules needed): skipped")
        if not has_boto:
            self.notes.append("botocore not installed (apt-get install python3-botocore): skipped")

    # ---- measurements

    def per_process_ms(self, cmds):
        """cmds: {name: (command, runs, repetitions, accepted exit statuses)}. Returns {name: the
        median over the repetitions of the median ms of `runs` sequential runs}, measured with
        spawn_loop, the commands interleaved in each repetition."""
        res = {name: [] for name in cmds}
        for rep in range(max(c[2] for c in cmds.values())):
            for name in rotated(cmds, rep):
                cmd, runs, reps, ok = cmds[name]
                if rep >= reps:
                    continue
                out = capture([self.spawn_loop, str(runs)] + cmd, self.corpus, ok=(0,), what="spawn_loop")
                try:
                    ms, _, worst, _ = out.split()  # the median run of this repetition
                except ValueError:
                    problem("spawn_loop printed %r for %s" % (out, name))
                    continue
                if int(worst) not in ok:
                    problem("%s exited %s in the per-process loop" % (name, worst))
                res[name].append(float(ms))
        return {name: statistics.median(v) if v else None for name, v in res.items()}

    def wall(self, cmds, pair=None, ok=(0, 1)):
        """{name: median wall seconds}, the commands interleaved in each repetition so that a
        change of machine load touches all of them alike, and each repetition starting with the
        next command so that none always runs first (or right after the same one). The two
        commands of `pair` (a goal's floor and ecrlint) always run one right after the other,
        in turns first, so that each repetition gives a ratio of two runs a second apart."""
        times = {name: [] for name in cmds}
        base, other = pair or (None, None)
        for rep in range(self.wall_reps):
            order = rotated(cmds, rep)
            if base in cmds and other in cmds and base != other:
                order = [n for n in order if n != other]
                order.insert(order.index(base) + 1, other)
                if rep % 2:
                    i = order.index(base)
                    order[i], order[i + 1] = other, base
            for name in order:
                times[name].append(run(cmds[name], self.corpus, ok=ok, what=name))
        self.last_times = times
        return {name: statistics.median(t) for name, t in times.items()}

    def ratios(self, base, other):
        """base's time over other's in each repetition of the last wall()."""
        return [a / b for a, b in zip(self.last_times[base], self.last_times[other]) if b]

    def paired(self, base, other):
        """The goal's ratio: the median of the ratios of the repetitions, each of two runs side
        by side. On a machine whose speed swings by half between runs a few seconds apart, the
        ratio of the two medians can take one command's fast runs and the other's slow ones;
        two runs a second apart mostly see the same speed. Both figures are printed."""
        r = self.ratios(base, other)
        return statistics.median(r) if r else None

    def spread(self, base, other, t):
        """What the measure column says beside a paired ratio: the ratio of the medians and
        the range of the single repetitions (how far the machine moves)."""
        r = self.ratios(base, other)
        if not r or not t[other]:
            return ""
        return " (median of %d pairs; ratio of medians %.2f; pairs %.2f–%.2f)" % (
            len(r), t[base] / t[other], min(r), max(r))

    def row(self, bench, tool, files_s=None, ms=None, mb_s=None, rss=None, acc=None):
        self.rows.append((bench, tool, files_s, ms, mb_s, rss, acc))

    def goal(self, name, measure, value, target, met):
        self.goals.append((name, measure, value, target, met))

    # ---- the benchmarks

    def one_file_per_process(self):
        bench = "one small file per process (%d B)" % os.path.getsize(os.path.join(self.corpus, self.small))
        cmds = {"/bin/true": (["/bin/true"], self.runs, self.reps, (0,)),
                "jansson parse-only": ([self.parse_only, self.small], self.runs, self.reps, (0,)),
                "ecrlint": (self.ecr + [self.small], self.runs, self.reps, (0,))}
        if self.ajv_one:
            cmds["ajv (node, precompiled)"] = (self.ajv_one + [self.small], self.peer_runs, self.peer_reps, (0,))
        if self.boto_one:
            cmds["botocore ParamValidator"] = (self.boto_one + [self.small], self.peer_runs, self.peer_reps, (0,))
        ms = self.per_process_ms(cmds)
        for name, (cmd, _, _, _) in cmds.items():
            self.row(bench, name, ms=ms[name], rss=peak_rss_kib(cmd, self.corpus))
        e = ms["ecrlint"]  # as a hook runs it: one input never starts a thread, whatever -j says
        if e and ms["/bin/true"]:
            r = e / ms["/bin/true"]
            self.goal("G1", "ecrlint ÷ /bin/true, ms per process", r, "≤ 1.3", r <= 1.3)
        peers = [v for k, v in ms.items() if k.startswith(("ajv", "botocore")) and v]
        if e and peers:
            r = min(peers) / e
            self.goal("G1", "fastest peer ÷ ecrlint, ms per process", r, "≥ 100", r >= 100)

    def many_files(self):
        n = len(self.files)
        bench = "%d request files, one process" % n
        cmds = {"jansson parse-only": [self.parse_only] + self.files,
                "ecrlint -j 1": self.ecr + ["-j", "1"] + self.files,
                "ecrlint -j 2": self.ecr + ["-j", "2"] + self.files}
        if self.ajv_many:
            cmds["ajv (node, library)"] = self.ajv_many + self.files
        if self.boto_many:
            cmds["botocore ParamValidator"] = self.boto_many + self.files
        t = self.wall(cmds, ("jansson parse-only", "ecrlint -j 1"))
        acc = self.accuracy_requests()
        mb = self.files_bytes / 1e6
        tool = {"ecrlint -j 1": "ecrlint", "ecrlint -j 2": "ecrlint-j2", "ajv (node, library)": "ajv",
                "botocore ParamValidator": "botocore"}
        for name, cmd in cmds.items():
            self.row(bench, name, files_s=n / t[name], mb_s=mb / t[name], rss=peak_rss_kib(cmd, self.corpus),
                     acc=acc.get(tool.get(name)))
        r = self.paired("jansson parse-only", "ecrlint -j 1")
        self.goal("G2", "ecrlint -j 1 ÷ jansson parse-only, files/s, one thread" +
                  self.spread("jansson parse-only", "ecrlint -j 1", t), r, "≥ 0.8",
                  r is not None and r >= 0.8)
        if "ajv (node, library)" in t:
            r = t["ajv (node, library)"] / t["ecrlint -j 2"]
            self.goal("G2", "ecrlint -j 2 ÷ ajv library, files/s", r, "≥ 2", r >= 2)
        self.rss_many = [r for r in self.rows if r[0] == bench and r[1] == "ecrlint -j 1"][0][5]

    def large_inputs(self):
        """Each large input with ecrlint as a user runs it (the default -j: the number of CPUs)
        and with -j 1; the goal is the default run's, the one-thread ratio is printed beside."""
        jsonl_ok = self.ecrlint_has_jsonl()
        cases = [("DescribeImages response", self.response, [self.response], [self.response]),
                 ("JSON Lines, %d requests" % len(self.expected_jsonl), self.jsonl,
                  ["--jsonl", self.jsonl] if jsonl_ok else None, ["--jsonl", self.jsonl]),
                 ("OCI image index", self.index, [self.index], [self.index])]
        default = "ecrlint (default -j %d)" % self.default_jobs
        self.rss_large = {}
        for label, path, ecr_args, parse_args in cases:
            size = os.path.getsize(os.path.join(self.corpus, path))
            bench = "%s (%.1f MB)" % (label, size / 1e6)
            cmds = {"jansson parse-only": [self.parse_only] + parse_args}
            if ecr_args:
                cmds[default] = self.ecr + ecr_args
                cmds["ecrlint -j 1"] = self.ecr + ["-j", "1"] + ecr_args
            t = self.wall(cmds, ("jansson parse-only", default) if ecr_args else None)
            for name, cmd in cmds.items():
                rss = peak_rss_kib(cmd, self.corpus)
                self.rss_large[(path, name)] = rss
                acc = None
                if path == self.jsonl and name == default:
                    acc = self.accuracy_jsonl()
                elif path == self.jsonl and name == "ecrlint -j 1":
                    acc = self.jsonl_same_as_one_thread()
                self.row(bench, name, mb_s=size / 1e6 / t[name], rss=rss, acc=acc)
            if not ecr_args:
                self.row(bench, "ecrlint", acc="n/a: no --jsonl")
                self.goal("G3", "ecrlint ÷ jansson parse-only, MB/s, " + label, None, "≥ 0.9", None)
                continue
            r = self.paired("jansson parse-only", default)
            self.goal("G3", "%s ÷ jansson parse-only, MB/s, %s%s" % (
                default, label, self.spread("jansson parse-only", default, t)), r, "≥ 0.9",
                r is not None and r >= 0.9)
            r1 = t["jansson parse-only"] / t["ecrlint -j 1"]
            ones = self.ratios("jansson parse-only", "ecrlint -j 1")
            self.goal("G3", "(for comparison) ecrlint -j 1 ÷ jansson parse-only, MB/s, %s, ratio of medians%s" % (
                label, " (repetitions %.2f–%.2f)" % (min(ones), max(ones)) if ones else ""),
                r1, "(not a goal)", None)

    def memory_goals(self):
        rss = self.rss_many
        if rss:
            self.goal("G4", "ecrlint -j 1 peak RSS, %d files (MiB)" % len(self.files), rss / 1024, "< 10",
                      rss < 10 * 1024)
        e = self.rss_large.get((self.response, "ecrlint (default -j %d)" % self.default_jobs))
        p = self.rss_large.get((self.response, "jansson parse-only"))
        if e and p:
            self.goal("G4", "ecrlint (default -j) ÷ jansson peak RSS, largest file (%.0f MB)" % (
                os.path.getsize(os.path.join(self.corpus, self.response)) / 1e6), e / p, "≤ 2 (small multiple)",
                e / p <= 2)

    # ---- accuracy

    def ecrlint_report(self, args):
        out = capture([self.ecr[0], "--no-config", "-f", "json"] + args, self.corpus, what="ecrlint -f json")
        try:
            return json.loads(out)["files"]
        except (ValueError, KeyError, TypeError):
            problem("ecrlint -f json did not print a report for %s" % " ".join(args[:3]))
            return []

    @staticmethod
    def answer(f):
        """ecrlint's predicted answer: (verdict, code)."""
        ecr = f.get("ecr") or {}
        exc = ecr.get("exception")
        if exc:
            return "invalid", exc.get("code", "")
        fails = ecr.get("failures") or []
        if fails:
            return "invalid", ",".join(x.get("failureCode", "") for x in fails)
        if f.get("kind") == "error":
            return "invalid", "(error)"
        return "valid", ""

    def score(self, tool, pairs):
        """pairs: (expected row, got verdict, got code or None, note). Returns the accuracy text
        and records misses."""
        n = len(pairs)
        exact = sum(1 for e, v, c, _ in pairs if v == e["verdict"] and (c is None or c == e["code"]))
        false_alarms = sum(1 for e, v, _, _ in pairs if e["verdict"] == "valid" and v != "valid")
        limits = sum(1 for e, v, _, _ in pairs if e["kind"].startswith("limit:") and v != "valid")
        missed = sum(1 for e, v, _, _ in pairs if e["verdict"] == "invalid" and v == "valid")
        by_kind = {}
        for e, v, c, note in pairs:
            if v != e["verdict"] or (c is not None and c != e["code"]):
                by_kind.setdefault(e["kind"], []).append(note)
        if by_kind:
            kinds = ", ".join("%s ×%d" % (k, len(v)) for k, v in sorted(by_kind.items(), key=lambda kv: -len(kv[1])))
            self.notes.append("%s wrong on: %s" % (tool, kinds))
            if tool.startswith("ecrlint"):
                for k, v in sorted(by_kind.items()):
                    self.notes.append("  %s, e.g. %s" % (k, v[0]))
        pct = 100.0 * exact / n if n else 0.0
        if tool.startswith("ecrlint"):
            self.ecrlint_scores.append((tool, pct, false_alarms, limits))
        return pct, "%.2f%% %s, %d false alarms (%d at limits), %d missed" % (
            pct, "codes" if tool.startswith("ecrlint") else "verdicts", false_alarms, limits, missed)

    def accuracy_requests(self):
        acc = {}
        report = self.ecrlint_report(["-j", "1"] + self.files)
        if report == self.ecrlint_report(["-j", "2"] + self.files):
            acc["ecrlint-j2"] = "same report as one thread"
        else:
            acc["ecrlint-j2"] = "report differs from one thread"
            problem("ecrlint -j 2 reports differently from -j 1")
        by_name = {os.path.basename(f.get("path", "")): f for f in report}
        if len(by_name) != len(self.files):
            problem("ecrlint reported %d of %d request files" % (len(by_name), len(self.files)))
        pairs = []
        for e in self.expected:
            f = by_name.get(e["file"], {})
            v, c = self.answer(f)
            if f.get("operation") != e["operation"]:
                c = "%s as %s" % (c or "-", f.get("operation") or f.get("kind"))
            note = "%s: expected %s %s, got %s %s (kind %s)" % (
                e["file"], e["verdict"], e["code"] or "-", v, c or "-", f.get("kind"))
            pairs.append((e, v, c, note))
        acc["ecrlint"] = self.score("ecrlint", pairs)[1]
        for tool, cmd in (("ajv", self.ajv_many), ("botocore", self.boto_many)):
            if not cmd:
                continue
            out = capture(cmd + ["--verdicts"] + self.files, self.corpus, ok=(0,), what=tool)
            got = dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)
            pairs = [(e, got.get(e["file"], "missing"), None, e["file"]) for e in self.expected]
            acc[tool] = self.score(tool, pairs)[1]
        return acc

    def accuracy_jsonl(self):
        self.jsonl_report = self.ecrlint_report(["--jsonl", self.jsonl])  # the default -j
        records = {f.get("record"): f for f in self.jsonl_report}
        if len(records) != len(self.expected_jsonl):
            problem("ecrlint reported %d of %d JSON Lines records" % (len(records), len(self.expected_jsonl)))
        pairs = []
        for line, e in self.expected_jsonl.items():
            f = records.get(line, {})
            v, c = self.answer(f)
            if f.get("operation") != e["operation"]:
                c = "%s as %s" % (c or "-", f.get("operation") or f.get("kind"))
            pairs.append((e, v, c, "line %d: expected %s, got %s" % (line, e["code"] or "valid", c or v)))
        return self.score("ecrlint (JSON Lines)", pairs)[1]

    def jsonl_same_as_one_thread(self):
        """The JSON Lines report with -j 1 must be the default run's (whose records are shared
        among the threads), and so must -j 2's."""
        ref = self.ecrlint_report(["-j", "1", "--jsonl", self.jsonl])
        if ref == getattr(self, "jsonl_report", None) and ref == self.ecrlint_report(
                ["-j", "2", "--jsonl", self.jsonl]):
            return "same report as the default run and -j 2"
        problem("ecrlint -j 1 reports the JSON Lines file differently from -j 2 or the default -j")
        return "report differs from the default run or -j 2"

    def accuracy_other(self):
        """Manifests of every kind, small responses, the large response and index."""
        files = [e["file"] for e in self.expected_other]
        by_path = {f.get("path"): f for f in self.ecrlint_report(files)}
        pairs = []
        for e in self.expected_other:
            f = by_path.get(e["file"], {})
            v, c = self.answer(f)
            if f.get("kind") != e["operation"]:  # "manifest" or "response"
                v, c = "wrong kind", f.get("kind")
            pairs.append((e, v, c, "%s: expected %s %s %s, got %s %s (%s %s)" % (
                e["file"], e["operation"], e["verdict"], e["code"] or "-", v, c or "-", f.get("kind"),
                f.get("operation") or "")))
        text = self.score("ecrlint (manifests, responses)", pairs)[1]
        self.row("%d manifests and responses, accuracy" % len(files), "ecrlint", acc=text)
        names = {"ecrlint": "request files", "ecrlint (JSON Lines)": "JSON Lines records",
                 "ecrlint (manifests, responses)": "manifests and responses"}
        for tool, pct, _, _ in self.ecrlint_scores:
            self.goal("G5", "ecrlint accuracy, %s (%%)" % names[tool], pct, "100", pct >= 100.0)
        alarms = sum(s[2] for s in self.ecrlint_scores)
        limits = sum(s[3] for s in self.ecrlint_scores)
        self.goal("G5", "ecrlint false alarms on valid inputs (at limits: %d)" % limits, alarms, "0", alarms == 0)
        if any(s[1] < 100.0 for s in self.ecrlint_scores):
            problem("ecrlint accuracy below 100% (see the notes)")

    def ecrlint_has_jsonl(self):
        r = subprocess.run([self.ecr[0], "--no-config", "-q", "--jsonl", self.jsonl], cwd=self.corpus,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode == 2 and ("jsonl" in r.stderr.lower() or "usage" in r.stderr.lower()):
            self.notes.append("ecrlint has no --jsonl: the JSON Lines row is n/a")
            return False
        return True

    # ---- output

    def header(self):
        cpu = "?"
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        version = capture([self.ecr[0], "--version"], self.corpus, ok=(0,), what="ecrlint --version").strip()
        jansson = subprocess.run(["pkg-config", "--modversion", "jansson"], stdout=subprocess.PIPE,
                                 text=True).stdout.strip()
        peers = []
        if self.node:
            with open(os.path.join(HERE, "node", "node_modules", "ajv", "package.json"), encoding="utf-8") as f:
                peers.append("ajv %s on node %s" % (json.load(f)["version"], subprocess.run(
                    [self.node, "--version"], stdout=subprocess.PIPE, text=True).stdout.strip()))
        if self.boto_many:
            peers.append("botocore %s" % subprocess.run(
                [SYSTEM_PYTHON, "-c", "import botocore; print(botocore.__version__)"], stdout=subprocess.PIPE,
                text=True).stdout.strip())
        return [
            "ecrlint benchmark%s, %s" % (" (SMOKE: tiny corpus, timings mean nothing)" if self.smoke else "",
                                         time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())),
            "machine: %s, nproc %d, %s, load average %s" % (cpu, os.cpu_count(), platform.platform(),
                                                           " ".join("%.2f" % x for x in os.getloadavg())),
            "%s; jansson %s; peers: %s" % (version.splitlines()[0] if version else "ecrlint ?", jansson,
                                           ", ".join(peers) or "none"),
            "timing: wall time, medians of %d repetitions; per process: spawn_loop, medians of %d "
            "repetitions of %d runs (peers: %d of %d)" % (
                self.wall_reps, self.reps, self.runs, self.peer_reps, self.peer_runs),
            "ecrlint's default -j here: %d (%s); rows and goals say which -j they ran" % (
                self.default_jobs, "PRE_COMMIT is set" if os.environ.get("PRE_COMMIT") else "online CPUs"),
        ]

    def table(self):
        def num(x, fmt):
            return fmt % x if isinstance(x, (int, float)) else (x or "")
        lines = ["| benchmark | tool | files/s | ms/process | MB/s | peak RSS | accuracy |",
                 "|---|---|--:|--:|--:|--:|---|"]
        for bench, tool, files_s, ms, mb_s, rss, acc in self.rows:
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                bench, tool, num(files_s, "%.0f"), num(ms, "%.3f"), num(mb_s, "%.1f"),
                "%.1f MiB" % (rss / 1024) if rss else "", acc or ""))
        lines += ["", "| goal | measure | value | target | met |", "|---|---|--:|---|---|"]
        for name, measure, value, target, met in self.goals:
            lines.append("| %s | %s | %s | %s | %s |" % (
                name, measure, "n/a" if value is None else ("%d" % value if isinstance(value, int) else "%.2f" % value),
                target,
                "n/a" if met is None else ("yes" if met else "**no**")))
        return lines

    def main(self):
        start = time.time()
        head = self.header()
        self.one_file_per_process()
        self.many_files()
        self.large_inputs()
        self.memory_goals()
        self.accuracy_other()
        out = head + [""] + self.table()
        if self.notes:
            out += ["", "notes:"] + ["- " + n if not n.startswith("  ") else "   " + n.strip() for n in self.notes]
        if problems:
            out += ["", "BROKEN:"] + ["- " + p for p in problems]
        out.append("")
        out.append("(%.0f s)" % (time.time() - start))
        text = "\n".join(out) + "\n"
        sys.stdout.write(text)
        if self.a.out:
            os.makedirs(os.path.dirname(os.path.abspath(self.a.out)), exist_ok=True)
            with open(self.a.out, "w", encoding="utf-8") as f:
                f.write(text)
        return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ecrlint", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--tools", required=True)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--out")
    sys.exit(Bench(ap.parse_args()).main())


if __name__ == "__main__":
    main()
