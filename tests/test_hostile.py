"""The whole builder against a corpus of broken and hostile files, end to end.

For every bad input: a `file:line: message`, no traceback, no hang, bounded
memory, nothing written outside the output folder, every other article built,
and every character of a readable file on its article page.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CORPUS, REPO
from builder.corpus import read_source
from builder.pipeline import article_job
from conftest import TODAY
from builder.corpus import file_label
from hostile_corpus import (HOSTILE, NOT_UTF8_LABEL, TINY_FILES, big_article, make_hostile_corpus, readable,
                            restore_permissions)
from test_site import source_text, squeeze

BUILD_TIMEOUT = 420  # seconds; a hang fails the test rather than the CI run
PEAK_RSS_LIMIT_MB = 2048
PROBLEM_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<severity>error|warning): (?P<message>.+)$")

# What the builder must say about each bad file (a part of the message).
EXPECTED_PROBLEMS = {
    "empty.txt": "empty file (no text): skipped",
    "whitespace-only.txt": "empty file (no text): skipped",
    "zero-width-only.txt": "no visible text (only invisible format characters): skipped",
    "binary.txt": "binary data, not text: skipped",
    "latin-1.txt": "not valid UTF-8 (byte 0xf8); decoded as cp1252",
    "cp1252.txt": "not valid UTF-8 (byte 0x93); decoded as cp1252",
    "invalid-utf8.txt": "not valid UTF-8 (byte 0xed); decoded as cp1252",
    "utf16le-no-bom.txt": "no byte order mark; decoded as utf-16-le",
    "nul-bytes.txt": "NUL characters shown as \u2400",
    "rtl-bidi.txt": "bidirectional control character U+202E kept",
    "broken-yaml.md": "front matter is not valid YAML",
    "unclosed-front-matter.md": "front matter opened with '---' but never closed; read as text",
    "yaml-not-a-mapping.md": "front matter must be a mapping of keys to values: ignored",
    "yaml-alias-bomb.md": "aliases are not allowed in front matter",
    "yaml-python-tag.md": "could not determine a constructor for the tag",
    "yaml-deep.md": "front matter is not valid YAML",
    "yaml-wrong-types.md": "'title' must be text, not dict: ignored",
    "huge-front-matter.md": "front matter longer than 64,000 characters: ignored",
    "path-traversal.md": "unknown front matter key 'id' ignored",
    "date-impossible.md": "impossible date '2022-02-30'",
    "date-future.md": "date 2999-01-01 is in the future",
    "date-ancient.md": "date 0001-01-01 is implausibly early",
    "date-last-day.md": "date 9999-12-31 is in the future",
    "date-marker-bad.txt": "impossible date '2022-99-99'",
    "front-matter-only.md": "no article text after the front matter",
    "link-to-outside.txt": "symbolic link skipped",
    "linked-folder": "symbolic link skipped",
    "loop": "symbolic link skipped",
    "README": "is not an article type",
    "photo.JPG": "is not an article type",
    NOT_UTF8_LABEL: "the file name is not UTF-8: shown as read in cp1252",
    "two\\nlines.txt": "the file name has control characters: shown escaped",
    ".hidden.txt": "hidden file skipped",
    "dossier.yml": "symbolic link skipped",
    "entities.yml": "not valid YAML (nested too deeply): ignored",
}


def measured_build(corpus: Path, out: Path) -> tuple[subprocess.CompletedProcess, float]:
    """Build the site; also return the peak RSS (MB) of the builder and everything it ran."""
    wrapper = ("import resource, subprocess, sys\n"
               "r = subprocess.run(sys.argv[1:])\n"
               "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
               "sys.exit(r.returncode)\n")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    result = subprocess.run(
        [sys.executable, "-c", wrapper, sys.executable, "-m", "builder", "build", "--corpus", str(corpus),
         "--site", str(out / "site"), "--work", str(out / "work"), "--no-pdf"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    peak = re.search(r"PEAK_RSS_KB (\d+)", result.stderr)
    return result, int(peak.group(1)) / 1024 if peak else float("nan")


def tree(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """Path → content hash (or link target) of everything under root, symlinks not followed."""
    found = {}
    for path in sorted(root.rglob("*")):
        if any(path == s or s in path.parents for s in skip) or any(p.is_symlink() for p in path.parents
                                                                     if root in p.parents):
            continue
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if readable(path) else "unreadable"
        else:
            found[rel] = "dir"
    return found


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    corpus, outside, out = root / "corpus", root / "outside", root / "out"
    # The 5 MB article has its own tests below: the facts stage is still quadratic on it.
    make_hostile_corpus(corpus, outside, with_big_article=False)
    for seed in sorted(CORPUS.glob("*.txt")):
        shutil.copy(seed, corpus / seed.name)
    before = tree(root)
    repo_before = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=REPO,
                                 capture_output=True, text=True).stdout
    result, peak_mb = measured_build(corpus, out)
    after = tree(root, skip=(out,))
    repo_after = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=REPO,
                                capture_output=True, text=True).stdout
    yield {"root": root, "corpus": corpus, "site": out / "site", "result": result, "peak_mb": peak_mb,
           "before": before, "after": after, "repo_before": repo_before, "repo_after": repo_after}
    restore_permissions(corpus)


@pytest.fixture(scope="module")
def built(hostile_build):
    site = hostile_build["site"]
    assert hostile_build["result"].returncode == 0, hostile_build["result"].stderr[-3000:]
    return json.loads((site / "dossier.json").read_text(encoding="utf-8"))


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith(("PEAK_RSS_KB", "built "))]


def test_build_finishes_without_a_traceback_within_bounds(hostile_build, built):
    stderr = hostile_build["result"].stderr
    assert "Traceback" not in stderr
    assert hostile_build["peak_mb"] < PEAK_RSS_LIMIT_MB


def test_every_message_is_file_line_severity_message(hostile_build, built):
    lines = problem_lines(hostile_build["result"].stderr)
    assert lines
    assert [line for line in lines if not PROBLEM_LINE.match(line)] == []


def test_each_bad_file_is_named_with_a_clear_message(hostile_build, built):
    lines = problem_lines(hostile_build["result"].stderr)
    for file, message in EXPECTED_PROBLEMS.items():
        assert any(line.startswith(f"{file}:") and message in line for line in lines), (file, message)


def test_every_file_is_either_built_or_reported(hostile_build, built):
    corpus = hostile_build["corpus"]
    reported = {PROBLEM_LINE.match(line)["file"] for line in problem_lines(hostile_build["result"].stderr)}
    built_files = {a["file"] for a in built["articles"]}
    for path in sorted(corpus.rglob("*")):
        rel = path.relative_to(corpus)
        if any(part.startswith(".") for part in rel.parts[:-1]) or any(p.is_symlink() for p in path.parents):
            continue
        if path.is_file() or path.is_symlink():
            assert file_label(rel.as_posix(), []) in built_files | reported, rel


def test_every_good_article_is_still_built(hostile_build, built):
    files = {a["file"] for a in built["articles"]}
    for seed in sorted(CORPUS.glob("*.txt")):
        assert seed.name in files
    assert sum(1 for f in files if f.startswith("tiny/")) == TINY_FILES
    for name in ("a/same-name.txt", "b/same-name.txt", "index.txt", "INDEX.TXT", "folder.txt/inside.txt",
                 "a/b/c/d/e/f/g/deeply nested.txt", "\u00c6rlig talt \u2013 \u00f1o\u00f1o.txt",
                 "long-line.txt", "utf16-bom.txt", "utf16le-no-bom.txt", "markup.md", "path-traversal.md",
                 "yaml-deep.md", "yaml-alias-bomb.md"):
        assert name in files, name
    ids = [a["id"] for a in built["articles"]]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) and i != "index" for i in ids)
    for a in built["articles"]:
        assert (hostile_build["site"] / "articles" / f"{a['id']}.html").is_file(), a["file"]


def decoded(path: Path, encoding: str) -> str:
    """The file's text as the builder should have kept it, decoded independently."""
    data = path.read_bytes()
    text = data.decode("utf-16" if encoding == "utf-16" else encoding)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\u2400")


