from __future__ import annotations

import re
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
from digest.errors import ConfigError
from digest.results import DigestOptions
from digest.summarize.assemble import MAX_BULLETS, MIN_BULLETS
from digest.writers import expand_formats


@handle_errors
def summarize_command(
    inputs: Annotated[
        list[str], typer.Argument(help="Article files (.txt .md .html), folders, or - for stdin.")
    ],
    out: OutOpt = None,
    fmt: Annotated[
        list[str],
        typer.Option("--format", "-f", help="md | json | html | txt | all (repeat for several)."),
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
    bullets: Annotated[
        int, typer.Option(help="Number of key bullets, 3 to 7.", min=MIN_BULLETS, max=MAX_BULLETS)
    ] = 5,
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
    report: ReportOpt = None,
    force: ForceOpt = False,
    shard: ShardOpt = None,
    progress: ProgressOpt = "auto",
    engine: EngineOpt = "local",
    address: AddressOpt = None,
    replicas: ReplicasOpt = None,
    gpus_per_replica: GpusPerReplicaOpt = 0.0,
) -> None:
    """Write a bilingual digest: title, summary and key bullets in German and English.

    Each bullet names the source sentences it rests on.

    Examples:

      digest summarize samples/stadtrat-radwege.txt

      digest summarize samples/ --out digests/ --format all

      digest summarize article.md --format json > digest.json

      digest summarize article.html --summarizer extractive --to de --offline
    """
    # ConfigError, not typer.BadParameter: raised in the body, it gets the one-line usage
    # error and exit code 2 from handle_errors.
    if to not in ("en", "de"):
        raise ConfigError("--to must be en or de")
    m = re.fullmatch(r"(\d+)\s*([sw]?)", length.strip().lower())
    if not m or int(m.group(1)) < 1:
        raise ConfigError("--length: use a number of sentences (3, 3s) or words (80w)")
    options = DigestOptions(
        summarizer=summarizer,
        translator=translator if to != "de" else "none",
        to=() if to == "de" else (to,),
        bullets=bullets,
        length=int(m.group(1)),
        length_unit="words" if m.group(2) == "w" else "sentences",
    )
    runner = engine_runner(engine_options(engine, address, replicas, gpus_per_replica))
    config_from(models)  # a broken models.yaml fails here, before any work
    job = BatchJob(
        kind="digest",
        inputs=tuple(inputs),
        out=out,
        options=options,
        formats=tuple(expand_formats(fmt)),
        summarizer=summarizer,
        translator=None if to == "de" else translator,
        models_path=models,
        runtime=runtime_options(device, dtype, offline, threads, quantize, quiet),
        force=force,
        shard=parse_shard(shard),
        report=report,
        quiet=quiet,
        progress=progress_mode(progress),
    )
    run_batch(job, runner)
