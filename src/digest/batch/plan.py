"""Planning a run: which files, where their outputs go, which are already done."""

from __future__ import annotations

import contextlib
import glob
import hashlib
from collections.abc import Sequence
from pathlib import Path

from digest.batch.cache import (
    file_sha256,
    is_up_to_date,
    item_key,
    job_fingerprint,
    read_cache,
    remove_stale_temps,
)
from digest.batch.job import BatchJob, WorkItem
from digest.errors import ConfigError
from digest.writers import get_writer, output_name

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_GLOB_CHARS = frozenset("*?[")


def _skip_path(rel: Path, path: Path, exclude: Path | None) -> bool:
    # Hidden folders (.git, caches) and our own output tree are never inputs.
    if any(part.startswith(".") for part in rel.parts):
        return True
    return exclude is not None and path.resolve().is_relative_to(exclude)


def _glob_root(pattern: str) -> Path:
    parts = Path(pattern).parts
    fixed = [p for p in parts[: next(i for i, p in enumerate(parts) if _GLOB_CHARS & set(p))]]
    return Path(*fixed) if fixed else Path(".")


def list_inputs(inputs: Sequence[str], exclude: Path | None = None) -> list[tuple[str, str]]:
    """(source, rel) pairs: files as given, folders and globs recursively, '-' for stdin.

    Folders are listed sorted by relative path; ``rel`` is the path relative to the folder
    (or the fixed part of a glob) and is what the output tree mirrors. A path found twice is
    kept once. Missing files are kept: they fail later with a clear reason.
    """
    excl = exclude.resolve() if exclude is not None else None
    found: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(source: str, rel: str) -> None:
        ident = source if source == "-" else str(Path(source).resolve())
        if ident not in seen:
            seen.add(ident)
            found.append((source, rel))

    for item in inputs:
        path = Path(item)
        if item == "-":
            add("-", "stdin")
        elif path.is_dir():
            files = [
                (p.relative_to(path), p)
                for p in path.rglob("*")
                if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file()
            ]
            for rel, p in sorted(files, key=lambda t: t[0].as_posix()):
                if not _skip_path(rel, p, excl):
                    add(str(p), rel.as_posix())
        elif not path.exists() and _GLOB_CHARS & set(item):
            root = _glob_root(item)
            for match in sorted(glob.glob(item, recursive=True)):
                p = Path(match)
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES:
                    rel = p.relative_to(root) if p.is_relative_to(root) else Path(p.name)
                    if not _skip_path(rel, p, excl):
                        add(match, rel.as_posix())
        else:
            add(item, path.name)
    if sum(1 for s, _ in found if s == "-") > 1:
        raise ConfigError("'-' (stdin) can be given only once")
    return found


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """The input files of a run, in order (kept for callers of the old runner)."""
    return [source for source, _ in list_inputs(inputs)]


def in_shard(rel: str, shard: tuple[int, int] | None) -> bool:
    """Hash-based, so adding a file never moves the others to another shard (CI caches stay)."""
    if shard is None:
        return True
    i, n = shard
    return int(hashlib.sha1(rel.encode("utf-8")).hexdigest(), 16) % n == i - 1


def output_folder(job: BatchJob, n_files: int) -> Path | None:
    """--out as a folder (None: stdout, or --out names the single output file)."""
    if job.out is None:
        if n_files > 1 or len(job.formats) > 1:
            raise ConfigError("several inputs or formats need {out} FOLDER")
        return None
    ext = "." + get_writer(job.formats[0]).extension
    if len(job.formats) == 1 and job.out.suffix == ext and not job.out.is_dir():
        if n_files > 1:
            raise ConfigError(f"several inputs need {{out}} FOLDER, not the file {job.out}")
        return None
    return job.out


def outputs_for(job: BatchJob, rel: str, folder: Path | None) -> tuple[Path, ...]:
    if folder is None:
        return (job.out,) if job.out is not None else ()
    parent = folder / Path(rel).parent
    return tuple(parent / output_name(rel, job.kind, fmt, job.target_lang) for fmt in job.formats)


def plan_run(job: BatchJob) -> list[WorkItem]:
    """List the job's files (sorted, sharded), their outputs and cache keys; mark done ones.

    Raises ConfigError (exit 2) for problems that concern the whole run.
    """
    for fmt in job.formats:
        get_writer(fmt)  # unknown format: fail before any work
    if job.chunk_size < 1:
        raise ConfigError("chunk size must be at least 1")
    guess = job.out if job.out is not None and not job.out.suffix else None
    files = list_inputs(job.inputs, exclude=guess)
    if not files:
        raise ConfigError(
            f"no supported input files ({' '.join(SUPPORTED_SUFFIXES)}) in: {' '.join(job.inputs)}"
        )
    folder = output_folder(job, len(files))
    if folder is not None and guess is None:
        files = list_inputs(job.inputs, exclude=folder)
    files = [(s, r) for s, r in files if in_shard(r, job.shard)]
    fingerprint = job_fingerprint(job)
    cache = {} if folder is None or job.force else read_cache(folder)
    if folder is not None:
        remove_stale_temps(folder)
    owners: dict[Path, str] = {}
    items = []
    for source, rel in files:
        outputs = outputs_for(job, rel, folder)
        clash = next((owners[p] for p in outputs if p in owners), None)
        if clash is not None:
            error = f"its output {outputs[0].name} would overwrite the output of {clash}"
            items.append(WorkItem(source, rel, outputs, "", error=error))
            continue
        owners.update(dict.fromkeys(outputs, source))
        sha = ""
        if source != "-":
            # Unreadable: loading reports why, with the other per-file errors.
            with contextlib.suppress(OSError):
                sha = file_sha256(Path(source))
        key = item_key(sha, fingerprint) if sha else ""
        skip = folder is not None and is_up_to_date(cache.get(rel), key, outputs, folder)
        items.append(WorkItem(source, rel, outputs, key, skip=skip, content_sha256=sha))
    return items
