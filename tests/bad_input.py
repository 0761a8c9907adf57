"""The runner shared by the table-driven bad-input tests (``tests/test_bad_input_*.py``).

Each table row is ``name: (call, error, words)``: calling ``call()`` must raise ``error`` (a
ValueError or TypeError, never an IndexError, AttributeError, KeyError, ZeroDivisionError or an
error from numba) whose message holds every one of ``words`` (the argument, and for data the
column and the first bad row). A call that returns instead fails the test with what it returned,
so a silent wrong value or a NaN cannot pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

Case = tuple[Callable[[], object], type[Exception], Sequence[str]]


def assert_refused(call: Callable[[], object], error: type[Exception], words: Sequence[str]):
    """``call()`` raises ``error`` with each of ``words`` in its message."""
    try:
        returned = call()
    except error as raised:
        message = str(raised)
        missing = [word for word in words if word not in message]
        assert not missing, f"message {message!r} lacks {missing}"
        return
    except Exception as raised:  # the wrong kind of error: show it whole
        pytest.fail(f"expected {error.__name__}, got {type(raised).__name__}: {raised}")
    pytest.fail(f"expected {error.__name__}, but the call returned {returned!r:.200}")


def table(cases: dict[str, Case]):
    """``pytest.mark.parametrize`` over the rows of ``cases``, each row's name as its id."""
    return pytest.mark.parametrize(
        ("call", "error", "words"), list(cases.values()), ids=list(cases)
    )


def refusal_test(cases: dict[str, Case]):
    """A test over the rows of ``cases``, each row's call refused as it says (assign it to a
    ``test_*`` name of the test module)."""

    @table(cases)
    def test(call, error, words):
        assert_refused(call, error, words)

    return test
