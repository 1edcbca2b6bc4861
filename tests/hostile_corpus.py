"""A corpus of broken and hostile input: the small files committed in
tests/fixtures/hostile, the large, binary and file-system ones made here."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
BIG_ARTICLE_BYTES = 5_000_000
NOT_UTF8_NAME = os.fsdecode(b"caf\xe9 latin-1 name.txt")
NOT_UTF8_LABEL = "café latin-1 name.txt"  # as the builder shows it
LONG_LINE_CHARS = 200_000
TINY_FILES = 300
WORDS = ("the council said on monday that repairs to the bridge would take weeks while residents "
         "questioned the estimate and engineers inspected the damaged supports near the river").split()


def big_article(seed: int = 5) -> str:
    """About 5 MB of plausible English paragraphs."""
    rng = random.Random(seed)
    paragraphs, size = [], 0
    while size < BIG_ARTICLE_BYTES:
        sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25))).capitalize() + "."
                     for _ in range(rng.randint(2, 6))]
        paragraphs.append(" ".join(sentences))
        size += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs) + "\n"


def make_hostile_corpus(corpus: Path, outside: Path, with_big_article: bool = True) -> dict[str, str]:
    """Write the hostile corpus into `corpus`; `outside` is a folder beside it that
    symbolic links point into. Returns {file: what it is} for the generated files."""
    shutil.copytree(HOSTILE, corpus, dirs_exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.txt").write_text("A file outside the corpus that must not be read.\n", encoding="utf-8")
    made = {
        "binary.txt": "random bytes",
        "big.txt": "a 5 MB article",
        "long-line.txt": "a 200,000-character line without spaces",
        "huge-front-matter.md": "front matter of 100,000 characters",
        "link-to-outside.txt": "a symbolic link to a file outside the corpus",
        "linked-folder": "a symbolic link to a folder outside the corpus",
        "loop": "a symbolic link to its own folder",
        "folder.txt/inside.txt": "an article inside a folder named like an article",
        "unreadable.txt": "a file without read permission",
        "tiny/": f"{TINY_FILES} tiny files",
        "dash-rule.txt": "a rule of hyphens after a capitalised word (once minutes of regex backtracking)",
        "huge-numbers.txt": "numbers of 310 digits and of 110 digit groups (once an infinite float)",
        NOT_UTF8_NAME: "a file name that is not UTF-8 (a Windows zip's)",
        "two\nlines.txt": "a file name with a newline",
        ".hidden.txt": "a hidden file",
        "dossier.yml": "a symbolic link to a settings file outside the corpus",
        "entities.yml": "settings nested 20,000 deep",
        "long-paragraphs.txt": "paragraphs of 20,000 characters of dates, clock times, percentages and dots "
                               "(each once minutes: every date or number read against the whole sentence)",
    }
    (corpus / "binary.txt").write_bytes(random.Random(1).randbytes(8192))
    (corpus / "dash-rule.txt").write_text(
        "Oslo " + "-" * 60 + " The council said on Monday that repairs to the bridge would take weeks.\n\n"
        + "-".join(["Anna"] * 400) + "\n", encoding="utf-8")
    (corpus / "huge-numbers.txt").write_text(
        "The ledger listed " + "7" * 310 + " entries.\n\nAt least " + "1," * 110 + "000 people were counted, "
        "and " + "9" * 40 + " per cent of them twice.\n", encoding="utf-8")
    (corpus / "long-paragraphs.txt").write_text("\n\n".join((
        "Dates: " + "2022-11-11 " * 1800, "At " + "12:30 " * 3300 + "today.", "Rates: " + "12 % " * 4000,
        "A " + "." * 20_000 + " b.", "On " + "Monday, Tuesday and " * 1000 + "it happened.")) + "\n",
        encoding="utf-8")
    (corpus / NOT_UTF8_NAME).write_text("A report whose file name came from a Windows zip.\n", encoding="utf-8")
    (corpus / "two\nlines.txt").write_text("A report whose file name holds a newline.\n", encoding="utf-8")
    (corpus / ".hidden.txt").write_text("A hidden file.\n", encoding="utf-8")
    (outside / "secret.yml").write_text("title: SECRET-SETTINGS-OUTSIDE\n", encoding="utf-8")
    (corpus / "dossier.yml").symlink_to(outside / "secret.yml")
    (corpus / "entities.yml").write_text("merge: " + "[" * 20_000 + "]" * 20_000 + "\n", encoding="utf-8")
    if with_big_article:
        (corpus / "big.txt").write_text(big_article(), encoding="utf-8")
    rng = random.Random(2)
    (corpus / "long-line.txt").write_text(
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyzæøå0123456789") for _ in range(LONG_LINE_CHARS))
        + "\n\nA normal paragraph after the long line.\n", encoding="utf-8")
    (corpus / "huge-front-matter.md").write_text(
        "---\n" + "".join(f"key{i}: value {i}\n" for i in range(6_000)) + "---\nBody after huge front matter.\n",
        encoding="utf-8")
    (corpus / "link-to-outside.txt").symlink_to(outside / "secret.txt")
    (corpus / "linked-folder").symlink_to(outside, target_is_directory=True)
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)
    (corpus / "folder.txt").mkdir()
    (corpus / "folder.txt" / "inside.txt").write_text("An article in a folder whose name ends in .txt.\n",
                                                      encoding="utf-8")
    unreadable = corpus / "unreadable.txt"
    unreadable.write_text("You should not be able to read this file.\n", encoding="utf-8")
    unreadable.chmod(0)
    (corpus / "tiny").mkdir()
    for i in range(TINY_FILES):
        (corpus / "tiny" / f"{i:04d}.txt").write_text(f"Tiny report number {i}.\n", encoding="utf-8")
    return made


def readable(path: Path) -> bool:
    """Whether this process can read the file (root can read a chmod 000 file)."""
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False


def restore_permissions(corpus: Path) -> None:
    """So that pytest can clean the temporary folder up."""
    for path in corpus.rglob("*"):
        if not path.is_symlink() and path.is_file():
            os.chmod(path, 0o644)
