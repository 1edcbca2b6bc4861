"""Stage 1: read the corpus folder into decoded source files, never giving up on one.

Whatever is wrong with a file (empty, binary, not UTF-8, broken front matter) is
reported as a Problem naming the file and line; the file is kept wherever its text
can be recovered, so nothing the user supplied is silently lost.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from builder.model import ERROR, WARNING, Problem, SourceFile

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".text")
# Optional files a user edits to steer the build; they are not articles.
CONFIG_FILES = ("dossier.yml", "dossier.yaml", "entities.yml", "claims.yml")
FRONT_MATTER_KEYS = ("title", "outlet", "url", "date", "language", "translated_from", "tags")
MAX_FRONT_MATTER_CHARS = 64_000
# Overrides and isolates (U+202A-U+202E, U+2066-U+2069): they can make text display
# in another order than it is stored ("Trojan Source").
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
ANY_WORD = re.compile(r"\w")  # quick test before counting visible characters one by one
LARGE_FILE_BYTES = 2_000_000
DATE_MARKER = re.compile(r"^[ \t]*date[ \t]+(?P<value>\S+)[ \t]*")
ISO_DATE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?))?)?)?$"
)


@dataclass(frozen=True)
class StatedDate:
    """A date as an ISO string cut to its precision ("2022", "2022-11", "2022-11-11")."""

    value: str
    precision: str


def load_corpus(corpus_dir: Path, today: dt.date) -> tuple[list[SourceFile], list[Problem]]:
    """Every readable article file under `corpus_dir`, sorted by path, and the problems met."""
    problems: list[Problem] = []
    sources: list[SourceFile] = []
    if not corpus_dir.is_dir():
        return [], [Problem(str(corpus_dir), 0, ERROR, "corpus folder not found")]
    labels: set[str] = set()
    for path in sorted(_article_paths(corpus_dir, problems), key=lambda p: os.fsencode(p.as_posix())):
        rel = file_label(path.relative_to(corpus_dir).as_posix(), problems, labels)
        source = read_source(path, rel, problems)
        if source is not None:
            sources.append(source)
    return sources, problems


def file_label(rel: str, problems: list[Problem], taken: set[str] | None = None) -> str:
    """The name a file is shown and reported by: its path, with bytes that are no UTF-8
    (a name from a Windows zip) read as cp1252 and control characters written as
    escapes, so that every message stays one line; made unique among `taken`."""
    label = rel
    notes = []
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        label = os.fsencode(rel).decode("cp1252", errors="replace")
        notes.append("the file name is not UTF-8: shown as read in cp1252")
    if FILE_NAME_CONTROLS.search(label):
        label = FILE_NAME_CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), label)
        notes.append("the file name has control characters: shown escaped")
    if taken is not None:
        base, n = label, 2
        while label in taken:
            label, n = f"{base} ({n})", n + 1
        taken.add(label)
    for note in notes:
        problems.append(Problem(label, 0, WARNING, note))
    return label


FILE_NAME_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _article_paths(corpus_dir: Path, problems: list[Problem]):
    for path in corpus_dir.rglob("*"):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts):
            if path.is_file() and not any(part.startswith(".") for part in rel.parts[:-1]):
                problems.append(Problem(file_label(rel.as_posix(), []), 0, WARNING, "hidden file skipped"))
            continue
        if path.is_symlink():
            problems.append(Problem(file_label(rel.as_posix(), []), 0, WARNING, "symbolic link skipped"))
            continue
        if not path.is_file():
            continue
        if rel.as_posix() in CONFIG_FILES:
            continue
        if path.suffix.lower() not in ARTICLE_SUFFIXES:
            problems.append(
                Problem(file_label(rel.as_posix(), []), 0, WARNING,
                        f"skipped: '{file_label(path.suffix or path.name, [])}' is not an article type "
                        f"({', '.join(ARTICLE_SUFFIXES)})")
            )
            continue
        yield path


def read_source(path: Path, rel: str, problems: list[Problem]) -> SourceFile | None:
    """Decode one file and split off its front matter; None if nothing usable is in it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(rel, 0, ERROR, f"cannot be read ({exc.strerror or exc}): skipped"))
        return None
    if len(data) > LARGE_FILE_BYTES:
        problems.append(Problem(rel, 1, WARNING, f"large file ({len(data):,} bytes); built anyway"))
    text, encoding = decode(data, rel, problems)
    if text is None:
        return None
    if not text.strip():
        problems.append(Problem(rel, 1, WARNING, "empty file (no text): skipped"))
        return None
    if not ANY_WORD.search(text) and not visible_text(text):
        problems.append(Problem(rel, 1, WARNING, "no visible text (only invisible format characters): skipped"))
        return None
    bidi = BIDI_CONTROLS.search(text)
    if bidi:
        problems.append(
            Problem(rel, text[: bidi.start()].count("\n") + 1, WARNING,
                    f"bidirectional control character U+{ord(bidi.group()):04X} kept; each paragraph is "
                    "shown isolated so it cannot reorder the page around it"))
    fm_text, fm, body, body_line = split_front_matter(text, rel, problems)
    if not body.strip():
        problems.append(Problem(rel, body_line, WARNING, "no article text after the front matter"))
    return SourceFile(rel, text, encoding, fm_text, fm, body, body_line)


