from __future__ import annotations

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
from digest.results import TranslateOptions
from digest.runner import run_job


@handle_errors
def translate_command(
    inputs: Annotated[
        list[str], typer.Argument(help="Article files (.txt .md .html), folders, or - for stdin.")
    ],
    to: Annotated[
        str, typer.Option("--to", help="Target language (a translator in models.yaml).")
    ] = "en",
    out: OutOpt = None,
    fmt: Annotated[
        list[str], typer.Option("--format", "-f", help="md | json (repeat for several).")
    ] = ["md"],  # noqa: B006 - typer needs a literal default
    translator: Annotated[
        str, typer.Option(help="models.yaml translator entry or model directory.")
    ] = "default",
    models: ModelsOpt = None,
    device: DeviceOpt = "auto",
    dtype: DTypeOpt = "auto",
    offline: OfflineOpt = False,
    threads: ThreadsOpt = None,
    quantize: QuantizeOpt = "none",
    quiet: QuietOpt = False,
) -> None:
    """Translate whole articles, keeping title, headings, paragraphs, lists and quotes.

    Sentence by sentence: nothing is truncated; over-long sentences are split at clause
    boundaries and reported.

    Examples:

      digest translate samples/energiepreise.md --to en

      digest translate samples/ --to en --out english/ --format json
    """
    config = config_from(models)
    runtime = runtime_options(device, dtype, offline, threads, quantize, quiet)
    loaded = load_models(config, summarizer=None, translator=translator, to=to, runtime=runtime)
    options = TranslateOptions(translator=translator, to=to)
    outcomes = run_job("translation", inputs, loaded, options=options, formats=fmt, out=out)
    finish_run(outcomes, quiet)
