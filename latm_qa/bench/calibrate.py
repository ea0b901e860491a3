"""Calibrating confidence: fit the card-probability model on the suite's dev questions (``latm-qa calibrate``)
and judge it on any split with a reliability table and its expected calibration error (``latm-qa eval``)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..answer.confidence import CALIBRATION_FILE, FEATURES, Calibration
from ..answer.index import Index
from ..answer.pipeline import steps_for
from ..answer.query import Query
from ..settings import PROJECT_ROOT, Settings
from .metrics import answerable, judged, load_questions
from .suite import _chosen, read_suite

BINS = 10
L2 = 1e-3  # a little ridge so a feature that never varies cannot run away


def fit_logistic(features: np.ndarray, labels: np.ndarray, steps: int = 50) -> tuple[float, ...]:
    """Logistic regression by Newton's method: (intercept, weight per feature)."""
    x = np.hstack([np.ones((len(features), 1)), features])
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - labels) + L2 * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + L2 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return tuple(float(v) for v in w)


def reliability(probabilities: list[float], outcomes: list[bool], bins: int = BINS) -> tuple[list[dict], float]:
    """Per probability bin, how many answers fell in it, their mean probability and how often they were
    right; and the expected calibration error (the bins' gaps weighted by their share of answers)."""
    p, y = np.asarray(probabilities, dtype="float64"), np.asarray(outcomes, dtype="float64")
    rows, error = [], 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = (p >= low) & ((p < high) if b < bins - 1 else (p <= high))
        if not inside.any():
            continue
        predicted, observed = float(p[inside].mean()), float(y[inside].mean())
        rows.append({"bin": f"{low:.1f}–{high:.1f}", "n": int(inside.sum()), "predicted": round(predicted, 3),
                     "observed": round(observed, 3)})
        error += inside.sum() / len(p) * abs(predicted - observed)
    return rows, round(error, 4)


def card_rows(index: Index, questions: list[dict], k: int = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every shown card's features, whether its passage holds the answer and whether it is a first card,
    over the answerable questions."""
    from ..answer.confidence import card_features

    features, labels, firsts = [], [], []
    # every step but the confidence itself, which needs the model being fitted (its features may have changed)
    steps = steps_for(replace(index.settings, steps=tuple(s for s in index.settings.steps if s != "confidence")))
    for q in questions:
        if not answerable(q):
            continue
        query = Query(q["question"], k, index.settings.retriever, None, True, True)
        for step in steps:
            step(index, query)
        if not query.hits:
            continue
        features.append(card_features(index, query)[: len(query.hits)])
        labels += [judged(q, h.passage.passage_id, h.passage.text) for h in query.hits]
        firsts += [i == 0 for i in range(len(query.hits))]
    if not features:
        return np.zeros((0, len(FEATURES))), np.zeros(0), np.zeros(0, dtype=bool)
    return np.vstack(features), np.asarray(labels, dtype="float64"), np.asarray(firsts, dtype=bool)


def calibrate(args, settings: Settings) -> int:
    """Fit the confidence model on the dev split of every report and format of the suite (built or updated
    as ``latm-qa eval --suite`` builds them) and write it where the package reads it."""
    from ..build.ingest import ingest

    suite = Path(args.suite)
    work = Path(args.work) if args.work else PROJECT_ROOT / "eval" / "indexes"
    xs, ys, fs, names = [], [], [], []
    for report, fmt in _chosen(read_suite(suite), args.reports, args.formats):
        print(f"latm-qa calibrate: {report.name} ({fmt}) ...", file=sys.stderr, flush=True)
        built = replace(settings, index_dir=work / f"{report.name}-{fmt}")
        ingest([report.sources[fmt]], built, profile=report.profile, sync=True)
        index = Index.load(built.index_dir, settings=built)
        questions = load_questions(report.questions, "dev")
        questions = [q for q in questions if q.get("document", report.name) == report.name]
        x, y, first = card_rows(index, questions)
        xs.append(x), ys.append(y), fs.append(first), names.append(f"{report.name}/{fmt}")
    x, y, first = np.vstack(xs), np.concatenate(ys), np.concatenate(fs)
    written = {}
    for name, chosen in (("answer", first), ("cards", ~first)):
        fitted = Calibration(fit_logistic(x[chosen], y[chosen]),
                             f"dev split of {', '.join(names)}: {int(chosen.sum())} cards")
        written[name] = fitted.to_json()
        table, error = reliability(list(fitted.probability(x[chosen])), list(y[chosen].astype(bool)))
        print(f"{name}: fitted on {int(chosen.sum())} cards ({int(y[chosen].sum())} holding the answer); "
              f"dev calibration error {error:.3f}")
        for row in table:
            print(f"  {row['bin']}: {row['n']:4d}, predicted {row['predicted']:.2f}, observed {row['observed']:.2f}")
    out = Path(args.out) if args.out else CALIBRATION_FILE
    out.write_text(json.dumps(written, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {out}")
    return 0