def decode(data: bytes, rel: str, problems: list[Problem]) -> tuple[str | None, str]:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252/latin-1.

    Binary data is refused; control characters that would vanish in HTML are made
    visible rather than dropped.
    """
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    elif _looks_utf16(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        text = data.decode(encoding, errors="replace")
        problems.append(Problem(rel, 1, WARNING, f"no byte order mark; decoded as {encoding}"))
    else:
        if _looks_binary(data):
            problems.append(Problem(rel, 1, ERROR, "binary data, not text: skipped"))
            return None, ""
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            text = data.decode("cp1252", errors="strict") if _is_cp1252(data) else data.decode("latin-1")
            encoding = "cp1252" if _is_cp1252(data) else "latin-1"
            problems.append(
                Problem(rel, line, WARNING,
                        f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); decoded as {encoding}")
            )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(Problem(rel, line, WARNING, "NUL characters shown as \u2400"))
        text = text.replace("\x00", "\u2400")
    return text, encoding


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.count(b"\x00") > max(2, len(head) // 100):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.1


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte order mark: text whose every other byte is NUL."""
    head = data[:4096]
    if len(head) < 8 or len(head) % 2:
        return False
    odd, even = head[1::2], head[0::2]
    for nuls, other in ((odd, even), (even, odd)):
        if nuls.count(0) >= 0.9 * len(nuls) and other.count(0) == 0:
            return True
    return False


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def split_front_matter(text: str, rel: str, problems: list[Problem]) -> tuple[str, dict, str, int]:
    """(raw front matter block, parsed mapping, body, 1-based line where body starts)."""
    if not (text.startswith("---\n") or text.startswith("---\r")):
        return "", {}, text, 1
    match = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[4:], flags=re.M)
    if match is None:
        problems.append(Problem(rel, 1, ERROR, "front matter opened with '---' but never closed; read as text"))
        return "", {}, text, 1
    end = 4 + match.end()
    block = text[:end]
    body = text[end + 1:] if text[end:end + 1] == "\n" else text[end:]
    body_line = block.count("\n") + 2
    yaml_text = text[4:4 + match.start()]
    return block, parse_front_matter(yaml_text, rel, problems), body, body_line


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases (no 'billion laughs') and leaves
    dates as text, so an impossible date is reported by the builder, not by YAML."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "aliases are not allowed in front matter", event.start_mark)
        return super().compose_node(parent, index)


def parse_front_matter(yaml_text: str, rel: str, problems: list[Problem]) -> dict:
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        problems.append(Problem(rel, 2, ERROR, f"front matter longer than {MAX_FRONT_MATTER_CHARS:,} characters: ignored"))
        return {}
    try:
        data = yaml.load(yaml_text, Loader=_NoAliasLoader)  # noqa: S506 - safe loader subclass
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 2
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(Problem(rel, line, ERROR, f"front matter is not valid YAML ({reason}): ignored"))
        return {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(rel, 2, ERROR, "front matter must be a mapping of keys to values: ignored"))
        return {}
    _report_repeated_keys(yaml_text, rel, problems)
    clean: dict = {}
    for key, value in data.items():
        line = _key_line(yaml_text, str(key))
        if key not in FRONT_MATTER_KEYS:
            problems.append(
                Problem(rel, line, WARNING,
                        f"unknown front matter key '{key}' ignored (known: {', '.join(FRONT_MATTER_KEYS)})"))
            continue
        if key == "tags":
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(t, (str, int, float)) for t in value):
                problems.append(Problem(rel, line, ERROR, "'tags' must be a list of words: ignored"))
                continue
            clean[key] = [str(t) for t in value]
        elif key == "date":
            clean[key] = value
        elif isinstance(value, (str, int, float)):
            clean[key] = str(value)
        else:
            problems.append(Problem(rel, line, ERROR, f"'{key}' must be text, not {type(value).__name__}: ignored"))
    return clean


TOP_LEVEL_KEY = re.compile(r"^([^\s#:'\"][^:]*?)\s*:(?:\s|$)", re.MULTILINE)


