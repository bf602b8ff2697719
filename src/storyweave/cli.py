"""The command line: ``storyweave analyze PATH... --out DIR``.

Heavy libraries are imported inside the commands, so ``storyweave --help`` answers at once and a
run pays only for what it uses. Errors reach the user as one line each, never as a traceback.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from storyweave import __version__
from storyweave.defaults import QUIET_DAYS, SUMMARY_SENTENCES

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from rich.console import Console

    from storyweave.model import Skipped
    from storyweave.pipeline import IngestResult

T = TypeVar("T")

app = typer.Typer(
    help="storyweave: many news reports in, one cited account per story out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_NOTHING_ANALYSED = 2

DbOption = Annotated[
    str | None,
    typer.Option(
        help="SQLAlchemy database URL. Default: sqlite:///storyweave.db (env STORYWEAVE_DB).",
        envvar="STORYWEAVE_DB",
    ),
]
FormatsOption = Annotated[str, typer.Option("--format", "-f", help="Comma-separated: json,md,html.")]
PathsArgument = Annotated[
    list[str],
    typer.Argument(help="Files, folders (read recursively), WARC files and http(s) URLs of pages or feeds."),
]
PublishedOption = Annotated[
    str | None, typer.Option(help="Publication date (YYYY-MM-DD) for inputs that carry none.")
]
SummarySentencesOption = Annotated[int, typer.Option(help="Sentences in each story's summary.", min=1)]
QuietDaysOption = Annotated[
    int,
    typer.Option(
        help="A story closes after this many days with no new report; later reports start a new one.", min=0
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
AllowPrivateOption = Annotated[
    bool,
    typer.Option(
        "--allow-private-urls",
        help="Let URLs, their redirects and feed links reach loopback, private and link-local addresses.",
    ),
]


# C0 and C1 control characters (ESC starts terminal escape sequences; CR, BS rewrite what is shown),
# DEL, and the bidirectional overrides and isolates that reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What is left of an escape sequence once its ESC is gone: "[31m", "]8;;http://…" (OSC hyperlinks).
_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def _plain(text: object) -> str:
    """Stored or user-given text made safe to print on a terminal as one line of plain text.

    Titles, outlets, paths and reasons come from the inputs: whole escape sequences are removed, then
    any control character left becomes a space. Rich markup ("[/]", "[link=...]") is not escaped here:
    every print of such text goes through markup=False or a rich Text, which never parses it."""
    cleaned = _ESCAPE_SEQUENCE.sub("", str(text))
    return _CONTROL.sub(" ", cleaned)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"storyweave {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """storyweave groups news reports into stories and writes one cited report per story."""


@app.command()
def analyze(
    paths: PathsArgument,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for report.json, report.md, report.html.")
    ] = Path("out"),
    published: PublishedOption = None,
    db: DbOption = None,
    formats: FormatsOption = "json,md",
    summary_sentences: SummarySentencesOption = SUMMARY_SENTENCES,
    quiet_days: QuietDaysOption = QUIET_DAYS,
    quiet: QuietOption = False,
    allow_private_urls: AllowPrivateOption = False,
) -> None:
    """Analyse news reports and write the report of their stories (one shot: ingest, then report)."""
    from rich.console import Console

    err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in ("json", "md", "html")]
    if unknown:
        err.print(f"error: unknown format {', '.join(unknown)} (choose from json, md, html)", markup=False)
        raise typer.Exit(EXIT_NOTHING_ANALYSED)
    _check_published(published, err)
    from storyweave.pipeline import analyze as run

    report = _run_pipeline(
        err,
        quiet,
        allow_private_urls,
        run,
        paths,
        published,
        db,
        quiet_days,
        summary_sentences,
        out=out,
        formats=wanted,
    )
    if report.skipped:  # each was named with its reason as it was skipped
        err.print(f"{len(report.skipped)} input(s) skipped", markup=False)
    if report.articles == 0:
        err.print("error: nothing could be analysed", markup=False)
        raise typer.Exit(EXIT_NOTHING_ANALYSED)
    if not quiet:
        facts = sum(len(s.facts) for s in report.stories)
        typer.echo(
            f"{report.articles} article(s), {len(report.stories)} story(ies), {facts} fact(s) -> "
            f"{', '.join(str(out / name) for name in _file_names(wanted))}"
        )


@app.command()
def ingest(
    paths: PathsArgument,
    published: PublishedOption = None,
    db: DbOption = None,
    summary_sentences: SummarySentencesOption = SUMMARY_SENTENCES,
    quiet_days: QuietDaysOption = QUIET_DAYS,
    quiet: QuietOption = False,
    allow_private_urls: AllowPrivateOption = False,
    engine: Annotated[
        str, typer.Option(help="local (this process) or ray (Ray Data; pip install 'storyweave[ray]').")
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(help="Ray cluster to join: auto or HOST:PORT. Default: a local Ray for this run."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Ray workers (actors). Default: the CPUs of the cluster.", min=1)
    ] = None,
    parquet: Annotated[
        Path | None, typer.Option(help="Also write the store's tables as Parquet into this folder.")
    ] = None,
) -> None:
    """Add news reports to the database, group them into its stories and re-analyse the stories that grew."""
    from rich.console import Console

    err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    _check_published(published, err)
    if engine not in ("local", "ray"):
        err.print(f"error: unknown engine {engine!r} (choose local or ray)", markup=False)
        raise typer.Exit(EXIT_NOTHING_ANALYSED)
    if engine == "local" and (address or workers):
        err.print("error: --address and --workers need --engine ray", markup=False)
        raise typer.Exit(EXIT_NOTHING_ANALYSED)
    run: Callable[..., IngestResult]
    if engine == "ray":  # Ray is imported by the Ray engine only, never by a local run
        import functools

        from storyweave.scale.ray_engine import ingest as ray_ingest

        run = functools.partial(ray_ingest, address=address, workers=workers)
    else:
        from storyweave.pipeline import ingest as run

    result = _run_pipeline(
        err, quiet, allow_private_urls, run, paths, published, db, quiet_days, summary_sentences
    )
    for item in result.failed:
        err.print(f"story {_plain(item.path)}: {_plain(item.reason)}", markup=False)
    if not quiet:
        typer.echo(
            f"{result.read} article(s) read: {len(result.added)} new, "
            f"{result.already_stored} already stored, {len(result.skipped)} skipped; "
            f"{len(result.stories)} story(ies) opened or grown"
        )
    if result.read == 0:
        err.print("error: nothing could be read", markup=False)
        raise typer.Exit(EXIT_NOTHING_ANALYSED)
    if parquet is not None:
        _export(db, parquet, err, quiet)


@app.command()
def export(
    parquet: Annotated[Path, typer.Option(help="Folder for the Parquet tables (created if missing).")],
    db: DbOption = None,
    quiet: QuietOption = False,
) -> None:
    """Write the store as Parquet tables: articles, stories, claims, quotes, timeline, events."""
    from rich.console import Console

    _export(db, parquet, Console(stderr=True, highlight=False, soft_wrap=True), quiet)


def _export(db: str | None, folder: Path, err: Console, quiet: bool) -> None:
    """The store's tables into ``folder``; one line per failure, never a traceback."""
    try:
        from storyweave.export.parquet import export_parquet
        from storyweave.store import open_store

        store = open_store(db)
        try:
            counts = export_parquet(store, folder)
        finally:
            store.close()
    except ImportError:
        err.print("error: Parquet export needs pyarrow: pip install 'storyweave[ray]'", markup=False)
        raise typer.Exit(1) from None
    except Exception as error:  # noqa: BLE001 - one line, never a traceback
        err.print(f"error: {_one_line(error)}", markup=False)
        raise typer.Exit(1) from None
    if not quiet:
        typer.echo(f"{folder}: " + ", ".join(f"{name} {rows}" for name, rows in counts.items()))


