import math
from pathlib import Path

import pytest

from service.detect.base import Flag
from service.scoring import ScoringError, combine, load_scoring


def flag(code: str, severity: str = "high") -> Flag:
    return Flag(code=code, severity=severity, start=0, end=1, message="m", hint="h")  # type: ignore[arg-type]


ALL_CLEAN = {"duplication": 0.05, "boilerplate": 0.1, "remedies": 0.1, "coverage": 0.0}
ALL_BAD = {"duplication": 0.9, "boilerplate": 0.8, "remedies": 0.9, "coverage": 0.7}


def test_score_is_in_range_and_orders_formalistic_above_substantive() -> None:
    clean, _ = combine(ALL_CLEAN, [])
    bad, _ = combine(ALL_BAD, [])
    assert clean is not None and bad is not None
    assert 0.0 <= clean < bad <= 1.0


def test_one_glaring_family_is_not_averaged_away() -> None:
    copied, _ = combine({**ALL_CLEAN, "duplication": 1.0}, [])
    mean_only = sum(s * w for s, w in zip((1.0, 0.1, 0.1, 0.0), (0.35, 0.25, 0.25, 0.15), strict=True)) / 1.0
    assert copied is not None and copied > mean_only + 0.2


def test_null_families_are_left_out_with_their_reason_and_do_not_change_the_score() -> None:
    rules = load_scoring()
    full, _ = combine({"boilerplate": 0.5, "remedies": 0.5}, [])
    partial, details = combine(
        {"duplication": None, "boilerplate": 0.5, "remedies": 0.5, "coverage": None, "formalism": None},
        [],
        reasons={"duplication": "không có bản kiểm điểm năm trước để so sánh"},
    )
    assert partial == full == pytest.approx(0.5)
    assert details["left_out"]["duplication"] == "không có bản kiểm điểm năm trước để so sánh"
    assert details["left_out"]["coverage"] == rules.reasons["null"]
    assert set(details["families"]) == {"boilerplate", "remedies"}
    assert details["families"]["boilerplate"]["share"] == pytest.approx(0.5)
    assert details["rules"] == f"scoring@{rules.version}"


def test_all_null_gives_null_with_a_reason() -> None:
    score, details = combine(dict.fromkeys(("duplication", "boilerplate", "remedies", "coverage")), [])
    assert score is None
    assert details["reason"]


def test_flags_no_family_scores_raise_the_score_but_are_capped() -> None:
    rules = load_scoring()
    base, _ = combine(ALL_CLEAN, [])
    with_grade, details = combine(ALL_CLEAN, [flag("grade_inconsistent")])
    assert base is not None and with_grade is not None and with_grade > base
    assert details["extra"]["flags"] == {"grade_inconsistent": 1}
    many, details = combine(ALL_CLEAN, [flag("grade_inconsistent")] * 50 + [flag("placeholder_left")] * 50)
    assert details["extra"]["value"] <= rules.extra_cap + 1e-9
    assert many is not None and many <= 1 - (1 - base) * (1 - rules.extra_cap) + 1e-4
    # Flags that a family already scores (boilerplate) add nothing on top of that family's score.
    same, _ = combine(ALL_CLEAN, [flag("boilerplate")] * 10)
    assert same == base


def test_scores_outside_range_are_rejected() -> None:
    with pytest.raises(ValueError):
        combine({"boilerplate": 1.5}, [])
    with pytest.raises(ValueError):
        combine({"boilerplate": math.nan}, [])


def test_weights_are_data(tmp_path: Path) -> None:
    path = tmp_path / "scoring.yaml"
    path.write_text(
        'version: "t1"\nfamilies: {boilerplate: 1.0, coverage: 0.0}\nblend: {mean: 1.0, max: 0.0}\n',
        encoding="utf-8",
    )
    rules = load_scoring(path)
    score, details = combine({"boilerplate": 0.4, "coverage": 1.0}, [], rules=rules)
    assert score == pytest.approx(0.4)
    assert details["rules"] == "scoring@t1"
    bad = tmp_path / "bad.yaml"
    bad.write_text('version: "t2"\nfamilies: {boilerplate: 1.0}\nblend: {mean: 0.5, max: 0.2}\n', "utf-8")
    with pytest.raises(ScoringError):
        load_scoring(bad)
