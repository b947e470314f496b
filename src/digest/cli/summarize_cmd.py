from __future__ import annotations

import re
from typing import Annotated

import typer

from digest.batch import BatchJob, parse_shard
from digest.cli.common import (
    BackendOpt,
    DeviceOpt,
    DTypeOpt,
    FetchKeepDaysOpt,
    FetchTimeoutOpt,
    ForceOpt,
    FormatOpt,
    MaxItemsOpt,
    ModelsOpt,
    OfflineOpt,
    OutOpt,
    PerHostOpt,
    ProgressOpt,
    QuantizeOpt,
    QuietOpt,
    RefetchOpt,
    ReportOpt,
    ShardOpt,
    SinceOpt,
    ThreadsOpt,
    fetch_options,
    handle_errors,
    named,
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
from digest.config import load_config
from digest.errors import ConfigError
from digest.options import (
    KEEP_DAYS,
    Backend,
    Device,
    DigestLanguages,
    DigestOptions,
    DType,
    EngineName,
    OutputFormat,
    ProgressMode,
    Quantize,
    SectionSummaries,
)
from digest.summarize.assemble import MAX_BULLETS, MIN_BULLETS
from digest.writers import expand_formats


@handle_errors
def summarize_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Article files (.txt .md .html), folders, - for stdin, article URLs, or RSS/Atom "
            "feeds (URL or .xml/.rss/.atom file: their items' links)."
        ),
    ],
    out: OutOpt = None,
    fmt: FormatOpt = [OutputFormat.MD],  # noqa: B006 - typer needs a literal default
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
        DigestLanguages,
        typer.Option("--to", help="en: German + English digest; de: German only (no translator)."),
    ] = DigestLanguages.EN,
    bullets: Annotated[
        int, typer.Option(help="Number of key bullets, 3 to 7.", min=MIN_BULLETS, max=MAX_BULLETS)
    ] = 5,
    length: Annotated[
        str, typer.Option(help="Summary length: 3 or 3s = sentences, 80w = words.")
    ] = "3",
    section_summaries: Annotated[
        SectionSummaries,
        typer.Option(
            help="With a model summarizer: auto = the model summarises sections over "
            "--section-words words, shorter ones get their key sentences (extractive)."
        ),
    ] = SectionSummaries.AUTO,
    section_words: Annotated[
        int,
        typer.Option(
            help="auto: sections longer than this many words are summarised by the model.", min=1
        ),
    ] = 150,
    models: ModelsOpt = None,
    device: DeviceOpt = Device.AUTO,
    dtype: DTypeOpt = DType.AUTO,
    offline: OfflineOpt = False,
    threads: ThreadsOpt = None,
    quantize: QuantizeOpt = Quantize.NONE,
    backend: BackendOpt = Backend.AUTO,
    quiet: QuietOpt = False,
    report: ReportOpt = None,
    force: ForceOpt = False,
    shard: ShardOpt = None,
    progress: ProgressOpt = ProgressMode.AUTO,
    engine: EngineOpt = EngineName.LOCAL,
    address: AddressOpt = None,
    replicas: ReplicasOpt = None,
    gpus_per_replica: GpusPerReplicaOpt = 0.0,
    max_items: MaxItemsOpt = None,
    since: SinceOpt = None,
    refetch: RefetchOpt = False,
    fetch_timeout: FetchTimeoutOpt = 20.0,
    per_host: PerHostOpt = 2,
    fetch_keep_days: FetchKeepDaysOpt = KEEP_DAYS,
) -> None:
    """Write a bilingual digest: title, summary and key bullets in German and English.

    Each bullet names the source sentences it rests on.

    Examples:

      digest summarize samples/stadtrat-radwege.txt

      digest summarize samples/ --out digests/ --format all

      digest summarize article.md --format json > digest.json

      digest summarize article.html --summarizer extractive --to de --offline

      digest summarize https://example.org/feed.xml --since 24h --out digests/
    """
    # ConfigError, not typer.BadParameter: raised in the body, it gets the one-line usage
    # error and exit code 2 from handle_errors.
    m = re.fullmatch(r"(\d+)\s*([sw]?)", length.strip().lower())
    if not m or int(m.group(1)) < 1:
        raise ConfigError("--length: use a number of sentences (3, 3s) or words (80w)")
    german_only = to == DigestLanguages.DE
    options = DigestOptions(
        summarizer=summarizer,
        translator="none" if german_only else translator,
        to=() if german_only else (to.value,),
        bullets=bullets,
        length=int(m.group(1)),
        length_unit="words" if m.group(2) == "w" else "sentences",
        section_summaries=section_summaries,
        section_words=section_words,
    )
    runner = engine_runner(engine_options(engine, address, replicas, gpus_per_replica))
    config = load_config(models)  # parsed once; a broken models.yaml fails here, before any work
    job = BatchJob(
        kind="digest",
        inputs=tuple(inputs),
        out=out,
        options=options,
        formats=tuple(expand_formats(fmt)),
        summarizer=config.summarizer(named(summarizer)),
        translator=None if german_only else config.translator(to.value, named(translator)),
        runtime=runtime_options(device, dtype, offline, threads, quantize, quiet, backend),
        force=force,
        shard=parse_shard(shard),
        report=report,
        quiet=quiet,
        progress=progress,
        fetch=fetch_options(max_items, since, refetch, fetch_timeout, per_host, fetch_keep_days),
    )
    run_batch(job, runner)
