"""The evaluators' benchmark: answer-containment judging (ours), ranking metrics (ranx), latency."""

from __future__ import annotations

import random
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..answer.index import Index
from ..text import PLAIN_LETTERS
from ..text import word_count as words

METRICS = ["hit_rate@1", "hit_rate@3", "hit_rate@5", "hit_rate@10", "mrr@10", "ndcg@10"]
NAIVE = "naive-1000char-dense"


def normalise(text: str) -> str:
    """Whitespace collapsed, case folded and letters read as the readers read them (curly quotes as
    straight ones, ligatures as their letters): the judging rule's view of text."""
    return re.sub(r"\s+", " ", text.translate(PLAIN_LETTERS)).strip().casefold()


def is_relevant(passage_text: str, answers: list[str]) -> bool:
    """A passage is relevant when it contains any answer string (after normalising both)."""
    body = normalise(passage_text)
    return any(normalise(a) in body for a in answers if a.strip())


def judged(question: dict, passage_id: str, text: str) -> bool:
    """Relevant by the question's answer strings, or by passage ids judged by a person (feedback)."""
    return passage_id in question.get("relevant_ids", ()) or is_relevant(text, question.get("answers", []))


def gold_sections(question: dict) -> tuple[str, ...]:
    """The sections a passage holding the answer is rightly cited by: the gold ``section``, and
    ``also_sections`` where the report repeats the answer word for word (a budget's summary and chapter)."""
    return (question.get("section"), *question.get("also_sections", ()))


_NUMBERED = re.compile(r"(\d+)(?:[.:\s]|$)")
_NAMED_PART = re.compile(r"(part|chapter|section|annex|appendix|schedule)\s+(\w+)\b")


def chapter_key(heading: str) -> str:
    """A chapter as a question file names it and as a passage's first heading reads, made comparable: its
    number ("4. Financial statements" -> "4"; "Part 4. Fraud" -> "part 4") or, unnumbered, its title."""
    text = normalise(heading)
    if match := _NUMBERED.match(text):
        return match.group(1)
    if match := _NAMED_PART.match(text):
        return f"{match.group(1)} {match.group(2)}"
    return text.rstrip(" .:")


def cited_right(question: dict, section: str, chapter: str) -> bool:
    """Whether a passage of ``section`` (its printed number) in ``chapter`` (chapter_key of its first heading)
    is rightly cited for the question: by the gold ``chapter`` (a top-level heading: the number of a numbered
    one or the title of an unnumbered one, the document's title for text before the first) where the question
    names one, else by its gold sections; a question with neither takes any citation."""
    if question.get("chapter") is not None:
        return chapter == chapter_key(question["chapter"])
    return question.get("section") is None or section in gold_sections(question)


def answerable(question: dict) -> bool:
    return bool(question.get("answers") or question.get("relevant_ids"))


def feedback_questions(directory: Path) -> list[dict]:
    """Up-votes from the chat page as extra judgements: the passage shown first answered the question."""
    from ..app.feedback import latest_votes, read_feedback

    questions = []
    for turn_id, record in latest_votes(read_feedback(directory)).items():
        if record.vote == "up" and record.passage_ids and not record.abstained:
            questions.append(
                {
                    "id": f"feedback-{turn_id}",
                    "question": record.query or record.question,
                    "answers": [],
                    "relevant_ids": [record.passage_ids[0]],
                    "section": None,
                    "kind": "feedback",
                    "difficulty": "feedback",
                    "split": "feedback",
                }
            )
    return questions


def load_questions(path: Path, split: str = "all") -> list[dict]:
    """The benchmark questions of ``split`` ("all": every one), each line checked (gold.read_questions)."""
    from .gold import read_questions  # gold reads text as this module's judging rule does

    return [row for _, row in read_questions(path) if split == "all" or row.get("split") == split]


@dataclass
class RunResult:
    """Rankings and timings of one retriever over a question set."""

    name: str
    ranked: dict[str, list[tuple[str, float, str, str]]] = field(
        default_factory=dict
    )  # qid -> [(pid, score, section, text)]
    confidence: dict[str, float] = field(default_factory=dict)
    abstained: dict[str, bool] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)  # qid -> the one-sentence short answer (none: naive)
    probability: dict[str, float] = field(default_factory=dict)  # qid -> the answer's calibrated probability
    latency_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    passage_words: list[int] = field(default_factory=list)
    chapters: dict[str, str] = field(default_factory=dict)  # passage id -> chapter_key of its first heading


