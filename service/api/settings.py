"""The API's settings, read from the environment when the app is created.

`KIEMDIEM_DATABASE_URL` names the database exactly as for the CLI (`service.store.db.database_url`: the
SQLite file under KIEMDIEM_HOME when unset); `KIEMDIEM_MAX_UPLOAD_BYTES` lowers the upload limit, which
defaults to the readers' own limit, so the API refuses nothing the CLI would read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from service.store.db import database_url
from service.text.readers import MAX_BYTES

ENV_MAX_UPLOAD = "KIEMDIEM_MAX_UPLOAD_BYTES"


def _max_upload_bytes() -> int:
    raw = os.environ.get(ENV_MAX_UPLOAD, "").strip()
    if not raw:
        return MAX_BYTES
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{ENV_MAX_UPLOAD}={raw!r}: phải là một số nguyên (byte)") from None
    if value <= 0:
        raise ValueError(f"{ENV_MAX_UPLOAD}={raw!r}: phải lớn hơn 0")
    return min(value, MAX_BYTES)


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=database_url)
    max_upload_bytes: int = field(default_factory=_max_upload_bytes)
    # How many stored reviews are kept analysed in memory: a unit's peers are compared with every upload.
    review_cache_size: int = 512


def get_settings() -> Settings:
    return Settings()
