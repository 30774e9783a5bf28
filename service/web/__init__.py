"""The reviewer's web pages: server-rendered HTML over the same store, scope and role rules as the API.

Committees get a unit's ranked list, secretaries a printable fix-list per review, inspectors the copy audit
with passages side by side. Pages live in the same FastAPI app as the API (`service.api.app.create_app`
mounts them); access goes through `service.api.scope` and `service.api.deps.require_roles`, so the pages
can never show more than the API would.
"""

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
