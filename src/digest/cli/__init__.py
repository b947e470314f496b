"""`digest` command line: parses options, calls the library, hands results to writers."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from digest.cli.common import report_stopped_run
from digest.cli.inspect_cmd import inspect_command
from digest.cli.models_cmd import models_app
from digest.cli.output import protect_std_streams, quiet_third_parties
from digest.cli.summarize_cmd import summarize_command
from digest.cli.translate_cmd import translate_command


class OneLineErrors(TyperGroup):
    """Every usage error (bad option value, unknown option) is one line on stderr, exit 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone_mode = kwargs.pop("standalone_mode", True)
        argv = list(kwargs.get("args") or (args[0] if args else None) or sys.argv[1:])
        started = time.time()
        try:
            code = super().main(*args, **{**kwargs, "standalone_mode": False})
        except typer.Abort:
            typer.echo("interrupted", err=True)
            code = 130
        except TyperException as exc:  # Typer's usage errors
            ctx = getattr(exc, "ctx", None)
            if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
                typer.echo(ctx.get_help(), err=True)
            else:
                hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
                message = exc.format_message().replace("Value error, ", "")  # pydantic
                typer.echo(f"error: {message}{hint}", err=True)
                # Options are not parsed: find --report by hand, so CI still gets a report.
                report = _report_arg(argv)
                if report is not None and argv:
                    params = {"report": Path(report)}
                    report_stopped_run(params, argv[0], message, 2, started)
            code = getattr(exc, "exit_code", 2)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def _report_arg(argv: list[str]) -> str | None:
    """The value of --report in raw arguments (``--report X`` or ``--report=X``)."""
    for i, arg in enumerate(argv):
        if arg == "--report" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--report="):
            return arg.split("=", 1)[1]
    return None


app = typer.Typer(
    cls=OneLineErrors,
    name="digest",
    help="Bilingual (German/English) digests and translations of German news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from digest.results import DISTRIBUTION, digest_version

        typer.echo(f"digest {digest_version()} ({DISTRIBUTION})")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Bilingual (German/English) digests and translations of German news articles."""


app.command("summarize", no_args_is_help=True)(summarize_command)
app.command("translate", no_args_is_help=True)(translate_command)
app.command("inspect", no_args_is_help=True)(inspect_command)
app.add_typer(models_app, name="models")


@app.command("schema")
def schema_command(
    path: Annotated[
        bool, typer.Option("--path", help="Print where the schema file lies instead of it.")
    ] = False,
) -> None:
    """Print the JSON Schema of digest's JSON output (digests and translations).

    Example: digest schema > digest.schema.json
    """
    from digest.schemas import SCHEMA_FILE, schema_path

    if path:
        typer.echo(str(schema_path()))
        return
    from importlib import resources

    typer.echo(resources.files("digest.schemas").joinpath(SCHEMA_FILE).read_text("utf-8"), nl=False)


def main() -> None:
    protect_std_streams()
    quiet_third_parties(quiet=False)  # commands add --quiet's part (runtime_options)
    app()
