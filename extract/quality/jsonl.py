"""Reading hand-labelled JSONL files (gold units, labelled pairs): one object a line, each
error saying the file and line it is on."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from extract.errors import ClaimsetError


class EvalError(ClaimsetError):
    """The dataset or the gold set cannot be read or is malformed."""


def json_object(line: str, where: str) -> dict[str, Any]:
    """One JSONL line as an object, or an :class:`EvalError` saying where it is not one."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise EvalError(f"{where}: invalid JSON ({exc.msg})") from exc
    if not isinstance(obj, dict):
        raise EvalError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    return obj


def require(obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    """``obj[key]`` if it is there and of ``kind``, else an :class:`EvalError`."""
    if key not in obj:
        raise EvalError(f"{where}: missing field {key!r}")
    value = obj[key]
    # bool is a subclass of int; an int field must not accept true/false.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise EvalError(f"{where}: field {key!r} has the wrong type ({type(value).__name__})")
    return value
