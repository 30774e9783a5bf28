"""The FastAPI application: `create_app(engine=None)`.

The app upgrades nothing: the schema is created and upgraded by `kiemdiem db upgrade` (Alembic), run
before the server starts. Until it has run, every request is answered 503 with a Vietnamese message
saying so. Routes live under `/api/v1`; every error is `{"error": {"code", "message"}}` (service.api.errors).
The reviewer's web pages (service.web) are served by the same app, outside `/api/v1`, with their stylesheet
under `/tinh`; their errors are pages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from service import __version__
from service.api import errors
from service.api.deps import SchemaGuard
from service.api.references import ReviewCache
from service.api.review_index import SharedIndex
from service.api.routes import health, reviews, units
from service.api.settings import Settings
from service.store.db import make_engine
from service.web import STATIC_DIR
from service.web import errors as web_errors
from service.web.render import STATIC_PREFIX
from service.web.routes import routers as web_routers

PREFIX = "/api/v1"


def create_app(engine: Engine | None = None, settings: Settings | None = None) -> FastAPI:
    """The API over `engine` (default: an engine for the settings' database URL, from the environment).
    An engine given by the caller stays the caller's to dispose."""
    if settings is None:
        settings = Settings(database_url=str(engine.url)) if engine is not None else Settings()
    own_engine = engine is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if own_engine:
            app.state.engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="kiemdiem",
        version=__version__,
        description="Rà soát bản kiểm điểm đảng viên và báo cáo kiểm điểm tập thể (kiemdiem.screen/1).",
    )
    app.state.settings = settings
    app.state.engine = engine if engine is not None else make_engine(settings.database_url)
    app.state.schema = SchemaGuard(app.state.engine)
    app.state.review_cache = ReviewCache(settings.review_cache_size)
    # Every upload is compared with the reviews of the uploader's whole scope through this index.
    app.state.copy_index = SharedIndex(app.state.engine)
    errors.install(app)
    api = APIRouter(prefix=PREFIX)
    api.include_router(health.router)
    api.include_router(reviews.router)
    api.include_router(units.router)
    app.include_router(api)
    # Everything under /api (other versions and typos included) keeps answering JSON errors, as before.
    web_errors.install(app, "/api")
    for router in web_routers():
        app.include_router(router, include_in_schema=False)
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIR), name="static")
    return app
