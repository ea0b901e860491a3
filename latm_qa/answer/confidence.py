"""Confidence an officer can trust: for each card, the probability that its passage holds the answer, and
for the answer, that of the first card; in words that mean the same on every question and every report.

The probability is a logistic model of things every index can tell, whatever its report or weights:

- the passage's dense cosine to the question (absolute);
- its best sentence's late interaction with the question (absolute: how closely the question's words are
  matched in one sentence);
- how far its score falls below the first card's (relative to the first card's score);
- how far it leads the next card (relative likewise): a clear winner is more often right;
- how many passages the dense cosine alone puts above it (log), and how far its cosine stands above the
  best other passage's: a card the plain embedding also puts first is more often right;
- whether the answer is composed of several sentences (a list, a definition, both sides), whose first card
  holds one of the answers more often than a single fact's.

The features beyond the first four were chosen by fitting on the dev questions of all reports but one and
judging the held-out report's log loss, in turn for each (so they hold on a report the fit never saw).

The first card (the answer's) and the cards after it have a model each, as a first card is right far
more often than a fifth with the same scores. Their weights are fitted on the benchmark's dev questions of
every report (``latm-qa calibrate``, written to ``latm_qa/data/calibration.json``) and checked on the test
questions with a reliability table in ``latm-qa eval``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import LatmQaError
from .select import sentence_late

if TYPE_CHECKING:
    from .index import Index
    from .query import Query

CALIBRATION_FILE = Path(__file__).resolve().parent.parent / "data" / "calibration.json"
FEATURES = ("dense", "sentence_late", "below_first", "lead_over_next", "dense_rank", "dense_gap", "composed")
MODELS = ("answer", "cards")
# words for a probability: (lowest probability, word); the page says what each means
WORDS = ((0.8, "high"), (0.5, "medium"), (0.0, "low"))


@dataclass(frozen=True)
class Calibration:
    """The fitted weights (an intercept, then one per feature) and what they were fitted on."""

    weights: tuple[float, ...]
    fitted_on: str = ""

    def probability(self, features: np.ndarray) -> np.ndarray:
        """The probability for each row of features (one row per card)."""
        z = self.weights[0] + features @ np.asarray(self.weights[1:], dtype="float64")
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "weights": [round(w, 6) for w in self.weights], "fitted_on": self.fitted_on}


@lru_cache(maxsize=1)
def shipped() -> dict[str, Calibration]:
    """The calibrations shipped with the package (fitted by ``latm-qa calibrate``): "answer" for the first
    card (is the answer right?), "cards" for the cards after it (does this one hold the answer too?)."""
    try:
        data = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
        models = {name: Calibration(tuple(float(w) for w in data[name]["weights"]), data[name].get("fitted_on", ""))
                  for name in MODELS}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LatmQaError(f"the confidence model {CALIBRATION_FILE} cannot be read ({exc}): run `latm-qa "
                          "calibrate` to fit it again, or reinstall latm-qa") from None
    if any(len(m.weights) != len(FEATURES) + 1 for m in models.values()):
        raise LatmQaError(f"the confidence model {CALIBRATION_FILE} has the wrong number of weights: run "
                          "`latm-qa calibrate` to fit it again")
    return models


def words(probability: float) -> str:
    """ "high", "medium" or "low": the same probability gets the same word on every question."""
    return next(word for lowest, word in WORDS if probability >= lowest)


def card_features(index: Index, query: Query) -> np.ndarray:
    """One row of FEATURES per shown card, in card order."""
    final, dense = query.scores.final, query.scores.dense
    rows = query.order
    first = float(final[rows[0]])
    scale = max(abs(first), 1e-6)
    best_two = np.sort(np.partition(dense, -2)[-2:])[::-1] if len(dense) > 1 else np.array([dense[0], dense[0]])
    composed = float(query.form != "single")
    out = []
    for i, row in enumerate(rows):
        late = sentence_late(index, query, query.vectors, row)
        best_sentence = float(late.max()) if late is not None and len(late) else float(dense[row])
        following = float(final[rows[i + 1]]) if i + 1 < len(rows) else float(final[row])
        cosine = float(dense[row])
        best_other = float(best_two[1] if cosine >= best_two[0] else best_two[0])
        above = int(np.count_nonzero(dense > dense[row]))
        out.append([cosine, best_sentence, (first - float(final[row])) / scale,
                    (float(final[row]) - following) / scale, float(np.log1p(above)), cosine - best_other, composed])
    return np.array(out, dtype="float64").reshape(-1, len(FEATURES))


def confidence(index: Index, query: Query) -> None:
    """Each shown card's probability of holding the answer; the answer's is the first card's."""
    if not query.hits or query.scores is None:
        return
    shown = len(query.hits)
    features = card_features(index, query)[:shown]
    models = shipped()
    chances = np.concatenate([models["answer"].probability(features[:1]), models["cards"].probability(features[1:])])
    query.hits[:] = [replace(hit, probability=float(p)) for hit, p in zip(query.hits, chances, strict=True)]
    query.probability = float(chances[0])
