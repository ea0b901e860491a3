"""One settings object with defaults in code. Environment variables are read here and only here."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

Retriever = Literal["fused", "hybrid", "dense", "bm25", "late", "rerank"]

DEFAULT_MODEL = "bundled:all-MiniLM-L6-v2"
BACKENDS = ("onnx", "onnx-int8", "torch")
# The question's path, in order (answer/pipeline.py): leave a step out to turn it off.
DEFAULT_STEPS = (
    "clean", "spelling", "filters", "acronyms", "places", "score", "rank",
    "not_in_report", "after_the_report", "off_topic", "not_counted", "not_dated", "low_similarity",
    "rerank", "highlight", "answer", "compose", "confidence", "suggest",
)
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Everything a run can be configured with. Stored in the index manifest at ingest."""

    index_dir: Path = PROJECT_ROOT / "index"
    ingest_dir: Path = PROJECT_ROOT / "ingest"
    feedback_dir: Path = PROJECT_ROOT / "feedback"
    model: str = DEFAULT_MODEL
    max_words: int = 120
    min_words: int = 40
    embed_headings: bool = True
    retriever: Retriever = "fused"
    rrf_k: int = 60
    sentence_weight: float = 0.3
    bm25_weight: float = 0.0  # on in a profile where words matter more than meaning ([search]; the home report's: 0.3)
    prior_weight: float = 0.0  # on in a profile that asks for parts ([search]; the home report's: 0.1)
    late_weight: float = 3.0
    topic_weight: float = 0.0  # on in a profile with topic parts ([search]; the home report's: 0.5)
    candidates: int = 100  # above 4x this many passages, late and sentence scores only for the best this many
    # by dense and by BM25 (their union); below, for every passage
    approximate_above: int = 30_000  # passages above which dense search is approximate (HNSW), else exact
    compress_tokens_above: int = 20_000  # passages above which word-piece vectors are product-quantised
    # (a sixteenth of float32; codes.py) rather than int8 (a quarter)
    label_weight: float = 0.4  # added for a passage under the numbered part a question names ("year 6")
    cover_step: float = 0.0  # on in a profile ([search] cover_step = 2): the cover (title, subtitle) down this
    # much, or up for a question asking the title (worth nothing on the suite's dev questions: eval/README.md)
    backend: str = "onnx"  # how the model runs: onnx (fp32), onnx-int8, or torch (and any model onnx cannot run)
    reranker: str = ""  # a cross-encoder folder (or cached hub name); "" = none
    rerank_depth: int = 20
    answer_bm25_weight: float = 0.3  # a sentence's BM25 in choosing highlights and the short answer
    answer_late_weight: float = 3.0  # a shown sentence's late interaction with the question, in the same choice
    answer_kind_weight: float = 0.4  # added for a shown sentence holding the kind of answer asked (a sum, a year)
    answer_join_margin: float = 0.2  # the next sentence joins the short answer when it scores this close
    answer_list_margin: float = 0.8  # a composed answer's sentences score this close to its best one
    k: int = 5
    abstain_below: float = 0.15
    correct_spelling: bool = True  # read a misspelt word as the report's own ("Lancashre" -> "Lancashire")
    abstain_off_topic: bool = True  # abstain when the best passage is about none of the councils a question names
    abstain_uncounted: bool = True  # abstain when "how many X" finds no count of X in the best passages
    # Two checks that fire on no question of the suite (it holds no such question): they cost nothing there
    abstain_after_the_report: bool = True  # abstain on a question about years after the report was written
    abstain_low_similarity: bool = True  # abstain when no passage's cosine reaches ``abstain_below`` (nonsense)
    abstain_undated: bool = True  # abstain when "when"/"in 2008" finds no such date in the best passages (on the
    # suite's dev questions it recognised 1 unanswerable question for 0.5 answerable ones declined)
    # Off by default, each a profile option ([search] ... = true): on the suite's dev questions they did not
    # pay their way (the ablation table in eval/README.md)
    expand_acronyms: bool = False  # add the report's long form to an acronym searched ("PSD" -> its long form)
    max_file_mb: float = 50.0
    max_question_chars: int = 2000
    steps: tuple[str, ...] = DEFAULT_STEPS


def load_settings(**overrides: object) -> Settings:
    """Defaults, then environment variables, then explicit overrides (CLI flags); ``None`` is ignored."""
    env: dict[str, object] = {}
    if value := os.environ.get("LATM_QA_INDEX"):
        env["index_dir"] = Path(value)
    if value := os.environ.get("LATM_QA_MODEL"):
        env["model"] = value
    if value := os.environ.get("LATM_QA_BACKEND"):
        env["backend"] = value
    if value := os.environ.get("LATM_QA_RERANKER"):
        env["reranker"] = value
    if value := os.environ.get("LATM_QA_FEEDBACK_DIR"):
        env["feedback_dir"] = Path(value)
    for variable, key in (("LATM_QA_COMPRESS_ABOVE", "compress_tokens_above"),
                          ("LATM_QA_APPROXIMATE_ABOVE", "approximate_above")):
        if value := os.environ.get(variable):
            env[key] = _passage_count(variable, value)
    if value := os.environ.get("LATM_QA_MAX_FILE_MB"):
        try:
            env["max_file_mb"] = float(value)
        except ValueError:
            from .errors import LatmQaError

            raise LatmQaError(
                f"LATM_QA_MAX_FILE_MB={value!r} is not a number: set it to a size in MB, e.g. 50"
            ) from None
    given = {key: val for key, val in overrides.items() if val is not None}
    for key in ("index_dir", "ingest_dir", "feedback_dir"):
        if key in given:
            given[key] = Path(given[key])  # type: ignore[arg-type]
    settings = replace(Settings(), **{**env, **given})
    if settings.backend not in BACKENDS:
        from .errors import LatmQaError

        raise LatmQaError(
            f"backend {settings.backend!r} is not one of {', '.join(BACKENDS)}: set LATM_QA_BACKEND to one of them"
        )
    if settings.reranker and "retriever" not in given:  # a configured reranker is used unless told otherwise
        settings = replace(settings, retriever="rerank")
    return settings


def _passage_count(variable: str, value: str) -> int:
    if value.strip().isdigit():
        return int(value)
    from .errors import LatmQaError

    raise LatmQaError(f"{variable}={value!r} is not a whole number: set it to a count of passages, e.g. 20000")


def cache_dir() -> Path:
    """Where latm-qa keeps what it makes once per machine (the exported ONNX model): $LATM_QA_CACHE, else
    ~/.cache/latm-qa."""
    return Path(os.environ.get("LATM_QA_CACHE") or Path.home() / ".cache" / "latm-qa").expanduser()


def api_token() -> str | None:
    """The bearer token `latm-qa api` requires ($LATM_QA_API_TOKEN), or None. Kept out of Settings, which
    is written into manifests and results."""
    return os.environ.get("LATM_QA_API_TOKEN") or None


def api_reload_seconds() -> str:
    """$LATM_QA_API_RELOAD_SECONDS as given ("" when unset): how often `latm-qa api` looks for a new version."""
    return os.environ.get("LATM_QA_API_RELOAD_SECONDS", "").strip()


def api_limit(name: str) -> str:
    """$LATM_QA_API_<NAME> as given ("" when unset): a limit or timeout of `latm-qa api` (api/limits.py reads it)."""
    return os.environ.get(f"LATM_QA_API_{name}", "").strip()
