from __future__ import annotations

from typing import Annotated

import typer

from digest.backends.resolve import local_status, resolve_model
from digest.cli.common import ModelsOpt, handle_errors
from digest.config import load_config
from digest.options import RuntimeOptions

models_app = typer.Typer(
    help="List the models of models.yaml and download them.", no_args_is_help=True
)


@models_app.command("list")
@handle_errors
def list_models(models: ModelsOpt = None) -> None:
    """Show every models.yaml entry and whether it is available locally.

    Example: digest models list
    """
    config = load_config(models)
    typer.echo(f"models file: {config.path}")
    rows = [("name", "role", "source", "revision", "status")]
    for name, spec in config.models.items():
        default = ""
        if name == config.default_summarizer or name in config.default_translators.values():
            default = " (default)"
        rev = spec.revision[:12] if spec.needs_weights else "-"
        source = spec.source or "built in"
        rows.append((name + default, spec.role, source, rev, local_status(spec)))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        typer.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@models_app.command("pull")
@handle_errors
def pull_models(
    names: Annotated[
        list[str] | None, typer.Argument(help="Entries to download (default: all neural models).")
    ] = None,
    models: ModelsOpt = None,
) -> None:
    """Download models into the Hugging Face cache (HF_HOME) for later offline runs.

    Example: digest models pull opus-mt-de-en
    """
    config = load_config(models)
    specs = [config.get(n) for n in names] if names else list(config.models.values())
    for spec in specs:
        if not spec.needs_weights:
            typer.echo(f"{spec.name}: built in, nothing to download")
            continue
        resolved = resolve_model(spec, offline=RuntimeOptions().offline, progress=True)
        typer.echo(f"{spec.name}: {resolved.origin} {resolved.path} (commit {resolved.commit})")
