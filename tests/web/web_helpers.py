"""Helpers of the web page tests: logging in through the form, reading form tokens out of a page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response

_CSRF = re.compile(r'name="csrf" value="([^"]*)"')


def csrf_of(page: Response) -> str:
    found = _CSRF.search(page.text)
    assert found is not None, "no form token on the page"
    return found.group(1)


def login(client: TestClient, token: str) -> Response:
    form = client.get("/dang-nhap")
    assert form.status_code == 200
    response = client.post("/dang-nhap", data={"token": token, "csrf": csrf_of(form)})
    assert response.status_code == 303, response.text
    return response


def cells(page: Response, css_class: str) -> list[str]:
    """The text of every <td> (or div) with `css_class` on the page."""
    return re.findall(rf'<(?:td|div) class="{css_class}">(.*?)</(?:td|div)>', page.text, flags=re.S)