def _run_pipeline(
    err: Console,
    quiet: bool,
    allow_private_urls: bool,
    run: Callable[..., T],
    paths: Sequence[str],
    published: str | None,
    db: str | None,
    quiet_days: int,
    summary_sentences: int,
    **more: Any,
) -> T:
    """Run a pipeline entry point (``analyze`` or an engine's ``ingest``) on the options every command
    shares, with skips printed as they happen and a bar on a terminal; ``more`` is the command's own.

    Any failure ends the command with one line, never a traceback.
    """
    from storyweave.cli_progress import progress_hook
    from storyweave.ingest.url import fetch_settings

    def on_skip(item: Skipped) -> None:
        err.print(f"skipped {_plain(item.path)}: {_plain(item.reason)}", markup=False)

    with (
        fetch_settings(allow_private=allow_private_urls),
        progress_hook(enabled=not quiet and err.is_terminal, console=err) as hook,
    ):
        try:
            return run(
                list(paths),
                published=published,
                db=db,
                quiet_days=quiet_days,
                summary_sentences=summary_sentences,
                on_skip=on_skip,
                progress=hook,
                **more,
            )
        except Exception as error:  # noqa: BLE001 - the one place that turns any failure into one line
            err.print(f"error: {_plain(_one_line(error))}", markup=False)
            raise typer.Exit(1) from None


def _check_published(published: str | None, err: Console) -> None:
    """A bad --published stops the run before anything is read."""
    if published is None:
        return
    import datetime as dt

    try:
        dt.date.fromisoformat(published)
    except ValueError:
        err.print(f"error: --published {published!r} is not a date (YYYY-MM-DD)", markup=False)
        raise typer.Exit(EXIT_NOTHING_ANALYSED) from None


