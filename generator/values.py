"""The shape of values as YAML gives them, for the code that walks what a data file holds
before the model has checked it. Typed, so that nothing travels as ``Any``."""

from __future__ import annotations

import datetime as dt
from typing import TypeAlias

# What the YAML of a data file can hold, as the loader gives it (dates as dates).
YAMLValue: TypeAlias = (
    "str | int | float | bool | dt.date | list[YAMLValue] | dict[str, YAMLValue] | None"
)

__all__ = ["YAMLValue", "dt"]
