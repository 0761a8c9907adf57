"""The checks every figure applies to its arguments before drawing: a figure never shows NaN, a
cut that is not a number, or a curve of the wrong kind."""

from __future__ import annotations

from collections.abc import Mapping

from hepclf._utils import check_real


def optional_real(value: object, name: str) -> float | None:
    """None, or ``value`` as a finite real number (see :func:`hepclf._utils.check_real`)."""
    return None if value is None else check_real(value, name)


def results_of(value: object, name: str, kind: type) -> Mapping:
    """``value`` if it is a non-empty mapping of names to ``kind`` objects, else an error naming
    ``name`` (and the entry of the wrong kind)."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping of name -> {kind.__name__}, got "
                        f"{type(value).__name__}")  # fmt: skip
    if not value:
        raise ValueError(f"{name} is empty: nothing to draw")
    for key, entry in value.items():
        instance_of(entry, f"{name}[{key!r}]", kind)
    return value


def instance_of(value: object, name: str, kind: type) -> None:
    """Raise TypeError unless ``value`` is a ``kind`` (e.g. the result object a figure draws)."""
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be a {kind.__name__}, got {type(value).__name__}")
