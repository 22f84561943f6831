"""The install extras: a cabin (``.[kiosk]``) gets no database stack, a portal server
(``.[portal]``) neither Qt nor the card, Bluetooth and video-call stacks.

Two views of the same rule: the requirements pip would install for each extra, resolved
through the installed distributions' metadata, and the modules each side really imports,
run in a fresh interpreter that refuses the other side's libraries.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.deploy.conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
#: The distributions a cabin needs and a portal server must not pull in, and back.
CABIN_ONLY = {"pyqt6", "qasync", "pyscard", "bleak", "aiortc", "av", "reportlab", "pyserial"}
PORTAL_ONLY = {"sqlalchemy", "aiosqlite", "asyncpg", "phonenumbers"}
#: Their top-level modules, refused by the import check below.
CABIN_MODULES = ("PyQt6", "qasync", "smartcard", "bleak", "aiortc", "av", "reportlab", "serial")
PORTAL_MODULES = ("sqlalchemy", "aiosqlite", "asyncpg", "phonenumbers")


def _closure(requirements: list[str]) -> set[str]:
    """Every distribution ``requirements`` pull in on this machine (markers evaluated)."""
    seen: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name == "cabine":  # the project's own extras, as `dev` names them
            for extra in requirement.extras:
                todo.extend(map(Requirement, PYPROJECT["project"]["optional-dependencies"][extra]))
            continue
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        if name in seen:
            continue
        seen.add(name)
        try:
            todo.extend(Requirement(r) for r in metadata.requires(name) or [])
        except metadata.PackageNotFoundError as exc:
            raise AssertionError(f"{name} is not installed in this venv (make setup)") from exc
    return seen


def _extra(name: str) -> list[str]:
    return [
        *PYPROJECT["project"]["dependencies"],
        *PYPROJECT["project"]["optional-dependencies"][name],
    ]


def test_a_portal_install_pulls_in_no_cabin_stack() -> None:
    closure = _closure(_extra("portal"))
    assert not closure & CABIN_ONLY, sorted(closure)
    assert closure >= PORTAL_ONLY


def test_a_cabin_install_pulls_in_no_database_stack() -> None:
    closure = _closure(_extra("kiosk"))
    assert not closure & PORTAL_ONLY, sorted(closure)
    assert closure >= {"pyqt6", "pyscard", "bleak", "aiortc"}


def test_dev_is_both() -> None:
    closure = _closure(PYPROJECT["project"]["optional-dependencies"]["dev"])
    assert closure >= PORTAL_ONLY | {"pyqt6", "pyscard", "bleak"}


_REFUSE = """
import importlib.abc, sys
REFUSED = {refused!r}
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in REFUSED:
            raise ImportError(f"{{name}} is not installed by this extra")
        return None
sys.meta_path.insert(0, Refuse())
import importlib
for module in {modules!r}:
    importlib.import_module(module)
print("imported", len(sys.modules))
"""


def _imports_without(modules: list[str], refused: tuple[str, ...]) -> None:
    code = _REFUSE.format(refused=refused, modules=modules)
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_the_portal_runs_without_the_cabin_stack() -> None:
    portal = sorted(
        ".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for p in (REPO / "portal").rglob("*.py")
        if p.name != "__main__.py"
    )
    _imports_without(portal, CABIN_MODULES)


def test_the_cabin_runs_without_the_database_stack() -> None:
    cabin = sorted(
        ".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for package in ("protocol", "kiosk", "drivers", "ui")
        for p in (REPO / package).rglob("*.py")
        # the command line may offer `kiosk portal`, which needs the portal's extra
        if p.name != "__main__.py" and p.relative_to(REPO).as_posix() != "kiosk/cli/portal.py"
    )
    _imports_without(cabin, PORTAL_MODULES)
