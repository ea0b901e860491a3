"""Every layer earns its place (`latm-qa eval --suite --ablations`): the suite scored with each layer above
late interaction taken out (or, for a layer off by default, put in), one row per layer, against the default
ranking.

Nothing in a row is fitted to a report's questions: each row is one fixed setting applied to every report
alike, so a report's figure is out-of-sample for the run (leave-one-out holds trivially). A ranking layer
keeps its place when taking it out costs at least ``GAIN`` macro Hit@1 on the dev questions and leaving it in
costs no report more than ``COST``; a layer off by default is turned on only on the same terms. A check that
declines to answer keeps its place when it recognises more unanswerable questions than it wrongly declines
answerable ones (dev). Decisions are read on dev; the test columns are for reporting.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from ..settings import DEFAULT_STEPS
from .loo import Loaded
from .metrics import run_retriever, score_run, with_typos
from .report import run_fused

GAIN, COST = 0.01, 0.03  # the bar: +1 point macro Hit@1, no report below -3 points


def _without(step: str) -> dict:
    return {"steps": tuple(s for s in DEFAULT_STEPS if s != step)}


# (row, what the layer does, the settings change, "out" = a default layer taken out, "in" = an optional one
# put in (a profile option); "profile": one that acts only where a profile asks, taken out; "check out" /
# "check in": a check that declines to answer, taken out or put in)
LAYERS: list[tuple[str, str, dict, str]] = [
    ("dense cosine and late interaction only", "no sentence scores or labels",
     {"sentence_weight": 0.0, "label_weight": 0.0}, "out"),
    ("sentence scores", "the best sentence's cosine", {"sentence_weight": 0.0}, "out"),
    ("numbered-part labels", "a question naming \"year 6\", \"Table 2.4\", \"paragraph 8.14(d)\"",
     {"label_weight": 0.0}, "out"),
    ("spelling", "a misspelt word read as the report's own (scored on the questions with one letter mistyped)",
     {"correct_spelling": False}, "out"),
    ("cover step (2.0)", "the cover down unless its title is asked", {"cover_step": 2.0}, "in"),
    ("acronyms", "an acronym's long form added to the words searched", {"expand_acronyms": True}, "in"),
    ("places", "a place description read as the council it names (with a [places] gazetteer)",
     _without("places"), "profile"),
    ("BM25 (0.3)", "word matching fused in", {"bm25_weight": 0.3}, "in"),
    ("structure prior (0.1)", "the part a question asks for", {"prior_weight": 0.1}, "in"),
    ("topic step (0.5)", "contacts and reading on the best passage's topic", {"topic_weight": 0.5}, "in"),
    ("not in the report", "named things the report never mentions", _without("not_in_report"), "check out"),
    ("off topic", "the best passage is about none of the places named", {"abstain_off_topic": False}, "check out"),
    ("not counted", "\"how many\" with no count found", {"abstain_uncounted": False}, "check out"),
    ("after the report", "years after the report was written", {"abstain_after_the_report": False}, "check out"),
    ("not dated", "\"when\" with no date found", {"abstain_undated": False}, "check out"),
    ("low similarity", "nothing close enough (nonsense)", {"abstain_low_similarity": False}, "check out"),
]
TYPED = {"spelling"}  # rows scored on questions with one letter mistyped in each (the default ranking too)
SHOWN = ("hit_rate@1", "mrr@10", "false_abstention_rate", "unanswerable_recognised", "unanswerable",
         "false_abstained")


def ablation(loaded: Sequence[Loaded], progress=None) -> dict:
    """Per row, per report (its formats averaged) and split: the figures; then the deltas against the default
    ranking and each row's verdict."""
    rows = {"default ranking": _scores(loaded, {}, "fused", progress, "the default ranking")}
    rows["late interaction alone"] = _scores(loaded, {}, "late", progress, "late interaction alone")
    rows["default ranking, mistyped"] = _scores(loaded, {}, "fused", progress, "the default ranking", typed=True)
    for name, _, change, _ in LAYERS:
        rows[name] = _scores(loaded, change, "fused", progress, name, typed=name in TYPED)
    return judge(rows)


def judge(rows: dict[str, dict]) -> dict:
    """Each layer's worth (with it minus without it, per report and macro) and verdict, from the figures of
    every row (row -> split -> report -> figures)."""
    out = []
    for name, what, _, kind in [("late interaction alone", "the retriever `late` alone", {}, "base"), *LAYERS]:
        row, base = rows[name], rows["default ranking, mistyped" if name in TYPED else "default ranking"]
        sign = 1 if kind.endswith("in") else -1  # a layer's worth: with it minus without it
        entry = {"layer": name, "what": what, "kind": kind, "figures": row}
        for split in ("dev", "test"):
            by_report = {r: sign * (row[split][r]["hit_rate@1"] - base[split][r]["hit_rate@1"]) for r in base[split]}
            entry[split] = {
                "worth_hit@1": round(statistics.mean(by_report.values()), 4),
                "worst": min(((round(v, 4), r) for r, v in by_report.items()), default=(0.0, "")),
                "recognised": _total(row, "unanswerable_recognised", split),
                "false_abstained": _total(row, "false_abstained", split),
                "unanswerable": sum(v["unanswerable"] for v in row[split].values()),
                "false_abstention": round(statistics.mean(v["false_abstention_rate"] for v in row[split].values()), 4),
            }
        entry["verdict"] = _verdict(entry, base)
        out.append(entry)
    return {"base": rows["default ranking"], "rows": out}


