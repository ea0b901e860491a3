"""What a learnt ranker and rarity-weighted late interaction would give, leave-one-report-out (issue 39).

    python eval/learnt.py [--suite eval/suite.toml] [--formats md,pdf] [--work eval/indexes] [--depth 30]

Every report of the suite is built (or reused) in --work as `latm-qa eval --suite` builds it. Each question
runs the product's own path up to its ranking (spelling, acronyms, places, then the default fused score);
the script then reads every scorer's score of every passage (dense, best sentence, BM25, late interaction
word piece by word piece, structure prior, labels, cover) and compares, on the dev questions of each report
in turn:

- the default ranking (as shipped);
- late interaction alone;
- late interaction with each question word piece weighted by its rarity in the report (inverse document
  frequency over the report's passages), alone and in the default fusion;
- late interaction sentence by sentence (a passage's best sentence: answer/select.py's sentence scores)
  added to the default fusion;
- a LightGBM LambdaMART ranker over the scorers' scores and structure features (heading and body word
  overlap, depth, position, length, figures, tables, section kind, kind of answer asked) of the best
  --depth passages, trained on the *other* reports' dev questions (each report's questions weighted to
  count once) and scored on the report left out.

Nothing is fitted on the report scored. Prints the per-report table and writes eval/results/learnt.md and
.json. Needs LightGBM: pip install -e '.[experiments]'.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from latm_qa.answer.index import Index  # noqa: E402
from latm_qa.answer.kinds import answer_kind  # noqa: E402
from latm_qa.answer.pipeline import run  # noqa: E402
from latm_qa.answer.query import Query  # noqa: E402
from latm_qa.answer.select import UNREAD  # noqa: E402
from latm_qa.bench.gold import read_questions  # noqa: E402
from latm_qa.bench.metrics import answerable, judged  # noqa: E402
from latm_qa.bench.suite import SUITE_FILE, _chosen, read_suite  # noqa: E402
from latm_qa.build.ingest import ingest  # noqa: E402
from latm_qa.retrieve.dense import sentence_max  # noqa: E402
from latm_qa.retrieve.late import late_interaction  # noqa: E402
from latm_qa.settings import DEFAULT_STEPS, PROJECT_ROOT, load_settings  # noqa: E402
from latm_qa.text import QUESTION_STOP_WORDS, WORD, stem  # noqa: E402

RANKING = DEFAULT_STEPS[: DEFAULT_STEPS.index("rank") + 1]  # the question's path up to its ranking
ANSWER_KINDS: dict[str, int] = {}  # each kind of answer asked, numbered as first met (a categorical feature)
KINDS = ("front", "chapter", "subsection", "subheading", "case_study", "unnumbered")


def piece_scores(corpus, vectors) -> tuple[np.ndarray, list[str]]:
    """Each content word piece of the question: its best cosine with any word piece of each passage."""
    keep = [i for i, p in enumerate(vectors.pieces) if p.lstrip("#").lower() not in QUESTION_STOP_WORDS]
    out = np.zeros((len(keep), len(corpus)), dtype="float32")
    counts = corpus.tokens.counts
    if keep and (counts > 0).any():
        matrix, starts = corpus.tokens.block(None)
        out[:, counts > 0] = np.maximum.reduceat(vectors.tokens[keep] @ matrix.T, starts[counts > 0], axis=1)
    return out, [vectors.pieces[i] for i in keep]


def rarity(index: Index) -> dict[str, float]:
    """Each word piece's inverse document frequency over the report's passages (as embedded)."""
    frequency: dict[str, int] = {}
    for encoding in index.embedder.tokenizer.encode_batch(list(index.corpus.embedded)):
        for piece in set(encoding.tokens):
            frequency[piece] = frequency.get(piece, 0) + 1
    n = len(index.passages)
    return {piece: math.log((n + 1) / (df + 0.5)) for piece, df in frequency.items()} | {"": math.log(2 * n + 2)}


def collect(index: Index, questions: list[dict]) -> list[dict]:
    """Per question: the default fused score and every scorer's score of every passage, and which passages
    hold the answer."""
    corpus, settings = index.corpus, index.settings
    index.settings = replace(settings, steps=RANKING)
    idf = rarity(index)
    out = []
    try:
        for q in questions:
            query = Query(q["question"], 10, "fused", None, False, True)
            run(index, query)
            pieces, names = piece_scores(corpus, query.vectors)
            out.append({
                "question": q, "searched": query.searched, "fused": query.scores.final, "dense": query.scores.dense,
                "sentences": sentence_max(query.scores.per_sentence, corpus.sentence_starts, len(corpus)),
                "bm25": corpus.bm25.scores(query.searched), "pieces": pieces,
                "by_sentence": best_sentence_late(index, query.vectors),
                "rarity": np.array([max(idf.get(p, idf[""]), 0.05) for p in names], dtype="float32"),
                "relevant": np.array([judged(q, p.passage_id, p.text) for p in index.passages]),
            })
    finally:
        index.settings = settings
    return out


def best_sentence_late(index: Index, vectors) -> np.ndarray:
    """Each passage's best sentence's late interaction with the question (its whole late score where its
    sentences cannot be told apart)."""
    whole = late_interaction(vectors.tokens, vectors.pieces, index.corpus.tokens)
    out = whole.copy()
    for row in range(len(index.passages)):
        scores = index.sentence_tokens.scores(vectors, row)
        read = scores[scores != UNREAD] if scores is not None else ()
        if len(read):
            out[row] = read.max()
    return out


def late(record: dict, weighted: bool) -> np.ndarray:
    pieces = record["pieces"]
    if not len(pieces):
        return np.zeros(pieces.shape[1], dtype="float32")
    weights = record["rarity"] if weighted else np.ones(len(pieces), dtype="float32")
    return (weights[:, None] * pieces).sum(axis=0) / weights.sum()


def rarity_fused(record: dict, late_weight: float) -> np.ndarray:
    """The default fusion with its late interaction term weighted by rarity instead of evenly."""
    return record["fused"] + late_weight * (late(record, True) - late(record, False))


def features(record: dict, passages: list, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """The best ``depth`` passages by the default ranking, and a row of features for each."""
    fused = record["fused"]
    candidates = np.argsort(-fused, kind="stable")[:depth]
    channels = [fused, record["dense"], record["sentences"], late(record, False), late(record, True), record["bm25"]]
    asked = {stem(w.lower()) for w in WORD.findall(record["searched"]) if w.lower() not in QUESTION_STOP_WORDS}
    kind = answer_kind(record["question"]["question"])
    ANSWER_KINDS.setdefault(kind, len(ANSWER_KINDS))
    rows = []
    for rank, i in enumerate(candidates):
        p = passages[i]
        row = []
        for values in channels:
            best = values[candidates]
            row += [values[i], values[i] - best.max(), (values[i] - best.mean()) / (best.std() + 1e-6)]
        heading = {stem(w.lower()) for h in p.heading_path for w in WORD.findall(h)}
        body = {stem(w.lower()) for w in WORD.findall(p.text)}
        words = len(p.text.split())
        row += [rank, len(asked & heading) / max(1, len(asked)), len(asked & body) / max(1, len(asked)),
                len(p.heading_path), i / max(1, len(passages) - 1), math.log1p(words),
                sum(c.isdigit() for c in p.text) / max(1, words), float("|" in p.text),
                KINDS.index(p.section_kind) if p.section_kind in KINDS else -1, ANSWER_KINDS.get(kind, -1),
                len(asked)]
        rows.append(row)
    return candidates, np.array(rows, dtype="float32")


def hit_mrr(scores: np.ndarray, relevant: np.ndarray) -> tuple[float, float]:
    order = np.argsort(-scores, kind="stable")[:10]
    return float(relevant[order[0]]), next((1 / (i + 1) for i, o in enumerate(order) if relevant[o]), 0.0)


def lambdamart(train: list[tuple[np.ndarray, np.ndarray, float]]):
    import lightgbm

    x = np.vstack([f for f, _, _ in train])
    y = np.concatenate([r for _, r, _ in train]).astype(int)
    w = np.concatenate([np.full(len(r), weight) for _, r, weight in train])
    data = lightgbm.Dataset(x, y, group=[len(r) for _, r, _ in train], weight=w)
    params = {"objective": "lambdarank", "learning_rate": 0.05, "num_leaves": 7, "min_data_in_leaf": 20,
              "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "verbose": -1,
              "num_threads": 2, "lambdarank_truncation_level": 10, "seed": 1}
    return lightgbm.train(params, data, 100)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", default=str(SUITE_FILE))
    parser.add_argument("--formats", default="md,pdf")
    parser.add_argument("--work", default=str(PROJECT_ROOT / "eval" / "indexes"))
    parser.add_argument("--depth", type=int, default=30)
    parser.add_argument("--out", default=str(PROJECT_ROOT / "eval" / "results"))
    args = parser.parse_args()
    try:
        import lightgbm  # noqa: F401
    except ImportError:
        print("eval/learnt.py needs LightGBM: pip install -e '.[experiments]'", file=sys.stderr)
        return 2
    settings = load_settings()
    data = []  # (report, format, split, record, candidates, features)
    for report, fmt in _chosen(read_suite(Path(args.suite)), None, args.formats):
        built = replace(settings, index_dir=Path(args.work) / f"{report.name}-{fmt}")
        ingest([report.sources[fmt]], built, profile=report.profile, sync=True)
        index = Index.load(built.index_dir, settings=built)
        questions = [q for _, q in read_questions(report.questions) if q.get("document", report.name) == report.name
                     and answerable(q)]
        for record in collect(index, questions):
            if record["relevant"].any():
                data.append((report.name, fmt, record["question"].get("split"), record,
                             *features(record, index.passages, args.depth)))
        print(f"collected {report.name} ({fmt}): {len(questions)} answerable questions", file=sys.stderr, flush=True)
    reports = list(dict.fromkeys(d[0] for d in data))
    methods = {
        "default ranking": lambda r, *_: r["fused"],
        "late interaction alone": lambda r, *_: late(r, False),
        "late interaction, rarity-weighted, alone": lambda r, *_: late(r, True),
        "default ranking, late interaction rarity-weighted": lambda r, *_: rarity_fused(r, settings.late_weight),
        "default ranking + 0.5 x best sentence's late interaction": lambda r, *_: r["fused"] + 0.5 * r["by_sentence"],
    }
    table: dict[str, dict[str, dict[str, list]]] = {}
    for left_out in reports:
        counts: dict[str, int] = {}
        for rep, _, split, *_ in data:
            if rep != left_out and split == "dev":
                counts[rep] = counts.get(rep, 0) + 1
        train = [(f, rec["relevant"][c], 1.0 / counts[rep]) for rep, _, split, rec, c, f in data
                 if rep != left_out and split == "dev" and rec["relevant"][c].any()]
        model = lambdamart(train)
        for rep, _, split, record, candidates, feats in data:
            if rep != left_out:
                continue
            learnt = np.full(len(record["fused"]), -1e9)
            learnt[candidates] = model.predict(feats)
            scored = {name: method(record) for name, method in methods.items()}
            scored["LambdaMART, trained on the other reports"] = learnt
            for name, scores in scored.items():
                table.setdefault(name, {}).setdefault(split, {}).setdefault(rep, []).append(
                    hit_mrr(scores, record["relevant"]))
    result = {name: {split: {rep: [round(float(statistics.mean(x[i] for x in rows)), 4) for i in (0, 1)]
                             for rep, rows in by_report.items()} for split, by_report in splits.items()}
              for name, splits in table.items()}
    lines = learnt_lines(result, reports, args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "learnt.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / "learnt.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


def learnt_lines(result: dict, reports: list[str], args) -> list[str]:
    """Markdown: per method, each report's dev Hit@1 (its questions of both formats pooled), the macro over
    reports on dev and test, and the macro MRR@10."""
    lines = [f"## eval/learnt.py — leave-one-report-out, formats {args.formats}, depth {args.depth}", "",
             "| method | " + " | ".join(r.split("-")[0] for r in reports) + " | dev macro Hit@1 | dev macro MRR@10 | "
             "test macro Hit@1 |", "|---|" + "---:|" * (len(reports) + 3)]
    for name, splits in result.items():
        dev, test = splits.get("dev", {}), splits.get("test", {})
        cells = " | ".join(f"{dev[r][0]:.3f}" if r in dev else "–" for r in reports)
        macro = [statistics.mean(v[i] for v in dev.values()) for i in (0, 1)]
        lines.append(f"| {name} | {cells} | {macro[0]:.3f} | {macro[1]:.3f} | "
                     f"{statistics.mean(v[0] for v in test.values()):.3f} |")
    return [*lines, "", "Per report: dev Hit@1, the report's md and pdf questions pooled."]


if __name__ == "__main__":
    sys.exit(main())
