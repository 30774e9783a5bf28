"""The page routers, in the order they must be matched (a unit's sub-pages before the unit's own page)."""

from __future__ import annotations

from fastapi import APIRouter

from service.web import auth, reviews, units


def routers() -> list[APIRouter]:
    return [auth.router, reviews.router, units.router]
