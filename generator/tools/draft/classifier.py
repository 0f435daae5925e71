"""The trained decisions: logistic models over ``features.NAMES`` (news or background) and
``features.STATUS_NAMES`` (the status), shipped as small JSON files of weights
(``model/news.json``, ``model/status.json``, written by ``make train-draft``; never a pickle)
and applied here in plain Python, with nothing beyond the site's requirements."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from generator.tools.draft.features import NAMES, STATUS_NAMES


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

    def as_dict(self) -> dict[str, object]:
        """The features in order with their weights, the bias and the threshold."""
        return {
            "features": {
                name: round(w, 6) for name, w in zip(self.features, self.weights, strict=True)
            },
            "bias": round(self.bias, 6),
            "threshold": self.threshold,
        }

    def as_json(self, about: dict[str, object]) -> str:
        """The weights file: what it is (``about``) and ``as_dict``; the same model gives the
        same bytes."""
        return json.dumps({**about, **self.as_dict()}, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class StatusModel:
    """The status: confirmed when ``confirmed`` says so, else claimed when ``claimed`` does,
    else reported (two models over ``features.STATUS_NAMES``)."""

    confirmed: Classifier
    claimed: Classifier

    def decide(self, values: list[float]) -> str:
        if self.confirmed.says(values):
            return "confirmed"
        return "claimed" if self.claimed.says(values) else "reported"

    def as_json(self, about: dict[str, object]) -> str:
        body = {**about, "confirmed": self.confirmed.as_dict(), "claimed": self.claimed.as_dict()}
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def from_json(text: str) -> Classifier:
    """The news model of a weights file."""
    return _classifier(json.loads(text), NAMES)


def status_from_json(text: str) -> StatusModel:
    """The status model of a weights file."""
    data = json.loads(text)
    return StatusModel(
        _classifier(data["confirmed"], STATUS_NAMES), _classifier(data["claimed"], STATUS_NAMES)
    )


def _classifier(data: dict[str, Any], names: tuple[str, ...]) -> Classifier:
    weights = data.get("features") or {}
    if tuple(weights) != names:
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
    """The news model that ships with the package (read once)."""
    return from_json((resources.files(__package__) / "model" / "news.json").read_text("utf-8"))


@cache
def shipped_status() -> StatusModel:
    """The status model that ships with the package (read once)."""
    folder = resources.files(__package__) / "model"
    return status_from_json((folder / "status.json").read_text("utf-8"))