def _report_repeated_keys(yaml_text: str, rel: str, problems: list[Problem]) -> None:
    """A key written twice keeps only its last value (YAML says so): the first is reported."""
    seen: dict[str, int] = {}
    for match in TOP_LEVEL_KEY.finditer(yaml_text):
        key = match.group(1)
        line = yaml_text.count("\n", 0, match.start()) + 2  # line 1 is the opening '---'
        if key in seen:
            problems.append(Problem(rel, seen[key], WARNING,
                                    f"'{key}' is given twice (lines {seen[key]} and {line}): the second is used"))
        seen[key] = line


def read_config(corpus_dir: Path, name: str, problems: list[Problem]) -> tuple[object, str] | None:
    """An optional YAML file a user edits in the corpus folder (dossier.yml,
    entities.yml, claims.yml): (data, text), or None when absent or unreadable, with
    the reason reported as `name:line: message`. Aliases are refused, as in front matter."""
    path = corpus_dir / name
    if path.is_symlink():  # (reported with the corpus's other links; never read: it may point anywhere)
        return None
    if not path.is_file():
        return None
    if path.stat().st_size > MAX_CONFIG_BYTES:
        problems.append(Problem(name, 1, ERROR, f"larger than {MAX_CONFIG_BYTES:,} bytes: ignored"))
        return None
    sink: list[Problem] = []
    try:
        text, _ = decode(path.read_bytes(), name, sink)
    except OSError as exc:
        problems.append(Problem(name, 0, ERROR, f"cannot be read ({exc.strerror or exc}): ignored"))
        return None
    problems.extend(sink)
    if text is None:
        return None
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - safe loader subclass
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
        if isinstance(exc, RecursionError):
            reason = "nested too deeply"
        problems.append(Problem(name, mark.line + 1 if mark else 1, ERROR, f"not valid YAML ({reason}): ignored"))
        return None
    return data, text


MAX_CONFIG_BYTES = 5_000_000  # a settings file a person edits


def _key_line(yaml_text: str, key: str) -> int:
    match = re.search(rf"^{re.escape(key)}\s*:", yaml_text, flags=re.M)
    return yaml_text[: match.start()].count("\n") + 2 if match else 2


def parse_stated_date(value, rel: str, line: int, today: dt.date, problems: list[Problem]) -> StatedDate | None:
    """A date from front matter or a date marker, checked for impossible and future values."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        stated = StatedDate(value.isoformat(), "day")
    else:
        match = ISO_DATE.match(str(value).strip())
        if not match:
            problems.append(Problem(rel, line, ERROR, f"date '{value}' is not YYYY, YYYY-MM or YYYY-MM-DD: ignored"))
            return None
        year, month, day = match["y"], match["m"], match["d"]
        if match["time"] and not _possible_time(match["time"]):
            problems.append(Problem(rel, line, WARNING, f"impossible time in date '{value}': the day alone is used"))
        try:
            if day:
                stated = StatedDate(dt.date(int(year), int(month), int(day)).isoformat(), "day")
            elif month:
                if not 1 <= int(month) <= 12:
                    raise ValueError("month must be in 1..12")
                stated = StatedDate(f"{int(year):04d}-{int(month):02d}", "month")
            else:
                stated = StatedDate(f"{int(year):04d}", "year")
        except ValueError as exc:
            problems.append(Problem(rel, line, ERROR, f"impossible date '{value}' ({exc}): ignored"))
            return None
    if stated.value[:4] < "1800":
        problems.append(Problem(rel, line, WARNING, f"date {stated.value} is implausibly early for a news article"))
    if stated.value > today.isoformat()[: len(stated.value)]:
        problems.append(Problem(rel, line, WARNING, f"date {stated.value} is in the future"))
    return stated


def _possible_time(text: str) -> bool:
    """"09:42", "09:42:07.5+01:00", "23:59:60Z" (a leap second); not "25:61" or an offset past ±14:00."""
    clock = re.match(r"(\d{2}):(\d{2})(?::(\d{2}))?", text)
    offset = re.search(r"[+-](\d{2}):?(\d{2})$", text)
    return (int(clock[1]) <= 23 and int(clock[2]) <= 59 and int(clock[3] or 0) <= 60
            and (not offset or (int(offset[1]) <= 14 and int(offset[2]) <= 59)))


def split_date_marker(first_line: str) -> tuple[str, str]:
    """(marker, rest) for a first line such as ' date 2022-11 I en kunngjøring …'."""
    match = DATE_MARKER.match(first_line)
    if not match or not re.match(r"^\d{4}", match["value"]):
        return "", first_line
    return first_line[: match.end()], first_line[match.end():]


def visible_text(text: str) -> str:
    """Text with invisible format characters counted out, for checks of emptiness."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Zs", "Cc"))
