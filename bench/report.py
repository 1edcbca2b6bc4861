"""docs/benchmarks.md is shared: each bench script rewrites only its own section,
between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`, and keeps everyone else's."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = ("# Benchmarks\n\nMeasured by the scripts in `bench/` (`make bench`); each script "
          "rewrites its own section.\n")


def write_section(name: str, body: str, path: Path = DOC) -> None:
    """Put `body` (Markdown, with its own heading) in section `name` of the document."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    doc = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    block = f"{start}\n{body.strip()}\n{end}"
    if start in doc and end in doc:
        before, rest = doc.split(start, 1)
        doc = before + block + rest.split(end, 1)[1]
    else:
        doc = doc.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(doc, encoding="utf-8")
