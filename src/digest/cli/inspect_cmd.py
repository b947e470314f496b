from __future__ import annotations

from typing import Annotated

import typer

from digest.cli.common import handle_errors
from digest.ingest.article import load_article
from digest.ingest.fetch import is_url
from digest.ingest.web_input import fetch_article
from digest.writers.article_view import format_inspection


def _check_format(value: str) -> str:
    # Checked while options are parsed, so click reports it as a usage error (exit 2).
    if value not in ("md", "json"):
        raise typer.BadParameter("must be md or json")
    return value


@handle_errors
def inspect_command(
    article: Annotated[
        str, typer.Argument(help="Article file (.txt .md .html), - for stdin, or a URL.")
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="md | json", callback=_check_format)
    ] = "md",
) -> None:
    """Show what digest understood: title, teaser, sections, blocks, sentences,
    duplicates and dropped lines with reasons.

    Example: digest inspect samples/fussball-pokal.html --format json

    A URL is fetched (and kept in the user cache folder) and read like an .html file.
    """
    loaded = fetch_article(article) if is_url(article) else load_article(article)
    typer.echo(format_inspection(loaded, fmt), nl=False)
