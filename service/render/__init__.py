"""Outputs of a screening: the JSON contract, a terminal text view and a standalone HTML page."""

from __future__ import annotations

import json

from service.screening import Screening


def render(screening: Screening, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(screening.to_dict(), ensure_ascii=False, indent=2)
    if fmt == "text":
        from service.render.text import render_text

        return render_text(screening)
    if fmt == "html":
        from service.render.html import render_html

        return render_html(screening)
    raise ValueError(f"unknown format {fmt!r}")
