"""The upload form: the API's own upload behind a form, errors shown on the form with nothing stored."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from markupsafe import escape
from service_samples import AN_2025
from sqlalchemy import Engine
from web_helpers import csrf_of

from service.store import repository as repo
from service.store.db import session_scope
from service.store.models import Member, Review, Screening

Browser = Callable[[str], TestClient]
FIELDS = {"unit": "t/xa/cb1", "member": "an", "member_name": "Lê Văn An", "kind": "individual", "year": ""}


def _counts(engine: Engine) -> tuple[int, int, int]:
    with session_scope(engine) as session:
        return tuple(repo.count(session, m) for m in (Review, Screening, Member))  # type: ignore[return-value]


def _post(client: TestClient, csrf: str | None, name: str, data: bytes, **fields: str):  # type: ignore[no-untyped-def]
    form = {**FIELDS, **fields, **({"csrf": csrf} if csrf is not None else {})}
    return client.post("/tai-len", data=form, files={"file": (name, data, "application/octet-stream")})


def test_an_upload_through_the_form_is_screened_stored_and_shown(browser: Browser, engine: Engine) -> None:
    client = browser("secretary_cb1")
    form = client.get("/tai-len")
    assert form.status_code == 200 and 'value="t/xa/cb1" selected' in form.text
    assert 'value="t/phuong/cb1"' not in form.text  # only the user's own units are offered
    done = _post(client, csrf_of(form), "an.txt", AN_2025.encode())
    assert done.status_code == 303 and done.headers["location"].startswith("/ban-kiem-diem/")
    review_id = int(done.headers["location"].rsplit("/", 1)[1])
    with session_scope(engine) as session:
        stored = session.get(Review, review_id)
        assert stored is not None and stored.year == 2025 and stored.unit.code == "t/xa/cb1"
        assert stored.member is not None and stored.member.name == "Lê Văn An" and len(stored.screenings) == 1
    page = client.get(done.headers["location"])
    assert page.status_code == 200 and "Lê Văn An — Chi bộ thôn Đồng Tâm — năm 2025" in page.text
    # The same review again: refused on the form, the stored one untouched.
    again = _post(client, csrf_of(form), "an.txt", AN_2025.encode())
    assert again.status_code == 409 and "Đã có bản kiểm điểm cá nhân năm 2025" in again.text
    assert 'value="an"' in again.text and _counts(engine) == (1, 1, 1)


def test_a_bad_file_stores_nothing_and_says_why(browser: Browser, engine: Engine) -> None:
    client = browser("committee_xa")
    csrf = csrf_of(client.get("/tai-len"))
    before = _counts(engine)
    for name, data in (
        ("an.txt", b"\x00\x01\x02\xff" * 50),
        ("an.txt", b""),
        ("an.doc", b"\xd0\xcf\x11\xe0"),
    ):
        refused = _post(client, csrf, name, data)
        assert refused.status_code in (415, 422), (name, refused.status_code)
        assert 'class="kd-error"' in refused.text and str(escape(f"ệp '{name}'")) in refused.text
    no_year = _post(client, csrf, "an.txt", AN_2025.replace("Năm 2025\n", "").encode())
    assert no_year.status_code == 422 and "năm" in no_year.text
    assert _counts(engine) == before == (0, 0, 0)  # the member the form named was not kept either


def test_an_upload_without_the_form_token_is_refused(browser: Browser, engine: Engine) -> None:
    client = browser("admin")
    refused = _post(client, None, "an.txt", AN_2025.encode())
    assert refused.status_code == 403 and _counts(engine) == (0, 0, 0)
    forged = _post(client, "0" * 64, "an.txt", AN_2025.encode())
    assert forged.status_code == 403 and _counts(engine) == (0, 0, 0)