def mistype(question: str, rng: random.Random) -> str:
    """The question with one letter of one word (of five letters or more, not its first letter) mistyped:
    two letters swapped, one dropped, one doubled or one changed."""
    found = list(re.finditer(r"[A-Za-z]{5,}", question))
    if not found:
        return question
    match = rng.choice(found)
    word, i = match.group(0), rng.randrange(1, len(match.group(0)) - 1)
    kind = rng.choice(("swap", "drop", "double", "change"))
    if kind == "swap" and word[i] != word[i + 1]:
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif kind in ("drop", "swap"):  # (two same letters swapped would be no typo)
        typo = word[:i] + word[i + 1 :]
    elif kind == "double":
        typo = word[:i] + word[i] + word[i:]
    else:
        typo = word[:i] + rng.choice([c for c in "aeioustnrl" if c != word[i].lower()]) + word[i + 1 :]
    return question[: match.start()] + typo + question[match.end() :]


def with_typos(questions: list[dict], seed: int = 0) -> list[dict]:
    """Every question with one typo, the same each run (seeded by the question's id)."""
    return [{**q, "question": mistype(q["question"], random.Random(f"{seed}:{q['id']}"))} for q in questions]


def run_retriever(index: Index, questions: list[dict], retriever: str, k: int = 10) -> RunResult:
    out = RunResult(name=retriever, passage_words=[words(p.text) for p in index.passages])
    for q in questions:
        began = time.perf_counter()
        index.embedder.encode_query(q["question"])  # the floor, measured beside each query
        out.floor_ms.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        result = index.ask(q["question"], k=k, retriever=retriever, keep_hits=True)  # type: ignore[arg-type]
        out.latency_ms.append((time.perf_counter() - began) * 1000)
        out.ranked[q["id"]] = [(h.passage.passage_id, h.score, h.passage.section, h.passage.text) for h in result.hits]
        out.chapters.update((h.passage.passage_id, chapter_key(h.passage.heading_path[0]) if h.passage.heading_path
                             else "") for h in result.hits)
        out.confidence[q["id"]] = result.confidence
        out.abstained[q["id"]] = result.abstained
        out.answers[q["id"]] = "" if result.abstained else result.answer_text
        if result.probability is not None:
            out.probability[q["id"]] = result.probability
    return out


