"""postcodes sits above collaboratives and below the project: it imports only Django, the
libraries and collaboratives, and nothing below it imports postcodes."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_FOR_POSTCODES = {"psc_portal", "backoffice", "pages", "search", "core"}


def imported_packages(folder: Path) -> dict[str, set[str]]:
    found = {}
    for path in folder.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_postcodes_imports_nothing_from_the_layers_above_it():
    offending = {
        path: sorted(names & FORBIDDEN_FOR_POSTCODES)
        for path, names in imported_packages(ROOT / "postcodes").items()
        if names & FORBIDDEN_FOR_POSTCODES
    }
    assert offending == {}


@pytest.mark.parametrize("app", ["collaboratives", "programmes", "casestudies", "resources"])
def test_the_content_apps_do_not_import_postcodes(app):
    offending = [
        path for path, names in imported_packages(ROOT / app).items() if "postcodes" in names
    ]
    assert offending == []