def _scores(loaded: Sequence[Loaded], change: dict, retriever: str, progress, name: str, typed: bool = False) -> dict:
    """split -> report -> the SHOWN figures, each report's formats averaged; ``typed``: on the questions with
    one letter mistyped in each."""
    if progress:
        progress(f"ablation: {name}" + (" (questions mistyped)" if typed else ""))
    per: dict[str, dict[str, list[dict]]] = {"dev": {}, "test": {}}
    for item in loaded:
        questions = [q for q in item.questions if q.get("split") in per]
        questions = with_typos(questions) if typed else questions
        run = run_fused(item.index, questions, name, change) if retriever == "fused" else \
            run_retriever(item.index, questions, retriever)
        for split in per:
            figures = score_run(run, [q for q in questions if q.get("split") == split])
            answerable = figures["questions"] - figures["unanswerable"]
            figures["false_abstained"] = figures["false_abstention_rate"] * answerable
            per[split].setdefault(item.report, []).append({k: float(figures.get(k, 0.0)) for k in SHOWN})
    return {split: {report: {k: statistics.mean(f[k] for f in formats) for k in SHOWN}
                    for report, formats in reports.items()} for split, reports in per.items()}


def _verdict(entry: dict, base: dict) -> str:
    dev = entry["dev"]
    if entry["kind"] == "base":
        return f"the default ranking is {100 * dev['worth_hit@1']:+.1f} points ahead of it"
    if entry["kind"].startswith("check"):
        sign = 1 if entry["kind"] == "check in" else -1
        recognised = round(sign * (dev["recognised"] - _total(base, "unanswerable_recognised")), 1) + 0.0
        declined = round(sign * (dev["false_abstained"] - _total(base, "false_abstained")), 1) + 0.0  # no "-0"
        if recognised == declined == 0:
            return "fires on no question of the suite: no evidence either way"
        pays = recognised > declined
        verdict = ("pays: on by default" if pays else "stays off") if sign > 0 else \
            ("keeps its place" if pays else "does not pay: off by default")
        return f"{verdict} (recognises {recognised:g}, wrongly declines {declined:g})"
    pays = dev["worth_hit@1"] >= GAIN and dev["worst"][0] >= -COST
    if entry["kind"] == "in":
        return "pays: on by default" if pays else "stays off"
    if entry["kind"] == "profile":
        return "pays: on where a profile asks" if pays else "stays a profile option"
    return "keeps its place" if pays else "does not pay: off by default"


def _total(row: dict, key: str, split: str = "dev") -> float:
    return sum(v[key] for v in row[split].values())


def ablation_lines(result: dict) -> list[str]:
    """Markdown: one row per layer, its worth in macro Hit@1 (with it minus without it), the report that
    gains least from it, the abstention figures, and its verdict."""
    lines = ["### every layer earns its place (fixed settings, nothing fitted per report; decided on dev)", "",
             "| layer | what it does | dev worth Hit@1 | dev worst report | test worth Hit@1 | dev unanswerable "
             "recognised | dev false not-covered | verdict |", "|---|---|---:|---|---:|---:|---:|---|"]
    for row in result["rows"]:
        dev, test = row["dev"], row["test"]
        worst = f"{dev['worst'][1]} {100 * dev['worst'][0]:+.1f}" if dev["worst"][1] else "–"
        lines.append(f"| {row['layer']} | {row['what']} | {100 * dev['worth_hit@1']:+.1f} | {worst} | "
                     f"{100 * test['worth_hit@1']:+.1f} | {dev['recognised']:g}/{dev['unanswerable']:g} | "
                     f"{dev['false_abstention']:.3f} | {row['verdict']} |")
    base = result["base"]["dev"]
    lines += ["", f"default ranking, dev: macro Hit@1 {statistics.mean(v['hit_rate@1'] for v in base.values()):.3f}, "
              f"unanswerable recognised {sum(v['unanswerable_recognised'] for v in base.values()):g}/"
              f"{sum(v['unanswerable'] for v in base.values()):g}, false not-covered "
              f"{statistics.mean(v['false_abstention_rate'] for v in base.values()):.3f} (macro)", ""]
    return lines
