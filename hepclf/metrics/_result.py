"""The result object shared by the Flavours of Physics acceptance tests (KS and CvM)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PhysicsTestResult:
    """Outcome of a pass/fail physics test.

    Attributes
    ----------
    name : str
        Which test ("KS agreement", "CvM correlation").
    value : float
        The test statistic.
    threshold : float
        The test passes when ``value < threshold`` (strictly, as on the Kaggle leaderboard).

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: the tests
        :func:`~hepclf.metrics.ks_agreement` and :func:`~hepclf.metrics.cvm_correlation` build
        the result).
    dataclasses.FrozenInstanceError
        A field is assigned to (the result is frozen).
    """

    name: str
    value: float
    threshold: float

    @property
    def passed(self) -> bool:
        """True when the statistic is strictly below the threshold."""
        return self.value < self.threshold

    def __float__(self) -> float:
        return float(self.value)

    def __bool__(self) -> bool:  # a result object is always truthy; ask .passed explicitly
        return True

    def __str__(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        return f"{self.name}: {self.value:.6g} (threshold {self.threshold:g}) {verdict}"