def run_naive(index: Index, questions: list[dict], k: int = 10, window: int = 1000) -> RunResult:
    """Baseline: fixed 1000-character windows over the cleaned text, dense retrieval only."""
    chunks: list[tuple[str, str]] = []
    for doc in index.documents:
        for start in range(0, len(doc.text), window):
            section = next((s.number for s in reversed(doc.sections) if s.start <= start + window // 2), "")
            chunks.append((section, doc.text[start : start + window]))
    matrix = index.embedder.encode([c[1] for c in chunks])
    out = RunResult(name=NAIVE, passage_words=[words(c[1]) for c in chunks])
    for q in questions:
        began = time.perf_counter()
        scores = matrix @ index.embedder.encode_query(q["question"])
        order = np.argsort(-scores)[:k]
        out.latency_ms.append((time.perf_counter() - began) * 1000)
        out.ranked[q["id"]] = [(f"w{i}", float(scores[i]), chunks[i][0], chunks[i][1]) for i in order]
        out.confidence[q["id"]] = float(scores[order[0]])
        out.abstained[q["id"]] = False
    return out


def score_run(run: RunResult, questions: list[dict]) -> dict:
    """Every metric of one run; ranking metrics from ranx over our answer-containment judgements."""
    from ranx import Qrels, Run, evaluate

    answered = [q for q in questions if answerable(q)]
    unanswerable = [q for q in questions if not answerable(q)]
    qrels, runs = {}, {}
    cited, relevant_hits, top_cited = 0, 0, 0
    for q in answered:
        ranked = run.ranked[q["id"]]
        rel = {pid: 1 for pid, _, _, text in ranked if judged(q, pid, text)}
        qrels[q["id"]] = rel or {"__none__": 1}
        runs[q["id"]] = {pid: float(len(ranked) - i) for i, (pid, *_rest) in enumerate(ranked)}
        for pid, _score, section, _text in ranked:
            if pid in rel:
                relevant_hits += 1
                cited += cited_right(q, section, run.chapters.get(pid, chapter_key(section)))
        top_cited += bool(ranked) and (
            cited_right(q, ranked[0][2], run.chapters.get(ranked[0][0], chapter_key(ranked[0][2])))
            if q.get("chapter") is not None or q.get("section") is not None else ranked[0][0] in rel
        )
    scores = evaluate(Qrels(qrels), Run(runs), METRICS, make_comparable=True) if answered else {}
    out = {m: round(float(scores.get(m, 0.0)), 4) for m in METRICS}
    out["citation_accuracy"] = round(cited / relevant_hits, 4) if relevant_hits else 0.0
    out["top1_section_accuracy"] = round(top_cited / len(answered), 4) if answered else 0.0
    if run.answers:  # the short answer (a sentence of the top hit) holds an answer string; naive gives none
        with_answers = [q for q in answered if q.get("answers")]
        shown = sum(is_relevant(run.answers.get(q["id"], ""), q["answers"]) for q in with_answers)
        out["short_answer_accuracy"] = round(shown / len(with_answers), 4) if with_answers else 0.0
    if run.probability and answered:  # is the answer's probability borne out by how often the first card holds it?
        from .calibrate import reliability

        firsts = [any(judged(q, pid, text) for pid, _, _, text in run.ranked[q["id"]][:1]) for q in answered]
        chances = [run.probability.get(q["id"], 0.0) for q in answered]
        out["reliability"], out["calibration_error"] = reliability(chances, firsts)
    abstained_ok = sum(run.abstained[q["id"]] for q in unanswerable)
    false_abstain = sum(run.abstained[q["id"]] for q in answered)
    total_abstained = abstained_ok + false_abstain
    out["abstention_precision"] = round(abstained_ok / total_abstained, 4) if total_abstained else 0.0
    out["abstention_recall"] = round(abstained_ok / len(unanswerable), 4) if unanswerable else 0.0
    out["false_abstention_rate"] = round(false_abstain / len(answered), 4) if answered else 0.0
    out["unanswerable"], out["unanswerable_recognised"] = len(unanswerable), abstained_ok
    out["median_passage_words"] = statistics.median(run.passage_words) if run.passage_words else 0
    out["latency_p50_ms"] = round(float(np.percentile(run.latency_ms, 50)), 2)
    out["latency_p95_ms"] = round(float(np.percentile(run.latency_ms, 95)), 2)
    if run.floor_ms:
        out["floor_p50_ms"] = round(float(np.percentile(run.floor_ms, 50)), 2)
        out["latency_vs_floor"] = round(out["latency_p50_ms"] / max(out["floor_p50_ms"], 1e-6), 2)
    out["questions"] = len(questions)
    return out


def breakdown(run: RunResult, questions: list[dict], key: str) -> dict[str, dict]:
    """Hit@1, Hit@5 and MRR@10 per value of a question field (kind, difficulty, style), over the
    answerable questions that have the field."""
    groups: dict[str, list[dict]] = {}
    for q in questions:
        if answerable(q) and q.get(key) is not None:
            groups.setdefault(str(q.get(key)), []).append(q)
    out = {}
    for name, group in sorted(groups.items()):
        firsts = []
        for q in group:
            ranks = [i for i, (pid, _, _, text) in enumerate(run.ranked[q["id"]], 1) if judged(q, pid, text)]
            firsts.append(ranks[0] if ranks else 0)
        out[name] = {
            "n": len(group),
            "hit@1": round(sum(r == 1 for r in firsts) / len(group), 3),
            "hit@5": round(sum(0 < r <= 5 for r in firsts) / len(group), 3),
            "mrr@10": round(sum(1 / r for r in firsts if 0 < r <= 10) / len(group), 3),
        }
    return out
