from __future__ import annotations

import typer

from digest.runner import FileOutcome


def finish_run(outcomes: list[FileOutcome], quiet: bool) -> None:
    """Report per-file results on stderr; exit 1 when any file failed."""
    failed = [o for o in outcomes if o.status == "failed"]
    if not quiet:
        for o in outcomes:
            if o.status == "ok" and o.outputs != ["-"]:
                typer.echo(f"wrote {', '.join(o.outputs)}", err=True)
            for w in o.warnings:
                typer.echo(f"warning: {o.source}: {w}", err=True)
            if o.flags:
                typer.echo(
                    f"note: {o.source}: {o.flags} faithfulness flag(s), see output", err=True
                )
    for o in failed:
        # Loader messages usually name the file already; don't say it twice.
        where = "" if o.source in (o.error or "") else f"{o.source}: "
        typer.echo(f"error: {where}{o.error}", err=True)
    if len(outcomes) > 1:
        ok = sum(o.status == "ok" for o in outcomes)
        typer.echo(f"{ok} ok, {len(failed)} failed", err=True)
    if failed:
        raise typer.Exit(1 if len(outcomes) > 1 else 2)
