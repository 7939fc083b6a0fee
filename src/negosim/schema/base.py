"""The base of every scenario section, and the constants the sections share."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Role = Literal["commitment", "tariff", "defense", "investment"]
ReversalClass = Literal["trade", "security"]
Direction = Literal["up", "down"]
#: China's coercion levels run 0 (routine presence) .. 5 (militarised incident), docs/model.md §5.
COERCION_LEVELS = 6
TOP_LEVEL = COERCION_LEVELS - 1
#: Parameters of a registry entry (a concession style, China rule, event kind), checked
#: against the entry's own parameter model by the loader (negosim.registry).
EntryParameters = dict[str, float | int | bool | str]


class Strict(BaseModel):
    """Base for every section: unknown keys are errors, values are immutable once read.

    Strict mode: YAML's ``true`` is not silently read as 1.0, nor "12" as 12. No number may
    be NaN or infinite (YAML's ``.nan``, ``.inf``): every number the model reads is meant
    to be finite, and one infinity silently turns utilities, approval and offers into NaN.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)
