from __future__ import annotations

import re
from typing import Annotated

import typer

from digest.cli.common import (
    DeviceOpt,
    DTypeOpt,
    ModelsOpt,
    OfflineOpt,
    OutOpt,
    QuantizeOpt,
    QuietOpt,
    ThreadsOpt,
    config_from,
    handle_errors,
    runtime_options,
)
from digest.cli.run import finish_run
from digest.pipeline import load_models
from digest.results import DigestOptions
from digest.runner import run_job


@handle_errors
def summarize_command(
    inputs: Annotated[
        list[str], typer.Argument(help="Article files (.txt .md .html), folders, or - for stdin.")
    ],
    out: OutOpt = None,
    fmt: Annotated[
        list[str], typer.Option("--format", "-f", help="md | json (repeat for several).")
    ] = ["md"],  # noqa: B006 - typer needs a literal default
    summarizer: Annotated[
        str,
        typer.Option(
            help="models.yaml summarizer entry or model directory; 'extractive' needs no download."
        ),
    ] = "default",
    translator: Annotated[
        str, typer.Option(help="models.yaml translator entry or model directory.")
    ] = "default",
    to: Annotated[
        str,
        typer.Option("--to", help="en: German + English digest; de: German only (no translator)."),
    ] = "en",
    bullets: Annotated[int, typer.Option(help="Number of key bullets (3-7 recommended).")] = 5,
    length: Annotated[
        str, typer.Option(help="Summary length: 3 or 3s = sentences, 80w = words.")
    ] = "3",
    models: ModelsOpt = None,
    device: DeviceOpt = "auto",
    dtype: DTypeOpt = "auto",
    offline: OfflineOpt = False,
    threads: ThreadsOpt = None,
    quantize: QuantizeOpt = "none",
    quiet: QuietOpt = False,
) -> None:
    """Write a bilingual digest: title, summary and key bullets in German and English.

    Each bullet names the source sentences it rests on.

    Examples:

      digest summarize samples/stadtrat-radwege.txt

      digest summarize samples/ --out digests/ --format md --format json

      digest summarize article.html --summarizer extractive --to de --offline
    """
    if to not in ("en", "de"):
        raise typer.BadParameter("must be en or de", param_hint="--to")
    m = re.fullmatch(r"(\d+)\s*([sw]?)", length.strip().lower())
    if not m or int(m.group(1)) < 1:
        raise typer.BadParameter(
            "use a number of sentences (3, 3s) or words (80w)", param_hint="--length"
        )
    options = DigestOptions(
        summarizer=summarizer,
        translator=translator if to != "de" else "none",
        to=() if to == "de" else (to,),
        bullets=bullets,
        length=int(m.group(1)),
        length_unit="words" if m.group(2) == "w" else "sentences",
    )
    config = config_from(models)
    runtime = runtime_options(device, dtype, offline, threads, quantize, quiet)
    loaded = load_models(
        config,
        summarizer=summarizer,
        translator=None if to == "de" else translator,
        to=to,
        runtime=runtime,
    )
    outcomes = run_job("digest", inputs, loaded, options=options, formats=fmt, out=out)
    finish_run(outcomes, quiet)
