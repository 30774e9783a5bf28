"""`GET /api/v1/health`: no token needed; says the service runs and which schema revision it found."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Engine

from service.api.deps import get_engine
from service.api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(request: Request, _: Annotated[Engine, Depends(get_engine)]) -> Health:
    # get_engine answered 503 already if the schema is missing or older than this code.
    return Health(status="ok", schema_revision=request.app.state.schema.revision())