def test_every_character_of_every_readable_file_reaches_its_page(hostile_build, built):
    site, corpus = hostile_build["site"], hostile_build["corpus"]
    lost = []
    on_disk = {file_label(p.relative_to(corpus).as_posix(), []): p for p in corpus.rglob("*")}
    for a in built["articles"]:
        page = (site / "articles" / f"{a['id']}.html").read_text(encoding="utf-8")
        expected = squeeze(decoded(on_disk[a["file"]], a["encoding"]))
        shown = squeeze(source_text(page))
        if shown != expected:
            at = next((i for i, (x, y) in enumerate(zip(shown, expected)) if x != y), min(len(shown), len(expected)))
            lost.append((a["file"], repr(expected[max(0, at - 20):at + 20]), repr(shown[max(0, at - 20):at + 20])))
    assert lost == []


def test_nothing_is_written_outside_the_output_folder(hostile_build, built):
    assert hostile_build["after"] == hostile_build["before"]
    assert hostile_build["repo_after"] == hostile_build["repo_before"]
    assert not Path("/tmp/pwned-by-yaml").exists()
    site = hostile_build["site"]
    assert not any("escaped" in p.name for p in site.rglob("*"))
    assert all(site in p.resolve().parents for p in site.rglob("*"))


def test_symbolic_links_out_of_the_corpus_are_not_followed(hostile_build, built):
    assert not any(a["file"].startswith(("link-to-outside", "linked-folder", "loop/")) for a in built["articles"])
    assert "SECRET-SETTINGS-OUTSIDE" not in built["title"]  # dossier.yml, a link out of the corpus
    site = hostile_build["site"]
    secret = (hostile_build["root"] / "outside" / "secret.txt").read_text(encoding="utf-8").strip()
    assert secret not in (site / "dossier.json").read_text(encoding="utf-8")


