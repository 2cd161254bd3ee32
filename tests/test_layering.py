"""The layout guards itself: the import-linter contract, and no imports hidden in functions."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGES = (
    "psc_portal",
    "server",
    "core",
    "collaboratives",
    "postcodes",
    "programmes",
    "measures",
    "casestudies",
    "resources",
    "events",
    "backoffice",
    "contact",
    "redirects",
    "search",
    "api",
    "alerts",
    "pages",
)
# A function-level import is allowed only with a comment on the line above that starts
# "import here:" and says why no other way works.
REASON = "# import here:"


def application_modules():
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def hidden_imports(path: Path) -> list[str]:
    source = path.read_text()
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import | ast.ImportFrom):
                above = lines[inner.lineno - 2].strip() if inner.lineno > 1 else ""
                if not above.startswith(REASON):
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    return found


def test_the_layering_contract_is_kept():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contract_fails_on_an_import_up_the_layers(tmp_path):
    """A copy of the project with core importing a content app breaks the contract."""
    copy = tmp_path / "project"
    copy.mkdir()
    for package in APP_PACKAGES:
        shutil.copytree(ROOT / package, copy / package)
    (copy / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    bad = copy / "core" / "wrong_floor.py"
    bad.write_text("from casestudies import models  # noqa: F401\n")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


def test_no_application_module_imports_inside_a_function():
    hidden = [where for path in application_modules() for where in hidden_imports(path)]
    assert hidden == []


def test_no_application_module_finds_code_by_name():
    users = [
        str(path.relative_to(ROOT))
        for path in application_modules()
        if "import_module" in path.read_text()
    ]
    assert users == []
