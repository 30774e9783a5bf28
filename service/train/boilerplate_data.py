"""The project's own labelled training sentences for the boilerplate model, composed from written pools.

`compose(seed, n)` fills the templates of corpus/labelled/boilerplate-pools.yaml; `write_training_set`
saves them as corpus/labelled/boilerplate-train.jsonl. A sentence is labelled boilerplate when its
template gives no checkable instance (product, number, date, document or name). The hand-labelled test
split (corpus/labelled/hand/) is never read here.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from service.paths import CORPUS_DIR

POOLS_PATH = CORPUS_DIR / "labelled" / "boilerplate-pools.yaml"
TRAIN_PATH = CORPUS_DIR / "labelled" / "boilerplate-train.jsonl"
_SLOT = re.compile(r"\{([^{}]*)\}")
_PLACES = (
    "xã Tân Phú",
    "phường Hòa Bình",
    "thôn Đông",
    "thôn Trung Hậu",
    "tổ dân phố số 5",
    "khu phố 3",
    "trường THCS Lê Lợi",
    "trường Tiểu học Kim Đồng",
    "Đảng ủy xã Nghĩa Hưng",
    "Ủy ban nhân dân huyện Yên Lập",
    "bản Nà Hẩu",
    "ấp Bình Thạnh",
    "Trạm Y tế xã Đại Đồng",
    "Phòng Tài nguyên và Môi trường huyện",
)
_NUMBER_WORDS = ("hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_QUARTERS = ("I", "II", "III", "IV")
_KEEP_CASE = frozenset({"doc_type", "unit_code"})
_NAMES = ("Lan", "Hùng", "Minh", "Thảo", "Quang", "Hạnh", "Tuấn", "Phượng")


def load_pools(path: Path = POOLS_PATH) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class _Sentence:
    """Slot values for one sentence: numbers and dates stay the same within it, phrases do not repeat."""

    def __init__(self, rng: random.Random, slots: dict[str, list[str]]) -> None:
        self.rng = rng
        self.slots = slots
        self.year = rng.randint(2019, 2025)
        self.sticky: dict[str, str] = {}
        self.used: set[str] = set()

    def value(self, name: str) -> str:
        if name in self.slots:
            return self._draw(name)
        if name in self.sticky:
            return self.sticky[name]
        v = self._generated(name)
        if name in ("n", "total", "m", "year", "next_year"):
            self.sticky[name] = v
        return v

    def _draw(self, name: str) -> str:
        options = [o for o in self.slots[name] if o not in self.used] or self.slots[name]
        choice = self.rng.choice(options)
        self.used.add(choice)
        return self.fill(choice)

    def _date(self, year: int) -> str:
        d, m = self.rng.randint(1, 28), self.rng.randint(1, 12)
        return f"{d:02d}/{m:02d}/{year}" if self.rng.random() < 0.5 else f"{d}/{m}/{year}"

    def _generated(self, name: str) -> str:
        r, y = self.rng, self.year
        small = r.randint(2, 9)
        generated = {
            "n": lambda: str(r.randint(12, 260)),
            "total": lambda: str(int(self.value("n")) + r.choice((0, 0, 2, 5, 11))),
            "m": lambda: "12",
            "small": lambda: r.choice((str(small), f"{small:02d}", _NUMBER_WORDS[small - 2])),
            "pct": lambda: r.choice((f"{r.randint(5, 98)}%", f"{r.randint(50, 99)},{r.randint(1, 9)}%")),
            "year": lambda: str(y),
            "next_year": lambda: str(y + 1),
            "prev_year": lambda: str(y - r.randint(1, 3)),
            "school_year": lambda: f"{y - 1}-{y}",
            "date": lambda: self._date(y),
            "month": lambda: r.choice((f"tháng {r.randint(1, 12)}/{y}", f"tháng {r.randint(1, 12)} năm {y}")),
            "month_next": lambda: f"tháng {r.randint(1, 12)}/{y + 1}",
            "quarter": lambda: r.choice(
                (f"Quý {r.choice(_QUARTERS)}/{y}", f"quý {r.choice(_QUARTERS)} năm {y}")
            ),
            "deadline": lambda: r.choice(
                (
                    f"trước {self._date(y + 1)}",
                    f"trong quý {r.choice(_QUARTERS)}/{y + 1}",
                    f"chậm nhất ngày {self._date(y + 1)}",
                    f"đến hết tháng {r.randint(1, 12)}/{y + 1}",
                )
            ),
            "deadline_past": lambda: r.choice(
                (f"ban hành ngày {self._date(y)}", f"hoàn thành trước {self._date(y)}")
            ),
            "doc": lambda: self._doc(),
            "place": lambda: r.choice(_PLACES),
            "person": lambda: f"đồng chí {r.choice(_NAMES)}",
            "money": lambda: r.choice(
                (f"{r.randint(5, 900)} triệu đồng", f"{r.randint(1, 9)},{r.randint(1, 9)} tỷ đồng")
            ),
            "praise_cap": lambda: _cap(self._draw("praise")),
            "concrete_remedy_lower": lambda: _lower_first(self._draw("concrete_remedy")),
        }
        if name not in generated:
            raise KeyError(f"unknown slot {{{name}}}")
        return generated[name]()

    def _doc(self) -> str:
        r = self.rng
        kind = self._draw("doc_type")
        abbrev = {"Kế hoạch": "KH", "Quyết định": "QĐ", "Công văn": "CV", "Báo cáo": "BC", "Tờ trình": "TTr"}
        code = abbrev.get(kind, "TB")
        unit = self._draw("unit_code")
        number = r.randint(3, 450)
        form = r.choice((f"{number}-{code}/{unit}", f"{number}/{code}-{unit}"))
        return f"{kind} {'số ' if r.random() < 0.6 else ''}{form}"

    def fill(self, template: str) -> str:
        def sub(m: re.Match[str]) -> str:
            body = m.group(1)
            if "|" in body:
                return self.fill(self.rng.choice(body.split("|")))
            value = self.value(body)
            # A phrase placed inside a sentence starts in lower case ("…; tăng cường…").
            if m.start() > 0 and body in self.slots and body not in _KEEP_CASE:
                value = _lower_first(value)
            return value

        # Innermost groups first, so that an alternative may itself hold a slot: "{| trong {month}}".
        while True:
            filled = _SLOT.sub(sub, template)
            if filled == template:
                return filled
            template = filled


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s and not s[1:2].isupper() else s


def _tidy(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s+([,.;:])", r"\1", s)
    s = re.sub(r"^[,;:]\s*", "", s)
    return _cap(s)


def compose(seed: int = 2025, n: int = 2400, pools: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """`n` distinct labelled sentences: about half boilerplate, the rest concrete (some mixing a stock
    phrase with a concrete instance, which makes them not boilerplate)."""
    pools = pools or load_pools()
    rng = random.Random(seed)
    slots: dict[str, list[str]] = pools["slots"]
    groups = [("boilerplate", True, 0.5), ("concrete", False, 0.35), ("hard_concrete", False, 0.15)]
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for group, label, share in groups:
        templates = pools["templates"][group]
        target = round(n * share)
        made = 0
        for attempt in _attempts(target):
            i = rng.randrange(len(templates))
            text = _tidy(_Sentence(rng, slots).fill(templates[i]))
            if text in seen:
                if attempt > 20 * target:
                    break
                continue
            seen.add(text)
            out.append({"text": text, "boilerplate": label, "template": f"{group}/{i}", "seed": seed})
            made += 1
            if made >= target:
                break
    rng.shuffle(out)
    return out


def _attempts(target: int) -> Iterator[int]:
    yield from range(40 * target + 1)


def write_training_set(path: Path = TRAIN_PATH, seed: int = 2025, n: int = 2400) -> int:
    rows = compose(seed, n)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


def read_labelled(path: Path = TRAIN_PATH) -> list[tuple[str, bool]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["text"], bool(r["boilerplate"])) for r in rows]
