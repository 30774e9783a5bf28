"""Logging in and out of the pages: the token form, the session cookie's flags, redirects, CSRF."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from service_samples import World
from web_helpers import csrf_of

from service.web.auth import LOGIN_CSRF_COOKIE, SESSION_COOKIE


def _set_cookie(response, name: str) -> str:  # type: ignore[no-untyped-def]
    headers = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert len(headers) == 1, response.headers
    return headers[0]


def test_a_good_token_logs_in_with_a_strict_httponly_cookie(app: FastAPI, world: World) -> None:
    client = TestClient(app, follow_redirects=False)
    assert client.get("/").headers["location"] == "/dang-nhap"
    form = client.get("/dang-nhap")
    assert form.status_code == 200 and "Mã truy cập" in form.text and 'lang="vi"' in form.text
    done = client.post("/dang-nhap", data={"token": world.tokens["committee_xa"], "csrf": csrf_of(form)})
    assert done.status_code == 303 and done.headers["location"] == "/don-vi/t/xa"
    cookie = _set_cookie(done, SESSION_COOKIE).lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # plain http: a Secure cookie would never come back
    # Logged in: the root sends the committee to its unit's ranking, the secretary to the unit's reviews.
    assert client.get("/").headers["location"] == "/don-vi/t/xa"
    assert client.get("/don-vi/t/xa").status_code == 200


def test_the_cookie_is_secure_over_https(app: FastAPI, world: World) -> None:
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    form = client.get("/dang-nhap")
    done = client.post("/dang-nhap", data={"token": world.tokens["secretary_cb1"], "csrf": csrf_of(form)})
    assert done.headers["location"] == "/don-vi/t/xa/cb1/ban-kiem-diem"
    assert "secure" in _set_cookie(done, SESSION_COOKIE).lower().split("; ")


def test_a_bad_token_shows_the_form_again_with_an_error(app: FastAPI, world: World) -> None:
    client = TestClient(app, follow_redirects=False)
    form = client.get("/dang-nhap")
    bad = client.post("/dang-nhap", data={"token": "khong-dung", "csrf": csrf_of(form)})
    assert bad.status_code == 401
    assert "Mã truy cập không đúng" in bad.text and 'name="token"' in bad.text
    assert SESSION_COOKIE not in client.cookies
    assert client.get("/don-vi/t").status_code == 303


def test_login_without_the_form_token_is_refused(app: FastAPI, world: World) -> None:
    client = TestClient(app, follow_redirects=False)
    client.get("/dang-nhap")
    assert LOGIN_CSRF_COOKIE in client.cookies
    refused = client.post("/dang-nhap", data={"token": world.tokens["admin"], "csrf": "doan-mo"})
    assert refused.status_code == 403 and SESSION_COOKIE not in client.cookies


@pytest.mark.parametrize(
    "path",
    [
        "/don-vi/t",
        "/don-vi/t/sao-chep?nam=2025",
        "/don-vi/t/xa/cb1/ban-kiem-diem",
        "/ban-kiem-diem/1",
        "/ban-kiem-diem/1/viec-can-sua",
        "/tai-len",
    ],
)
def test_pages_redirect_to_login_without_a_valid_session(app: FastAPI, world: World, path: str) -> None:
    client = TestClient(app, follow_redirects=False)
    response = client.get(path)
    assert response.status_code == 303 and response.headers["location"] == "/dang-nhap"
    client.cookies.set(SESSION_COOKIE, "ma-gia")
    assert client.get(path).headers["location"] == "/dang-nhap"


def test_logout_needs_the_form_token_and_clears_the_cookie(browser: Callable[[str], TestClient]) -> None:
    client = browser("inspector")
    home = client.get("/don-vi/t")
    assert home.status_code == 200
    refused = client.post("/dang-xuat", data={})
    assert refused.status_code == 403 and "Biểu mẫu đã hết hạn" in refused.text
    assert client.get("/don-vi/t").status_code == 200  # still logged in
    done = client.post("/dang-xuat", data={"csrf": csrf_of(home)})
    assert done.status_code == 303 and done.headers["location"] == "/dang-nhap"
    assert SESSION_COOKIE not in client.cookies
    assert client.get("/don-vi/t").status_code == 303
