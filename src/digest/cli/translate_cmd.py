from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from digest.batch import BatchJob, parse_shard
from digest.cli.common import (
    DeviceOpt,
    DTypeOpt,
    ForceOpt,
    ModelsOpt,
    OfflineOpt,
    OutOpt,
    ProgressOpt,
    QuantizeOpt,
    QuietOpt,
    ReportOpt,
    ShardOpt,
    ThreadsOpt,
    config_from,
    handle_errors,
    progress_mode,
    runtime_options,
)
from digest.cli.engine_opts import (
    AddressOpt,
    EngineOpt,
    GpusPerReplicaOpt,
    ReplicasOpt,
    engine_options,
    engine_runner,
)
from digest.cli.run import run_batch
from digest.results import TranslateOptions
from digest.translate.glossary import load_glossary
from digest.writers import expand_formats


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
        list[str],
        typer.Option("--format", "-f", help="md | json | html | txt | all (repeat for several)."),
    ] = ["md"],  # noqa: B006 - typer needs a literal default
    translator: Annotated[
        str, typer.Option(help="models.yaml translator entry or model directory.")
    ] = "default",
    glossary: Annotated[
        Path | None,
        typer.Option(
            help="Two columns, TSV or CSV: German term, rendering (the term itself = keep it).",
            show_default=False,
        ),
    ] = None,
    models: ModelsOpt = None,
    device: DeviceOpt = "auto",
    dtype: DTypeOpt = "auto",
    offline: OfflineOpt = False,
    threads: ThreadsOpt = None,
    quantize: QuantizeOpt = "none",
    quiet: QuietOpt = False,
    report: ReportOpt = None,
    force: ForceOpt = False,
    shard: ShardOpt = None,
    progress: ProgressOpt = "auto",
    engine: EngineOpt = "local",
    address: AddressOpt = None,
    replicas: ReplicasOpt = None,
    gpus_per_replica: GpusPerReplicaOpt = 0.0,
) -> None:
    """Translate whole articles, keeping title, headings, paragraphs, lists and quotes.

    Sentence by sentence: nothing is truncated; over-long sentences are split at clause
    boundaries and reported. Every sentence is checked (repetition loops, copied German,
    length ratio, numbers and dates, glossary terms); a failing one is retried once with
    stronger settings and flagged in the output if it still fails.

    Examples:

      digest translate samples/energiepreise.md --to en

      digest translate samples/ --to en --out english/ --format json

      digest translate article.html --glossary terms.tsv --format html
    """
    runner = engine_runner(engine_options(engine, address, replicas, gpus_per_replica))
    config_from(models)  # a broken models.yaml fails here, before any work
    glossary_path = None
    if glossary is not None:
        load_glossary(glossary)  # a bad glossary is one clear error before any model loads
        glossary_path = str(glossary.resolve())
    job = BatchJob(
        kind="translate",
        inputs=tuple(inputs),
        out=out,
        options=TranslateOptions(translator=translator, to=to, glossary=glossary_path),
        formats=tuple(expand_formats(fmt)),
        translator=translator,
        models_path=models,
        runtime=runtime_options(device, dtype, offline, threads, quantize, quiet),
        force=force,
        shard=parse_shard(shard),
        report=report,
        quiet=quiet,
        progress=progress_mode(progress),
    )
    run_batch(job, runner)
