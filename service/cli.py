"""The `kiemdiem` command line. Bad input: exit 2 with one line on stderr, never a traceback."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

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


# typer ≥ 0.29 vendors its own click; its UsageError is BadParameter's parent either way.
UsageError: type[Exception] = typer.BadParameter.__mro__[1]


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
    use_library: Annotated[
        bool,
        typer.Option("--library/--no-library", help="So sánh cả với thư viện mẫu (kiemdiem templates add)."),
    ] = True,
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
    if use_library:
        from service.library import TemplateLibrary

        context.templates.extend(TemplateLibrary().references())
    result = run_screening(review, context)
    rendered = render(result, fmt.value)
    if output:
        output.write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")


corpus_app = typer.Typer(help="Dữ liệu mẫu: sinh một tỉnh giả lập có gán nhãn.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")


class Size(StrEnum):
    small = "small"
    medium = "medium"


class Split(StrEnum):
    train = "train"
    heldout = "heldout"


@corpus_app.command("generate")
def corpus_generate(
    out: Annotated[Path, typer.Option("--out", help="Thư mục ghi dữ liệu (phải trống).")],
    seed: Annotated[
        int, typer.Option("--seed", help="Hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu.")
    ] = 1,
    split: Annotated[
        Split, typer.Option("--split", help="train hoặc heldout (dùng kho câu riêng).")
    ] = Split.train,
    size: Annotated[
        Size, typer.Option("--size", help="small (~140 bản) hoặc medium (~1.000 bản).")
    ] = Size.small,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Ghi đè dữ liệu sinh trước đó.")] = False,
) -> None:
    """Sinh một tỉnh giả lập: bản kiểm điểm các năm, báo cáo tập thể, mẫu viết sẵn và nhãn."""
    from service.corpusgen import SIZES, generate

    try:
        corpus = generate(seed, out, split=split.value, overwrite=overwrite, **SIZES[size.value])
    except FileExistsError as exc:
        raise InputError(str(exc)) from exc
    print(f"Đã sinh {len(corpus.files)} tệp ({split.value}, hạt giống {seed}) vào {out}")


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Thư mục ghi dữ liệu mẫu và báo cáo.")] = Path(
        "var/demo"
    ),
) -> None:
    """Sinh một tỉnh nhỏ, rà soát các bản kiểm điểm năm 2025, lưu vào cơ sở dữ liệu (mặc định OUT/kiemdiem.db)
    và in tóm tắt kèm đường dẫn báo cáo HTML."""
    from service.demo import format_summary, run_demo

    if out.exists() and not out.is_dir():
        raise InputError(f"'{out}': không phải thư mục")
    sys.stdout.write(format_summary(run_demo(out)))


db_app = typer.Typer(help="Cơ sở dữ liệu lưu bản kiểm điểm và kết quả rà soát.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            help="Địa chỉ cơ sở dữ liệu (mặc định: KIEMDIEM_DATABASE_URL, "
            "hoặc tệp kiemdiem.db trong KIEMDIEM_HOME).",
        ),
    ] = None,
) -> None:
    """Tạo hoặc nâng cấp lược đồ cơ sở dữ liệu lên phiên bản mới nhất."""
    from service.store.db import (
        current_revision,
        database_url,
        display_url,
        make_engine,
        store_errors,
        upgrade,
    )

    with store_errors(url):
        target = url or database_url()
        engine = make_engine(target)
        try:
            before = current_revision(engine)
            reached = upgrade(engine)
        finally:
            engine.dispose()
        shown = display_url(target)
    if before == reached:
        print(f"{shown}: đã ở phiên bản lược đồ {reached} (mới nhất), không cần nâng cấp")
    else:
        print(f"{shown}: đã nâng cấp lược đồ từ {before or 'trống'} lên phiên bản {reached}")


UrlOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="Cơ sở dữ liệu (mặc định: KIEMDIEM_DATABASE_URL, hoặc tệp kiemdiem.db trong KIEMDIEM_HOME).",
    ),
]


class RoleOption(StrEnum):
    admin = "admin"
    committee = "committee"
    secretary = "secretary"
    inspector = "inspector"


class UnitKindOption(StrEnum):
    province = "province"
    grassroots = "grassroots"
    chibo = "chibo"


units_app = typer.Typer(help="Đơn vị: tỉnh, đảng bộ cơ sở, chi bộ.", no_args_is_help=True)
app.add_typer(units_app, name="units")


@units_app.command("add")
def units_add(
    code: Annotated[str, typer.Option("--code", help="Mã đơn vị (duy nhất), ví dụ tinh/xa-a/cb1.")],
    name: Annotated[str, typer.Option("--name", help="Tên đơn vị.")],
    kind: Annotated[UnitKindOption, typer.Option("--kind", help="province, grassroots hoặc chibo.")],
    parent: Annotated[str | None, typer.Option("--parent", help="Mã đơn vị cấp trên.")] = None,
    url: UrlOption = None,
) -> None:
    """Thêm (hoặc đổi tên) một đơn vị trong cây tổ chức."""
    from service.api.admin import SetupError, add_unit

    try:
        print(add_unit(url, code=code, name=name, kind=kind.value, parent=parent))
    except SetupError as exc:
        raise InputError(str(exc)) from exc


users_app = typer.Typer(help="Người dùng API và mã truy cập.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Option("--name", help="Tên người dùng.")],
    role: Annotated[RoleOption, typer.Option("--role", help="admin, committee, secretary hoặc inspector.")],
    unit: Annotated[str, typer.Option("--unit", help="Mã đơn vị cao nhất người dùng được xem.")],
    url: UrlOption = None,
) -> None:
    """Tạo người dùng API và in mã truy cập của họ (chỉ in một lần, không lưu bản rõ)."""
    from service.api.admin import SetupError, add_user

    try:
        who, token = add_user(url, name=name, role=role.value, unit=unit)
    except SetupError as exc:
        raise InputError(str(exc)) from exc
    print(f"Đã tạo người dùng {who}; mã truy cập (chỉ hiện một lần, hãy lưu lại): {token}")


index_app = typer.Typer(help="Chỉ mục sao chép của các bản kiểm điểm đã lưu.", no_args_is_help=True)
app.add_typer(index_app, name="index")


@index_app.command("rebuild")
def index_rebuild(url: UrlOption = None) -> None:
    """Lập lại chỉ mục sao chép cho mọi bản kiểm điểm đã lưu (để mỗi bản tải lên được so với cả phạm vi)."""
    from service.api.admin import SetupError, rebuild_index

    try:
        count, shown = rebuild_index(url)
    except SetupError as exc:
        raise InputError(str(exc)) from exc
    print(f"{shown}: đã lập chỉ mục sao chép cho {count} bản kiểm điểm")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Địa chỉ lắng nghe.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Cổng.")] = 8000,
    url: UrlOption = None,
) -> None:
    """Chạy API (cần chạy kiemdiem db upgrade trước; API không tự nâng cấp lược đồ)."""
    import uvicorn

    from service.api.app import create_app
    from service.api.settings import Settings
    from service.store.db import database_url, store_errors

    with store_errors(url):
        try:
            settings = Settings(database_url=url or database_url())
        except ValueError as exc:  # e.g. KIEMDIEM_MAX_UPLOAD_BYTES is not a number
            raise InputError(str(exc)) from exc
        application = create_app(settings=settings)
    uvicorn.run(application, host=host, port=port)


templates_app = typer.Typer(help="Thư viện mẫu viết sẵn đang lưu hành.", no_args_is_help=True)
app.add_typer(templates_app, name="templates")


@templates_app.command("add")
def templates_add(
    files: Annotated[list[str], typer.Argument(help="Các tệp mẫu (.txt/.md/.docx/.pdf), có thể kèm @NĂM.")],
) -> None:
    """Thêm mẫu viết sẵn vào thư viện; mọi lần rà soát sau sẽ so sánh với chúng."""
    from service.library import TemplateLibrary

    library = TemplateLibrary()
    for argument in files:
        entry, added = library.add(argument)
        state = "đã thêm" if added else "đã có sẵn"
        print(f"{state}: {entry.name} (mã {entry.id}, năm {entry.year or 'chưa rõ'})")


@templates_app.command("list")
def templates_list() -> None:
    """Liệt kê các mẫu trong thư viện."""
    from service.library import TemplateLibrary

    entries = TemplateLibrary().entries()
    if not entries:
        print("Thư viện mẫu trống.")
    for entry in entries:
        print(f"{entry.id}  {entry.name}  năm {entry.year or 'chưa rõ'}")


train_app = typer.Typer(
    help="Huấn luyện các mô hình (lưu vào models/ cùng thẻ mô hình).", no_args_is_help=True
)
app.add_typer(train_app, name="train")


@train_app.command("boilerplate")
def train_boilerplate(
    out: Annotated[Path | None, typer.Option("--out", help="Thư mục lưu mô hình (mặc định models/).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Hạt giống ngẫu nhiên.")] = 0,
) -> None:
    """Huấn luyện mô hình nhận diện câu sáo rỗng trên dữ liệu do dự án viết (không dùng tập kiểm tra)."""
    from service.paths import MODELS_DIR
    from service.train.boilerplate import run as run_training

    card = run_training(out_dir=out or MODELS_DIR, seed=seed)
    print(
        json.dumps(
            card.to_dict() if hasattr(card, "to_dict") else card, ensure_ascii=False, indent=2, default=str
        )
    )


@app.command()
def evaluate(
    labels_dir: Annotated[Path, typer.Argument(help="Thư mục dữ liệu đã gán nhãn (*.labels.json, *.jsonl).")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Ghi báo cáo JSON ra tệp này.")] = None,
) -> None:
    """Đo từng nhóm phát hiện trên dữ liệu đã gán nhãn: precision, recall, F1, plagdet, AUC."""
    from service.evaluation.run import evaluate as run_evaluation
    from service.evaluation.run import format_table

    if not labels_dir.is_dir():
        raise InputError(f"'{labels_dir}': không phải thư mục dữ liệu đã gán nhãn")
    report = run_evaluation(labels_dir)
    sys.stdout.write(format_table(report))
    if json_out:
        json_out.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Entry point: turns every input problem into one line on stderr and exit code 2."""
    import logging

    # pypdf reports repairs of damaged files on stderr; the reader already turns real failures into errors.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    from service.store.errors import StoreError

    try:
        app(args=argv, standalone_mode=False)
    except (ReadError, InputError, StoreError) as exc:
        print(f"kiemdiem: {exc}", file=sys.stderr)
        return 2
    except UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            print(exc.ctx.get_help() if getattr(exc, "ctx", None) else "kiemdiem --help")  # type: ignore[attr-defined]
            return 0
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        print(f"kiemdiem: {' '.join(message.split())}", file=sys.stderr)
        return 2
    except typer.Abort:
        print("kiemdiem: đã dừng", file=sys.stderr)
        return 1
    except typer.Exit as exc:
        return exc.exit_code
    return 0


def run() -> None:
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader closed the pipe (`kiemdiem … | head`): not an error of ours.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