@app.command()
def stories(
    db: DbOption = None,
) -> None:
    """List the stored stories: id, reports, outlets, dates and title."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from storyweave.store import StoreError, open_store

    err = Console(stderr=True, highlight=False, emoji=False)
    try:
        store = open_store(db)
    except StoreError as error:
        err.print(f"error: {_plain(error)}", markup=False)
        raise typer.Exit(1) from None
    table = Table("story", "reports", "outlets", "dates", "title", box=None, header_style="bold")
    for row in store.listing():
        first, last = row["first"], row["last"]
        span = f"{first} – {last}" if first and last and first != last else (first or "–")
        cells = [row["id"], str(row["reports"]), ", ".join(row["outlets"]), span, row["title"] or ""]
        table.add_row(*(Text(_plain(cell)) for cell in cells))  # Text: never read as markup or :emoji:
    store.close()
    piped = not sys.stdout.isatty()
    out = Console(soft_wrap=piped, width=100_000 if piped else None, emoji=False, highlight=False)
    out.print(table)  # piped: one line per story


@app.command()
def report(
    story: Annotated[str, typer.Argument(help="A story id, or the start of one.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the report files.")] = Path("out"),
    db: DbOption = None,
    formats: FormatsOption = "json,md",
) -> None:
    """Render one stored story's report again, without analysing anything."""
    from storyweave.model import SCHEMA_ID
    from storyweave.render import write_report
    from storyweave.store import StoreError, open_store

    try:
        store = open_store(db)
    except StoreError as error:
        typer.echo(f"error: {_plain(error)}", err=True)
        raise typer.Exit(1) from None
    matches = [row["id"] for row in store.stories() if row["id"].startswith(story)]
    if len(matches) != 1:
        store.close()
        problem = "no stored story" if not matches else f"{len(matches)} stories"
        typer.echo(f"error: {problem} matches {story!r} (storyweave stories lists them)", err=True)
        raise typer.Exit(EXIT_NOTHING_ANALYSED)
    data = store.story_report(matches[0])
    store.close()
    if data is None:
        typer.echo(f"error: story {matches[0]} is not analysed yet (storyweave ingest analyses it)", err=True)
        raise typer.Exit(EXIT_NOTHING_ANALYSED)
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    corpus = {"articles": len(data.get("articles", [])), "stories": 1, "skipped": []}
    try:
        written = write_report({"schema": SCHEMA_ID, "corpus": corpus, "stories": [data]}, out, wanted)
    except (ValueError, OSError) as error:
        typer.echo(f"error: {_plain(_one_line(error))}", err=True)
        raise typer.Exit(1) from None
    typer.echo(" ".join(str(p) for p in written))


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=0, max=65535)] = 8000,
    token_file: Annotated[
        Path | None,
        typer.Option(help="File holding the write token (else env STORYWEAVE_TOKEN; none: writes are off)."),
    ] = None,
    allow_private_urls: Annotated[
        bool, typer.Option(help="Let POST /ingest fetch loopback, private and link-local addresses.")
    ] = False,
) -> None:
    """Serve the store over HTTP: the web UI at /, the JSON API at /api/v1 (reference at /docs)."""
    from storyweave.web.auth import load_token

    try:
        token = load_token(token_file)
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_NOTHING_ANALYSED) from None
    from storyweave.store import StoreError

    try:
        from storyweave.web.app import Settings
        from storyweave.web.server import serve as run
    except ImportError as error:
        typer.echo(f"error: the web server needs FastAPI and uvicorn ({error.name} missing)", err=True)
        raise typer.Exit(1) from None
    settings = Settings(
        db=db or "sqlite:///storyweave.db", token=token, allow_private_urls=allow_private_urls
    )
    writes = "writes need the token" if token else "read-only (no --token-file or STORYWEAVE_TOKEN)"
    typer.echo(f"storyweave serving {settings.db} at http://{host}:{port}/ ({writes}); Ctrl-C stops it")
    try:
        run(settings, host=host, port=port)
    except KeyboardInterrupt:  # uvicorn has finished the open requests: Ctrl-C is the normal way out
        typer.echo("storyweave serve stopped")
    except StoreError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


def _one_line(error: BaseException) -> str:
    """A failure as one line: the library's own words, without its follow-up lines."""
    from storyweave.store import StoreError

    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if isinstance(error, StoreError):
        return text
    if isinstance(error, OSError) and error.filename:
        return f"cannot write {error.filename}: {error.strerror}"
    return f"{type(error).__name__}: {text}"


def _file_names(formats: list[str]) -> list[str]:
    from storyweave.render import FORMATS

    return [FORMATS[f] for f in dict.fromkeys(formats)]


def main() -> None:
    """Entry point of the ``storyweave`` script."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
