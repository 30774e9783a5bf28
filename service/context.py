"""Building a detector Context from files given on the command line (the service builds it from the store)."""

from __future__ import annotations

from service.detect.base import Context, Reference, SourceRole
from service.text.pipeline import load_review, split_year_suffix


def references_from_files(arguments: list[str], role: SourceRole) -> list[Reference]:
    refs = []
    for argument in arguments:
        path, _ = split_year_suffix(argument)
        review = load_review(argument)
        refs.append(Reference(review=review, role=role, source=path, year=review.year))
    return refs


def context_from_files(history: list[str], peers: list[str], templates: list[str]) -> Context:
    return Context(
        history=references_from_files(history, "history"),
        peers=references_from_files(peers, "peer"),
        templates=references_from_files(templates, "template"),
    )
