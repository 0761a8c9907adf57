"""The install works on Linux, macOS and Windows: no dependency that a platform has no wheel for.

The table below lists packages seen without a wheel for a platform (checked with
``pip download --only-binary=:all: --platform ... PACKAGE``); the dependencies that apply on each
platform (their environment markers evaluated for it) must avoid them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
tomllib = pytest.importorskip("tomllib" if sys.version_info >= (3, 11) else "tomli")

#: Marker environments of the platforms users install on.
PLATFORMS = {
    "linux_x86_64": {"sys_platform": "linux", "platform_system": "Linux",
                     "platform_machine": "x86_64", "os_name": "posix"},
    "linux_aarch64": {"sys_platform": "linux", "platform_system": "Linux",
                      "platform_machine": "aarch64", "os_name": "posix"},
    "macosx_arm64": {"sys_platform": "darwin", "platform_system": "Darwin",
                     "platform_machine": "arm64", "os_name": "posix"},
    "macosx_x86_64": {"sys_platform": "darwin", "platform_system": "Darwin",
                      "platform_machine": "x86_64", "os_name": "posix"},
    "win_amd64": {"sys_platform": "win32", "platform_system": "Windows",
                  "platform_machine": "AMD64", "os_name": "nt"},
}  # fmt: skip
#: Package -> platforms with no wheel (pip finds no version there, or must compile).
NO_WHEEL = {
    "xgboost-cpu": {"macosx_arm64", "macosx_x86_64"},  # pip: no matching distribution (3.2.0)
}


def _requirements(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(text) for text in listed]


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("extra", [None, "plot", "parquet", "dev"])
def test_every_dependency_has_a_wheel_for_the_platform(platform, extra):
    environment = {"python_version": "3.11", "python_full_version": "3.11.7",
                   "implementation_name": "cpython", "platform_python_implementation": "CPython",
                   "extra": extra or ""} | PLATFORMS[platform]  # fmt: skip
    needed = [r.name.lower() for r in _requirements(extra) if r.marker is None
              or r.marker.evaluate(environment)]  # fmt: skip
    assert needed, "no dependency applies: the markers are wrong"
    assert [name for name in needed if platform in NO_WHEEL.get(name, ())] == []
    if extra is None:
        assert "xgboost" in needed  # the one xgboost that has wheels everywhere


def test_the_table_catches_the_old_dependency():
    """The check fails for what pyproject.toml had before: xgboost-cpu for every platform."""
    old = Requirement("xgboost-cpu>=2.1")
    assert "macosx_arm64" in NO_WHEEL[old.name]
