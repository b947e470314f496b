from __future__ import annotations

from pathlib import Path
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
from digest.options import (
    KEEP_DAYS,
    Backend,
    Device,
    DType,
    EngineName,
    OutputFormat,
    ProgressMode,
    Quantize,
    TranslateOptions,
)
from digest.translate.glossary import load_glossary
from digest.writers import expand_formats


@handle_errors
def translate_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Article files (.txt .md .html), folders, - for stdin, article URLs, or RSS/Atom "
            "feeds (URL or .xml/.rss/.atom file: their items' links)."
        ),
    ],
    to: Annotated[
        str, typer.Option("--to", help="Target language (a translator in models.yaml).")
    ] = "en",
    out: OutOpt = None,
    fmt: FormatOpt = [OutputFormat.MD],  # noqa: B006 - typer needs a literal default
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
    """Translate whole articles, keeping title, headings, paragraphs, lists and quotes.

    Sentence by sentence: nothing is truncated; over-long sentences are split at clause
    boundaries and reported. Every sentence is checked (repetition loops, copied German,
    length ratio, numbers and dates, glossary terms); a failing one is retried once with
    stronger settings and flagged in the output if it still fails.

    Examples:

      digest translate samples/energiepreise.md --to en

      digest translate samples/ --to en --out english/ --format json

      digest translate article.html --glossary terms.tsv --format html

      digest translate https://example.org/politik/artikel.html --to en
    """
    runner = engine_runner(engine_options(engine, address, replicas, gpus_per_replica))
    config = load_config(models)  # parsed once; a broken models.yaml fails here, before any work
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
        translator=config.translator(to, named(translator)),
        runtime=runtime_options(device, dtype, offline, threads, quantize, quiet, backend),
        force=force,
        shard=parse_shard(shard),
        report=report,
        quiet=quiet,
        progress=progress,
        fetch=fetch_options(max_items, since, refetch, fetch_timeout, per_host, fetch_keep_days),
    )
    run_batch(job, runner)
