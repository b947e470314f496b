"""A batch job in; planned work items, cached outcomes and a run report out.

The names here are the contract the engines share (the local one in :mod:`digest.engines.local`
and the Ray one): :class:`BatchJob`, :func:`run_plan` (or :func:`plan_run`) -> :class:`WorkItem`,
:func:`process_items` -> :class:`FileOutcome`, :func:`finish_report` -> :class:`RunReport`.
"""

from digest.batch.job import BatchJob, FileOutcome, WorkItem, parse_shard
from digest.batch.plan import expand_inputs, list_inputs, plan_run, run_plan
from digest.batch.process import load_job_models, process_items
from digest.batch.report import RunReport, finish_report

__all__ = [
    "BatchJob",
    "FileOutcome",
    "RunReport",
    "WorkItem",
    "expand_inputs",
    "finish_report",
    "list_inputs",
    "load_job_models",
    "parse_shard",
    "plan_run",
    "process_items",
    "run_plan",
]
