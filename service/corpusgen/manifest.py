"""The manifest of a generated corpus: the province, its members, every file and how it was made."""

from __future__ import annotations

from typing import Any

from service.corpusgen.province import Province

GENERATOR_VERSION = "0.1.0"
MANIFEST_SCHEMA = "kiemdiem.corpus/1"


def build_manifest(
    province: Province,
    *,
    seed: int,
    split: str,
    params: dict[str, Any],
    pool_versions: dict[str, Any],
    templates: list[dict[str, Any]],
    files: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "schema": MANIFEST_SCHEMA,
        "generator": "service.corpusgen",
        "generator_version": GENERATOR_VERSION,
        "pool_versions": pool_versions,
        "seed": seed,
        "split": split,
        "params": params,
        "province": {
            "name": f"Đảng bộ tỉnh {province.name}",
            "dangbo": [
                {"id": d.id, "name": d.name, "type": d.type, "units": [u.id for u in d.units]}
                for d in province.dangbo
            ],
        },
        "units": [
            {
                "id": u.id,
                "name": u.name,
                "chibo": u.chibo,
                "type": u.type,
                "dangbo": u.dangbo_id,
                "members": [f"{u.id}/{m.id}" for m in u.members],
            }
            for u in province.units
        ],
        "members": [
            {
                "id": f"{m.unit_id}/{m.id}",
                "unit": m.unit_id,
                "name": m.name,
                "role": m.role,
                "title": m.title,
                "category": m.category,
                "years": m.years,
            }
            for m in province.members
        ],
        "templates": templates,
        "files": files,
    }
