"""Templates of the web pages and the one helper that renders a page with what every page needs."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from service.api.deps import ROLE_NAMES
from service.render.labels import FLAG_NAMES, KIND_NAMES, SCORE_NAMES, SEVERITY_NAMES
from service.store.models import User

STATIC_PREFIX = "/tinh"


def unit_url(code: str, tail: str = "") -> str:
    # Unit codes hold "/" (t/xa/cb1), which the {code:path} routes accept as it is.
    return f"/don-vi/{quote(code, safe='/')}{tail}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("service.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        unit_url=unit_url,
        static=STATIC_PREFIX,
        flag_names=FLAG_NAMES,
        score_names=SCORE_NAMES,
        severity_names=SEVERITY_NAMES,
        kind_names=KIND_NAMES,
        role_names=ROLE_NAMES,
    )
    return env


def render(name: str, **values: Any) -> str:
    return environment().get_template(name).render(**values)


def page(
    request: Request,
    name: str,
    *,
    user: User | None = None,
    csrf: str | None = None,
    status: int = 200,
    **values: Any,
) -> HTMLResponse:
    """A whole page: `name` extends base.html, which shows the user and the log-out form when logged in."""
    html = render(name, request=request, user=user, csrf=csrf, **values)
    # Pages show reviews of named people: never kept by shared caches.
    headers = {"Cache-Control": "no-store"}
    return HTMLResponse(html, status_code=status, headers=headers)
