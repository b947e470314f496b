"""Compatibility: the batch engine lives in :mod:`digest.batch`; these names stay importable."""

from digest.batch import (
    BatchJob,
    FileOutcome,
    RunReport,
    WorkItem,
    expand_inputs,
    finish_report,
    load_job_models,
    plan_run,
    process_items,
    run_local,
)
from digest.batch.plan import SUPPORTED_SUFFIXES

__all__ = [
    "SUPPORTED_SUFFIXES",
    "BatchJob",
    "FileOutcome",
    "RunReport",
    "WorkItem",
    "expand_inputs",
    "finish_report",
    "load_job_models",
    "plan_run",
    "process_items",
    "run_local",
]
