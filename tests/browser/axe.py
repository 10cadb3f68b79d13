"""axe-core (the npm package pinned in package.json, read from node_modules) run inside a page under test."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """The page's axe violations of WCAG 2.1 A/AA (and axe's best practices) of the given impacts, as readable lines."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # evaluated by the browser's debugger protocol: the page's CSP does not apply
    result = page.evaluate("options => axe.run(document, options)", {"runOnly": {"type": "tag", "values": RULES}})
    return [
        f"{page.url} {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:5]]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]
