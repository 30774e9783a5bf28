"""The `kiemdiem` command line. Bad input: exit 2 with one line on stderr, never a traceback."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import click
import typer

from service.text.readers import ReadError

app = typer.Typer(
    name="kiemdiem",
    help=(
        "Rà soát bản kiểm điểm đảng viên và báo cáo kiểm điểm tập thể: "
        "sao chép, sáo rỗng, thiếu biện pháp và thời hạn."
    ),
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    no_args_is_help=True,
)


class InputError(Exception):
    """A problem with what the user gave us; printed as one line, exit code 2."""


class Format(StrEnum):
    json = "json"
    text = "text"
    html = "html"


class KindOption(StrEnum):
    individual = "individual"
    collective = "collective"


@app.command()
def screen(
    submission: Annotated[
        str, typer.Argument(help="Tệp cần rà soát (.txt/.md/.docx/.pdf), có thể kèm @NĂM.")
    ],
    history: Annotated[
        list[str] | None, typer.Option("--history", help="Bản kiểm điểm các năm trước.")
    ] = None,
    peer: Annotated[
        list[str] | None, typer.Option("--peer", help="Bản của đảng viên khác cùng chi bộ, cùng năm.")
    ] = None,
    template: Annotated[
        list[str] | None, typer.Option("--template", help="Mẫu viết sẵn đang lưu hành.")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Năm kiểm điểm (nếu không đọc được từ văn bản).")
    ] = None,
    kind: Annotated[
        KindOption | None, typer.Option("--kind", help="individual (cá nhân) hoặc collective (tập thể).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="json, text hoặc html.")] = Format.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Ghi kết quả ra tệp thay vì stdout.")
    ] = None,
) -> None:
    """Rà soát một bản kiểm điểm và in kết quả (JSON theo hợp đồng kiemdiem.screen/1, văn bản hoặc HTML)."""
    from service.context import context_from_files
    from service.render import render
    from service.screening import screen as run_screening
    from service.text.pipeline import load_review

    if year is not None and not 1990 <= year <= 2100:
        raise InputError(f"--year {year}: năm không hợp lệ")
    review = load_review(submission, year=year, kind=kind.value if kind else None)
    context = context_from_files(history or [], peer or [], template or [])
    result = run_screening(review, context)
    rendered = render(result, fmt.value)
    if output:
        output.write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")


def main(argv: list[str] | None = None) -> int:
    """Entry point: turns every input problem into one line on stderr and exit code 2."""
    try:
        app(args=argv, standalone_mode=False)
    except (ReadError, InputError) as exc:
        print(f"kiemdiem: {exc}", file=sys.stderr)
        return 2
    except click.exceptions.NoArgsIsHelpError:
        return 0
    except click.UsageError as exc:
        print(f"kiemdiem: {exc.format_message()}".replace("\n", " "), file=sys.stderr)
        return 2
    except click.exceptions.Abort:
        print("kiemdiem: đã dừng", file=sys.stderr)
        return 1
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except BrokenPipeError:
        return 0
    return 0


def run() -> None:
    sys.exit(main())
