"""A registry of every derived feature with a one-line physical meaning (for docs and the CLI)."""

from __future__ import annotations

import pandas as pd

_REGISTRY: dict[tuple[str, str], str] = {}


def register(group: str, name: str, meaning: str) -> None:
    """Record feature ``name`` of ``group`` ('higgs' or 'flavours') and what it means."""
    key = (group, name)
    if key in _REGISTRY and _REGISTRY[key] != meaning:
        raise ValueError(f"feature {name!r} of {group!r} is registered twice with different text")
    _REGISTRY[key] = meaning


def feature_registry(group: str | None = None) -> pd.DataFrame:
    """Every registered feature as a table with columns ``group``, ``feature``, ``meaning``.

    Parameters
    ----------
    group : {'higgs', 'flavours'}, optional
        Only this group's features.

    Raises
    ------
    TypeError
        ``group`` is neither None nor a string.
    ValueError
        ``group`` is not a known group.
    """
    if group is not None and not isinstance(group, str):
        raise TypeError(f"group must be a string or None, got {group!r}")
    rows = [
        {"group": g, "feature": name, "meaning": meaning}
        for (g, name), meaning in _REGISTRY.items()
        if group is None or g == group
    ]
    if group is not None and not rows:
        known = sorted({g for g, _ in _REGISTRY})
        raise ValueError(f"group must be one of {known}, got {group!r}")
    return pd.DataFrame(rows, columns=["group", "feature", "meaning"])
