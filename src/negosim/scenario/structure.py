"""Translate pydantic's structural errors into scenario problems people can act on.

Pydantic knows *that* a value is wrong; the person editing the YAML needs to know *what
would be accepted*. That is read off the schema itself (the annotation and constraints of
the field at the error's location), so the message stays right as the schema evolves.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from typing import Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from negosim.scenario.moved import moved_hint
from negosim.scenario.problems import (
    Reporter,
    did_you_mean,
    join_path,
    quoted_choices,
    short_repr,
)
from negosim.schema import ScenarioSpec

KEY_MARKER = "[key]"
TYPE_ERRORS = {
    "float_type",
    "float_parsing",
    "int_type",
    "int_parsing",
    "int_from_float",
    "bool_type",
    "bool_parsing",
    "string_type",
    "dict_type",
    "list_type",
    "tuple_type",
    "model_type",
    "model_attributes_type",
    "none_required",
}
RANGE_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}
LENGTH_ERRORS = {"too_short", "too_long"}


def report_validation_error(
    err: ValidationError, reporter: Reporter, root: type[BaseModel] = ScenarioSpec
) -> None:
    """Add one problem per pydantic error in ``err`` to ``reporter``.

    ``root`` is the model that was validated (a scenario, or an experiment for sweeps); the
    schema is walked from it to say what each field allows.
    """
    for detail in err.errors(include_url=False):
        _report_one(detail, reporter, root)


def _report_one(detail: ErrorDetails, reporter: Reporter, root: type[BaseModel]) -> None:
    """One pydantic error -> one problem with path, given and allowed filled in."""
    loc = list(detail["loc"])
    kind = detail["type"]
    is_key = bool(loc) and loc[-1] == KEY_MARKER
    if is_key:
        loc = loc[:-1]
    path = join_path(*loc)
    given = None if kind == "missing" else short_repr(detail.get("input"))

    if kind == "extra_forbidden":
        names = _field_names_at(loc[:-1], root)
        moved = moved_hint(loc) if root is ScenarioSpec else None
        reporter.add(
            path,
            f"unknown field; {moved}" if moved else "unknown field" + did_you_mean(loc[-1], names),
            given=given if moved else None,
            allowed=", ".join(names) if names else None,
        )
        return

    annotation, info = _annotation_at(loc, root)
    if is_key:
        key_type = _dict_key_type(_annotation_at(loc[:-1], root)[0])
        reporter.add(path, "invalid key", given, describe(key_type) if key_type else None)
        return
    allowed = describe(annotation, info) if annotation is not None else None
    if kind == "missing":
        reporter.add(path, "required field missing", None, allowed)
    elif kind == "literal_error":
        choices = _literal_choices(annotation)
        hint = did_you_mean(detail.get("input"), choices) if choices else ""
        allowed = quoted_choices(choices) if choices else str(detail.get("ctx", {}).get("expected"))
        reporter.add(path, "not an allowed value" + hint, given, allowed)
    elif kind in RANGE_ERRORS:
        reporter.add(path, "out of range", given, allowed)
    elif kind in LENGTH_ERRORS:
        ctx = detail.get("ctx", {})
        reporter.add(
            path, f"wrong number of items ({ctx.get('actual_length', '?')})", given, allowed
        )
    elif kind == "finite_number":
        finite = (allowed or "a number").replace("a number", "a finite number", 1)
        reporter.add(path, "must be a finite number: NaN and infinities are refused", given, finite)
    elif kind in TYPE_ERRORS:
        reporter.add(path, "wrong type", given, allowed)
    else:
        reporter.add(path, detail["msg"], given, allowed)


# --- walking the schema along an error location -------------------------------------------


def _annotation_at(
    loc: Sequence[int | str], root: type[BaseModel] = ScenarioSpec
) -> tuple[object | None, FieldInfo | None]:
    """Annotation (and field info, when the last step is a model field) at ``loc``."""
    annotation: object = root
    info: FieldInfo | None = None
    for step in loc:
        annotation = _strip_optional(annotation)
        info = None
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(str(step))
            if info is None:
                return None, None
            annotation = info.annotation
            continue
        origin, args = get_origin(annotation), get_args(annotation)
        if origin is dict and len(args) == 2:
            annotation = args[1]
        elif origin is list and args:
            annotation = args[0]
        elif origin is tuple and args:
            if len(args) == 2 and args[1] is Ellipsis:
                annotation = args[0]
            elif isinstance(step, int) and 0 <= step < len(args):
                annotation = args[step]
            else:
                return None, None
        else:
            return None, None
    return annotation, info


def _field_names_at(loc: Sequence[int | str], root: type[BaseModel] = ScenarioSpec) -> list[str]:
    """List the declared field names of the model at ``loc``.

    For a mapping field that declares the keys it knows (``json_schema_extra={"keys":
    [...]}``, e.g. ``concession.params``) those keys; empty for anything else.
    """
    annotation, info = _annotation_at(loc, root)
    annotation = _strip_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    extra = info.json_schema_extra if info is not None else None
    if isinstance(extra, dict) and isinstance(extra.get("keys"), list):
        return [str(key) for key in extra["keys"]]
    return []


def _strip_optional(annotation: object) -> object:
    """``X | None`` -> ``X`` (pydantic reports errors on the non-None member)."""
    if _is_union(annotation):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation


def _is_union(annotation: object) -> bool:
    """Tell whether an annotation is a union, ``Union[X, Y]`` or ``X | Y``."""
    origin = get_origin(annotation)
    return origin is Union or origin is types.UnionType


def _dict_key_type(annotation: object) -> object | None:
    """Key type of a dict annotation, or ``None``."""
    annotation = _strip_optional(annotation)
    if get_origin(annotation) is dict:
        return get_args(annotation)[0]
    return None


def _literal_choices(annotation: object) -> list[object]:
    """List the allowed values of a ``Literal`` (possibly optional), else nothing."""
    annotation = _strip_optional(annotation)
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    return []


# --- describing what is allowed -------------------------------------------------------------

_SIMPLE = {
    float: ("a number", "numbers"),
    int: ("an integer", "integers"),
    str: ("a string", "strings"),
    bool: ("true or false", "true/false values"),
}


def describe(annotation: object, info: FieldInfo | None = None) -> str:
    """Plain-language description of an annotation plus its numeric constraints."""
    text = _describe_type(annotation)
    length = _exact_length(info) if info is not None else None
    if length is not None and text.startswith("a list of "):
        text = f"a list of exactly {length} " + text.removeprefix("a list of ")
    bounds = _bounds(info) if info is not None else ""
    return f"{text} {bounds}" if bounds else text


def _describe_type(annotation: object, plural: bool = False) -> str:
    """Describe a type: ``a number``, ``a mapping of names to numbers``, ``one of ...``."""
    if annotation in _SIMPLE:
        return _SIMPLE[annotation][1 if plural else 0]
    if _is_union(annotation):
        members = get_args(annotation)
        inner = [_describe_type(a, plural) for a in members if a is not type(None)]
        text = " or ".join(inner)
        return f"{text} or null" if type(None) in members else text
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return quoted_choices(args)
    if origin is dict and len(args) == 2:
        keys = "integers" if args[0] is int else "names"
        return f"a mapping of {keys} to {_describe_type(args[1], plural=True)}"
    if origin is list and args:
        return f"a list of {_describe_type(args[0], plural=True)}"
    if origin is tuple and args:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"a list of {_describe_type(args[0], plural=True)}"
        if len(set(args)) == 1:
            return f"a list of exactly {len(args)} {_describe_type(args[0], plural=True)}"
        return f"a list of exactly {len(args)} items"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = ", ".join(annotation.model_fields)
        return f"{'mappings' if plural else 'a mapping'} with fields {fields}"
    return str(annotation)


def _exact_length(info: FieldInfo) -> int | None:
    """N when a list field must have exactly N items (min_length == max_length)."""
    low = high = None
    for item in info.metadata:
        low = getattr(item, "min_length", low)
        high = getattr(item, "max_length", high)
    return low if low is not None and low == high else None


def _bounds(info: FieldInfo) -> str:
    """``in [0, 1]``, ``≥ 0``, ``in (0, 1)`` from a field's annotated-types constraints."""
    lower = upper = None
    for item in info.metadata:
        # annotated_types.Ge/Gt/Le/Lt, read by attribute to avoid depending on that package.
        if getattr(item, "ge", None) is not None:
            lower = f"[{item.ge}"
        elif getattr(item, "gt", None) is not None:
            lower = f"({item.gt}"
        elif getattr(item, "le", None) is not None:
            upper = f"{item.le}]"
        elif getattr(item, "lt", None) is not None:
            upper = f"{item.lt})"
    if lower and upper:
        return f"in {lower}, {upper}"
    if lower:
        return ("≥ " if lower[0] == "[" else "> ") + lower[1:]
    if upper:
        return ("≤ " if upper[-1] == "]" else "< ") + upper[:-1]
    return ""


def declared_fields(loc: Sequence[int | str], root: type[BaseModel] = ScenarioSpec) -> list[str]:
    """Field names the schema declares for the section at dotted location ``loc``.

    List indices in ``loc`` may be given as text (``["events", "0"]``).
    """
    steps = [int(p) if isinstance(p, str) and p.isdigit() else p for p in loc]
    return _field_names_at(steps, root)
