"""The trained decisions: a logistic model over ``features.NAMES``, shipped as a small JSON
file of weights (``model/news.json``, written by ``make train-draft``; never a pickle) and
applied here in plain Python, with nothing beyond the site's requirements."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from generator.tools.draft.features import NAMES


class ModelError(ValueError):
    """A weights file that does not fit the features the code computes."""


@dataclass(frozen=True)
class Classifier:
    """P(news) = 1 / (1 + exp(-(bias + Σ weight × feature))); news when at least
    ``threshold``. Features are used as computed (the training folded its scaling into the
    weights)."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5

    def probability(self, values: list[float]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, values, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def says(self, values: list[float]) -> bool:
        return self.probability(values) >= self.threshold

    def as_json(self, about: dict[str, Any]) -> str:
        """The weights file: what it is (``about``), the features in order with their
        weights, the bias and the threshold; the same model gives the same bytes."""
        body = {
            **about,
            "features": {
                name: round(w, 6) for name, w in zip(self.features, self.weights, strict=True)
            },
            "bias": round(self.bias, 6),
            "threshold": self.threshold,
        }
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def from_json(text: str) -> Classifier:
    data = json.loads(text)
    weights = data.get("features") or {}
    if tuple(weights) != NAMES:
        raise ModelError(
            "the weights file's features are not the ones the code computes; run "
            "`make train-draft` to write it again"
        )
    return Classifier(
        features=tuple(weights),
        weights=tuple(float(w) for w in weights.values()),
        bias=float(data["bias"]),
        threshold=float(data.get("threshold", 0.5)),
    )


@cache
def shipped() -> Classifier:
    """The model that ships with the package (read once)."""
    return from_json((resources.files(__package__) / "model" / "news.json").read_text("utf-8"))
