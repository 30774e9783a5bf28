"""Line-by-line text building with offsets: what the writer uses to know where everything lands."""

from __future__ import annotations

from service.corpusgen.model import Span


class Builder:
    """Appends text line by line and returns the offsets of what it appends (no blank lines ever)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.line_open = False

    def add(self, s: str) -> Span:
        if not s:
            return self.length, self.length
        if not self.line_open:
            if self.length:
                self.parts.append("\n")
                self.length += 1
            self.line_open = True
        start = self.length
        self.parts.append(s)
        self.length += len(s)
        return start, self.length

    def end_line(self) -> None:
        self.line_open = False

    def text(self) -> str:
        return "".join(self.parts)