def test_hostile_committed_fixtures_are_the_bytes_they_claim():
    """Guards against git or an editor normalising the fixtures (see .gitattributes)."""
    assert (HOSTILE / "bom-crlf.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in (HOSTILE / "bom-crlf.txt").read_bytes()
    assert b"\x00" in (HOSTILE / "nul-bytes.txt").read_bytes()
    assert (HOSTILE / "cr-only.txt").read_bytes().count(b"\r") == 4


def test_a_failed_mkdocs_build_leaves_the_previous_site_untouched(tmp_path):
    """Build aside, then swap: a broken config must not leave a half-written site/."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    shutil.copy(REPO / "mkdocs.yml", checkout / "mkdocs.yml")
    shutil.copytree(REPO / "docs", checkout / "docs")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A short article about a bridge that was repaired on Monday.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"}

    def build(site: Path) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "builder", "build", "--corpus", str(corpus), "--site", str(site),
                               "--work", str(tmp_path / "work"), "--no-pdf"],
                              cwd=checkout, env=env, capture_output=True, text=True, timeout=300)

    site = tmp_path / "out" / "site"
    assert build(site).returncode == 0
    good = tree(site)
    assert "articles/a.html" in good
    (corpus / "b.txt").write_text("A second article that must not appear in a failed build.\n", encoding="utf-8")
    text = (checkout / "mkdocs.yml").read_text(encoding="utf-8")
    (checkout / "mkdocs.yml").write_text(text.replace("plugins:\n", "plugins:\n  - no-such-plugin\n"), encoding="utf-8")
    failed = build(site)
    assert failed.returncode == 2
    assert "mkdocs build failed" in failed.stderr and "Traceback" not in failed.stderr.split("mkdocs build failed")[0]
    assert tree(site) == good
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]
    fresh = tmp_path / "never-built" / "site"
    assert build(fresh).returncode == 2
    assert not fresh.exists() and list(fresh.parent.iterdir()) == []


def test_a_5mb_article_is_split_tagged_and_kept_whole_in_bounded_time(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(big_article(), encoding="utf-8")
    problems = []
    source = read_source(path, "big.txt", problems)
    assert [str(p) for p in problems] == ["big.txt:1: warning: large file (5,000,277 bytes); built anyway"]
    started = time.perf_counter()
    article, found = article_job((source, "big", TODAY, None))
    assert time.perf_counter() - started < 120
    assert found == [] and len(article.paragraphs) > 10_000
    assert squeeze("".join(p.text for p in article.paragraphs)) == squeeze(path.read_text(encoding="utf-8"))


def test_a_5mb_article_builds_end_to_end_within_the_time_limit(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "big.txt").write_text(big_article(), encoding="utf-8")
    result, peak_mb = measured_build(corpus, tmp_path / "out")
    assert result.returncode == 0 and peak_mb < PEAK_RSS_LIMIT_MB
