"""Real Chromium for browser tests: the server, the browser, and axe-core.

Browser tests never skip: if Chromium or Playwright is missing they fail and say why.
"""

from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def launch_chromium(playwright):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM} (apt-get install chromium).")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def axe_violations(page) -> list[dict]:
    """Run axe-core on the loaded page with the WCAG 2.0/2.1/2.2 A and AA rules."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        """async (tags) => await axe.run(document, {runOnly: {type: "tag", values: tags}})""",
        WCAG_TAGS,
    )
    return results["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"]]
    return "\n".join(lines)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


def wide_elements(page, limit: int = 5) -> list[str]:
    """The innermost elements reaching past the right edge of the viewport, for messages."""
    return page.evaluate(
        """(limit) => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
            .filter((e) => ![...e.children].some(
                (c) => c.getBoundingClientRect().right > window.innerWidth + 1))
            .slice(0, limit)
            .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ` +
                 `${Math.round(e.getBoundingClientRect().right)}px ` +
                 `"${(e.textContent || '').trim().slice(0, 50)}"`)""",
        limit,
    )
