"""`digest inspect` and bad input through the CLI, the way a new user meets them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from digest.cli import app
from digest.ingest.article import load_article
from digest.ingest.document import Article

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted(
    p
    for p in (ROOT / "samples").iterdir()
    if p.suffix in (".txt", ".md", ".html") and p.name != "README.md"
)
runner = CliRunner()

ARTIKEL = """\
Neue Brücke über die Leine: Baubeginn im Frühjahr

Die Stadt Göttingen baut eine neue Fuß- und Radbrücke über die Leine. „Das ist ein großer Tag \
für die Weststadt“, sagte Oberbürgermeisterin Dr. Petra Lindner am Montag.

Was geplant ist

Die Brücke wird 85 Meter lang und kostet ca. 6,5 Mio. Euro. Der Bau soll am 3. März beginnen \
und etwa zwei Jahre dauern.
"""
ENGLISH = (
    "Council approves new bridge\n\nThe city council voted on Thursday to build a new bridge "
    "over the river. The decision was close, with 31 votes in favour and 27 against. Critics "
    "say that the money would have been better spent on schools and that the bridge is not "
    "needed at all.\n"
)


def run(*args: str, input: bytes | str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def one_line_error(code: int, stdout: str, stderr: str, *needles: str) -> None:
    assert code == 2, (stdout, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr + stdout
    for needle in needles:
        assert needle in lines[0]


# -- inspect on every sample -----------------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_inspect_md_shows_what_was_understood(sample: Path) -> None:
    code, out, err = run("inspect", str(sample))
    assert code == 0, err
    article = load_article(sample)
    assert out.startswith(f"# {article.title.text}\n")
    assert f"({article.format}, {article.encoding})" in out
    if article.teaser:
        assert f"- `lead` teaser, {len(article.teaser.sentences)} sentence" in out
    for sec in article.sections:
        assert f"## {sec.id}: " + (sec.heading.text if sec.heading else "(no heading)") in out
        for b in sec.blocks:
            n = len(b.sentences)
            assert re.search(rf"^- `{re.escape(b.id)}` {b.kind}\b.*, {n} sentences?\b", out, re.M)
    dups = [b for b in article.blocks if b.duplicate_of]
    assert f"## Duplicates ({len(dups)})" in out
    for b in dups:
        assert f"- `{b.id}` repeats `{b.duplicate_of}`" in out
    assert f"## Dropped lines ({len(article.dropped)}" in out
    for d in article.dropped:
        assert f"- line {d.line} [{d.reason}]: {d.text}" in out


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_inspect_json_is_the_article_with_exact_offsets(sample: Path) -> None:
    code, out, err = run("inspect", str(sample), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    text = data["text"]
    assert data["title"]["text"] and data["format"] in ("txt", "md", "html")
    blocks = [data["title"]] + ([data["teaser"]] if data["teaser"] else [])
    for sec in data["sections"]:
        blocks += ([sec["heading"]] if sec["heading"] else []) + sec["blocks"]
    assert {b["kind"] for b in blocks} <= {
        "title", "teaser", "heading", "paragraph", "list_item", "quote"
    }  # fmt: skip
    for b in blocks:
        assert text[b["start"] : b["end"]] == b["text"]
        assert b["sentences"], b["id"]
        for s in b["sentences"]:
            assert text[s["start"] : s["end"]] == s["text"]
    assert all(set(d) == {"line", "text", "reason"} and d["reason"] for d in data["dropped"])
    assert len(data["dropped"]) == len(load_article(sample).dropped)


def test_inspect_marks_the_duplicate_paragraph() -> None:
    code, out, _ = run(
        "inspect", str(ROOT / "samples/wasserstoff-langer-bericht.txt"), "-f", "json"
    )
    assert code == 0
    data = json.loads(out)
    dups = [b for s in data["sections"] for b in s["blocks"] if b["duplicate_of"]]
    assert len(dups) == 1 and dups[0]["text"].startswith("Bei der Elektrolyse wird Wasser")


def test_inspect_rejects_unknown_format() -> None:
    code, _, err = run("inspect", str(SAMPLES[0]), "--format", "yaml")
    assert code == 2 and "md or json" in err


# -- stdin -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "fmt"),
    [
        ("fussball-pokal.html", "html"),
        ("energiepreise.md", "md"),
        ("stadtrat-radwege.txt", "txt"),
        ("klinik-latin1.txt", "txt"),
        ("wissenschaft-utf16.txt", "txt"),
    ],
)
def test_stdin_is_sniffed(sample: str, fmt: str) -> None:
    raw = (ROOT / "samples" / sample).read_bytes()
    code, out, err = run("inspect", "-", "-f", "json", input=raw)
    assert code == 0, err
    data = json.loads(out)
    assert data["format"] == fmt and data["source"] == "-"
    assert data["title"]["text"] == load_article(ROOT / "samples" / sample).title.text


def test_html_fragment_on_stdin_is_html() -> None:
    page = (
        "<div class='artikel'><h1>Neue Brücke für Göttingen</h1>"
        + "".join(f"<p>{p}</p>" for p in ARTIKEL.split("\n\n")[1:])
        + "<footer><p>Impressum</p></footer></div>"
    )
    code, out, err = run("inspect", "-", "-f", "json", input=page.encode())
    assert code == 0, err
    data = json.loads(out)
    assert data["format"] == "html"
    assert data["title"]["text"] == "Neue Brücke für Göttingen"
    assert "<p>" not in data["text"] and "Impressum" not in data["text"]


@pytest.mark.parametrize(
    ("codec", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("cp1252", b""),
    ],
)
def test_encodings_through_the_cli(codec: str, prefix: bytes) -> None:
    raw = prefix + ARTIKEL.replace("\n", "\r\n").encode(codec)
    code, out, err = run("inspect", "-", "-f", "json", input=raw)
    assert code == 0, err
    data = json.loads(out)
    assert data["title"]["text"] == "Neue Brücke über die Leine: Baubeginn im Frühjahr"
    assert "„Das ist ein großer Tag für die Weststadt“, sagte" in data["text"]
    assert "\r" not in data["text"]


# -- bad input: one line, exit 2, for inspect and summarize ----------------------------------


def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    files = {
        "empty.txt": (b"", "is empty (0 bytes)"),
        "blank.txt": (b" \n\t\r\n  \n", "is empty (whitespace only)"),
        "scan.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "binary file (PDF)"),
        "bild.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "binary file (PNG)"),
        "paket.html": (b"PK\x03\x04\x14\x00\x00\x00" + bytes(64), "binary file (ZIP"),
        "english.txt": (ENGLISH.encode(), "does not look like German text"),
        "kurz.txt": (b"Hallo Welt.", "too short"),
    }
    out = {}
    for name, (raw, message) in files.items():
        path = tmp_path / name
        path.write_bytes(raw)
        out[name] = (path, message)
    huge = tmp_path / "riesig.txt"
    with open(huge, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    out["riesig.txt"] = (huge, "is too large (52,428,800 bytes; the limit is 5,000,000)")
    out["fehlt.txt"] = (tmp_path / "fehlt.txt", "does not exist")
    out["ordner"] = (tmp_path, "is a directory")
    doc = tmp_path / "bericht.pdf"
    doc.write_bytes(b"%PDF-1.4\n")
    out["bericht.pdf"] = (doc, "unsupported file type '.pdf'")
    return out


BAD = [
    "empty.txt", "blank.txt", "scan.txt", "bild.md", "paket.html", "english.txt", "kurz.txt",
    "riesig.txt", "fehlt.txt", "ordner", "bericht.pdf",
]  # fmt: skip


@pytest.mark.parametrize("name", BAD)
def test_bad_input_inspect(name: str, tmp_path: Path) -> None:
    path, message = bad_inputs(tmp_path)[name]
    one_line_error(*run("inspect", str(path)), message)


@pytest.mark.parametrize("name", [b for b in BAD if b != "ordner"])  # folders are batch input
def test_bad_input_summarize(name: str, tmp_path: Path) -> None:
    # The extractive summarizer and --to de need no model, so only the input can fail.
    path, message = bad_inputs(tmp_path)[name]
    out = tmp_path / "digest.md"
    args = [
        "summarize",
        str(path),
        "--summarizer",
        "extractive",
        "--to",
        "de",
        "-q",
        "-o",
        str(out),
    ]
    code, stdout, stderr = run(*args)
    one_line_error(code, stdout, stderr, message)
    assert not out.exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "stdin is empty (0 bytes)"),
        (b"\n \n", "stdin is empty (whitespace only)"),
        (b"%PDF-1.5\n" + bytes(range(256)), "stdin looks like a binary file (PDF)"),
        (ENGLISH.encode(), "stdin does not look like German text"),
        (b"Wort " * 1_000_001, "stdin is too large (more than 5,000,000 bytes"),
    ],
    ids=["empty", "blank", "pdf", "english", "huge"],
)
def test_bad_stdin(raw: bytes, message: str) -> None:
    one_line_error(*run("inspect", "-", input=raw), message)


# -- dropped lines reach the digest JSON -----------------------------------------------------


def test_digest_json_keeps_dropped_lines_with_reasons(tmp_path: Path) -> None:
    sample = ROOT / "samples/stadtrat-radwege.txt"
    out = tmp_path / "radwege.json"
    code, _, err = run(
        "summarize", str(sample), "--summarizer", "extractive", "--to", "de", "-f", "json",
        "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out.read_text(encoding="utf-8"))
    article: Article = load_article(sample)
    expected = [{"line": d.line, "text": d.text, "reason": d.reason} for d in article.dropped]
    assert data["article"]["dropped"] == expected
    assert {"agency_slug", "photo_credit", "promo", "comments_trailer"} <= {
        d["reason"] for d in expected
    }


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_inspect_json_matches_the_article_schema(sample: Path) -> None:
    # The same Article object sits under "article" in digest and translation JSON.
    import jsonschema

    schema = json.loads((ROOT / "src/digest/schemas/digest.schema.json").read_text("utf-8"))
    article_schema = {"$defs": schema["$defs"], "$ref": "#/$defs/Article"}
    code, out, err = run("inspect", str(sample), "-f", "json")
    assert code == 0, err
    jsonschema.validate(json.loads(out), article_schema)


def test_inspect_shows_long_subheading_and_repeated_sentence() -> None:
    """Issue 14's done-when: every subheading of a five-section article is a heading (one
    of them 10+ words), and the sentence repeated in another paragraph is a duplicate."""
    path = Path(__file__).parents[1] / "data" / "articles" / "gipfel-zwischentitel.txt"
    result = CliRunner().invoke(app, ["inspect", str(path)])
    assert result.exit_code == 0, result.output
    headings = re.findall(r"^## sec\d+: (.+) \(`h\d+`\)$", result.output, re.M)
    assert headings == [
        "Die Tagesordnung des Gipfels ist von militärischen Themen geprägt",
        "Streit über das Ziel von zwei Prozent",
        "Erwartungen der Ukraine an das Bündnis",
        "Schweden vor dem Beitritt",
        "Wie es nach dem Treffen weitergeht",
    ]
    assert "- sentence `b3.1.4` repeats `b1.1.4`: Gastgeber Litauen" in result.output
