"""Every error the API answers is one JSON shape: `{"error": {"code": "...", "message": "..."}}`.

`message` is one Vietnamese line meant for the person using the client; `code` is stable, for programs.
FastAPI's own answers (validation, unknown route, wrong method) are rewritten into the same shape, and
nothing answers with a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.store.errors import StoreError

log = logging.getLogger("kiemdiem.api")

# The code of FastAPI's and Starlette's own HTTP errors, by status.
_HTTP_CODES = {
    400: ("bad_request", "yêu cầu không hợp lệ"),
    401: ("unauthenticated", "cần đăng nhập bằng mã truy cập"),
    403: ("forbidden", "không có quyền thực hiện thao tác này"),
    404: ("not_found", "không tìm thấy địa chỉ này trong API"),
    405: ("method_not_allowed", "phương thức HTTP này không dùng được với địa chỉ này"),
    409: ("conflict", "dữ liệu xung đột với dữ liệu đã lưu"),
    413: ("too_large", "tệp gửi lên quá lớn"),
    415: ("unsupported_media_type", "loại tệp không được hỗ trợ"),
    422: ("invalid", "dữ liệu gửi lên không hợp lệ"),
    503: ("unavailable", "dịch vụ tạm thời không sẵn sàng"),
}

_LOCATIONS = {"body": "biểu mẫu", "query": "tham số", "path": "đường dẫn", "header": "tiêu đề"}


class ApiError(Exception):
    """An answer other than success: HTTP status, stable code, one Vietnamese line."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = " ".join(message.split())
        self.headers = headers


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def _response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


def _problem(error: dict[str, Any]) -> str:
    """One validation problem in Vietnamese (pydantic's English messages are not shown)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "bị thiếu"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "phải là số nguyên"
    if kind in {"bool_parsing", "bool_type"}:
        return "phải là true hoặc false"
    if kind in {"enum", "literal_error"}:
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", " hoặc ")
        return f"giá trị không hợp lệ (phải là {expected})" if expected else "giá trị không hợp lệ"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"phải lớn hơn{' hoặc bằng' if kind.endswith('equal') else ''} {ctx.get(kind.split('_')[0])}"
    if kind in {"less_than_equal", "less_than"}:
        return f"phải nhỏ hơn{' hoặc bằng' if kind.endswith('equal') else ''} {ctx.get(kind.split('_')[0])}"
    if kind in {"string_too_short", "string_too_long"}:
        return "độ dài không hợp lệ"
    if kind in {"value_error", "upload_file_type"}:
        return "phải là một tệp gửi kèm (multipart/form-data)"
    return "giá trị không hợp lệ"


def validation_message(errors: Sequence[Any]) -> str:
    parts = []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ())]
        where = _LOCATIONS.get(loc[0], loc[0]) if loc else ""
        name = ".".join(loc[1:]) or (loc[0] if loc else "?")
        parts.append(f"{where} '{name}': {_problem(error)}".strip())
    return "; ".join(parts) or "dữ liệu gửi lên không hợp lệ"


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into the error shape."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _response(422, "invalid", validation_message(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, default = _HTTP_CODES.get(exc.status_code, ("error", "lỗi"))
        # FastAPI's own details are English ("Not Found"); only our Vietnamese ones would be worth showing,
        # and those are ApiErrors. So the Vietnamese default of the status is what the client reads.
        return _response(exc.status_code, code, default, getattr(exc, "headers", None))

    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, exc: IntegrityError) -> JSONResponse:
        # Two uploads of the same review at the same moment: the database's unique index decides.
        log.info("integrity error: %s", exc.orig)
        return _response(409, "conflict", "dữ liệu xung đột với dữ liệu vừa được lưu; hãy thử lại")

    @app.exception_handler(OperationalError)
    async def _database_down(_: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable: %s", exc.orig)
        return _response(503, "database_unavailable", "không kết nối được cơ sở dữ liệu; hãy thử lại sau")

    @app.exception_handler(StoreError)
    async def _store(_: Request, exc: StoreError) -> JSONResponse:
        return _response(503, "database_unavailable", str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return _response(500, "internal_error", "lỗi không mong đợi của máy chủ; đã ghi lại để xử lý")
