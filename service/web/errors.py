"""Errors of the pages as pages: the API keeps its JSON error shape under /api, the pages answer the same
statuses (403 role, 404 not found or out of scope, 422, 503) with a Vietnamese page, and a missing or bad
session with a redirect to the login form."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.api.errors import ApiError, validation_message
from service.web.auth import LOGIN_URL, LoginRequired
from service.web.render import page

Handler = Callable[[Request, Any], Awaitable[Response]]

TITLES = {
    401: "Cần đăng nhập",
    403: "Không có quyền truy cập",
    404: "Không tìm thấy",
    405: "Không dùng được cách gửi này",
    409: "Dữ liệu xung đột",
    422: "Yêu cầu không hợp lệ",
    503: "Dịch vụ chưa sẵn sàng",
}
DEFAULTS = {
    403: "Vai trò của bạn không được xem trang này.",
    404: "Không có trang này, hoặc nó nằm ngoài phạm vi đơn vị của bạn.",
    405: "Địa chỉ này không nhận cách gửi yêu cầu này.",
}


def _under(request: Request, prefix: str) -> bool:
    return request.url.path == prefix or request.url.path.startswith(prefix + "/")


def error_page(request: Request, status: int, message: str) -> Response:
    title = TITLES.get(status, "Có lỗi")
    return page(request, "error.html", title=title, message=message, status=status)


def install(app: FastAPI, api_prefix: str) -> None:
    """Wrap the API's handlers: paths under `api_prefix` keep theirs, pages get a page. Call after the API's
    service.api.errors.install."""
    api_error: Handler = app.exception_handlers[ApiError]
    validation: Handler = app.exception_handlers[RequestValidationError]
    http: Handler = app.exception_handlers[StarletteHTTPException]

    @app.exception_handler(LoginRequired)
    async def _login(_: Request, __: LoginRequired) -> Response:
        return RedirectResponse(LOGIN_URL, status_code=303)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        if _under(request, api_prefix):
            return await api_error(request, exc)
        return error_page(request, exc.status, exc.message[:1].upper() + exc.message[1:] + ".")

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if _under(request, api_prefix):
            return await validation(request, exc)
        return error_page(request, 422, validation_message(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if _under(request, api_prefix):
            return await http(request, exc)
        return error_page(request, exc.status_code, DEFAULTS.get(exc.status_code, "Có lỗi xảy ra."))
