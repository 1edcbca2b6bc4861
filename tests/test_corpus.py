"""Reading files as users have them: encodings, front matter, date markers, bad input."""

import datetime as dt
from pathlib import Path

from builder.corpus import load_corpus, parse_stated_date, split_date_marker
from builder.pipeline import build_dossier
from conftest import CORPUS, SEEDS, TODAY


def load(tmp_path, files: dict[str, bytes]):
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return load_corpus(tmp_path, TODAY)


def messages(problems):
    return [str(p) for p in problems]


def test_corpus_holds_the_seed_articles_unchanged():
    for seed in sorted(SEEDS.glob("*.txt")):
        assert (CORPUS / seed.name).read_bytes() == seed.read_bytes()


def test_seeds_load_without_problems():
    sources, problems = load_corpus(CORPUS, TODAY)
    assert len(sources) == 5
    assert problems == []


def test_date_marker_is_split_from_the_first_paragraph():
    assert split_date_marker(" date 2022-11 I en kunngjøring") == (" date 2022-11 ", "I en kunngjøring")
    assert split_date_marker(" date 2022-11-11   1. Skip to content") == (" date 2022-11-11   ", "1. Skip to content")
    assert split_date_marker("The date was set") == ("", "The date was set")


def test_month_only_date_is_kept_as_the_bound_of_the_inferred_day(seed_dossier):
    norwegian = [a for a in seed_dossier.articles if a.file.startswith("000_")][0]
    assert norwegian.date_marker.strip() == "date 2022-11"
    assert (norwegian.date.value, norwegian.date_precision, norwegian.date.inferred) == ("2022-11-11", "day", True)
    assert "within the stated month 2022-11" in norwegian.date.method


def test_impossible_and_future_dates_are_reported_with_file_and_line():
    problems = []
    assert parse_stated_date("2022-13-45", "a.md", 3, TODAY, problems) is None
    assert parse_stated_date("2031-01-01", "a.md", 4, TODAY, problems).value == "2031-01-01"
    assert parse_stated_date(dt.date(2022, 2, 28), "a.md", 5, TODAY, problems).precision == "day"
    assert [str(p) for p in problems] == [
        "a.md:3: error: impossible date '2022-13-45' (month must be in 1..12): ignored",
        "a.md:4: warning: date 2031-01-01 is in the future",
    ]


def test_front_matter_fields_are_read(tmp_path):
    sources, problems = load(tmp_path, {"a.md": "---\ntitle: T\noutlet: O\ndate: 2024-10-31\ntags: [x, y]\n---\nBody text here.\n".encode()})
    assert problems == []
    assert sources[0].front_matter == {"title": "T", "outlet": "O", "date": "2024-10-31", "tags": ["x", "y"]}
    assert sources[0].body == "Body text here.\n"
    assert sources[0].body_line == 7


def test_broken_yaml_names_the_line_and_keeps_the_text(tmp_path):
    sources, problems = load(tmp_path, {"b.md": b"---\ntitle: ok\noutlet: [unclosed\n---\nText survives.\n"})
    assert len(sources) == 1 and sources[0].body == "Text survives.\n"
    assert "---\ntitle: ok" in sources[0].front_matter_text
    assert messages(problems)[0].startswith("b.md:4: error: front matter is not valid YAML")


def test_unclosed_front_matter_is_read_as_text(tmp_path):
    sources, problems = load(tmp_path, {"c.txt": b"---\ntitle: never closed\nText.\n"})
    assert sources[0].body.startswith("---\ntitle")
    assert messages(problems) == ["c.txt:1: error: front matter opened with '---' but never closed; read as text"]


def test_yaml_aliases_are_refused(tmp_path):
    bomb = b"---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\nText.\n"
    sources, problems = load(tmp_path, {"bomb.md": bomb})
    assert sources[0].front_matter == {}
    assert "aliases are not allowed" in messages(problems)[0]
    assert messages(problems)[0].startswith("bomb.md:3: error")


def test_unknown_front_matter_keys_are_warned_about_not_used(tmp_path):
    sources, problems = load(tmp_path, {"d.md": b"---\nid: ../../etc\nslug: ../x\n---\nText.\n"})
    assert sources[0].front_matter == {}
    assert [p.line for p in problems] == [2, 3]
    assert all("unknown front matter key" in m for m in messages(problems))


def test_bad_bytes_are_reported_and_the_rest_still_builds(tmp_path):
    files = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n",
        "binary.txt": bytes(range(256)) * 4,
        "latin1.txt": "Line one.\nCaf\xe9 au lait \x80 in Oslo.\n".encode("latin-1"),
        "bom_crlf.txt": b"\xef\xbb\xbfFirst paragraph.\r\n\r\nSecond paragraph.\r\n",
        "nul.txt": b"Text with a \x00 NUL byte in it.\n",
        "good.txt": b"A perfectly ordinary article about a storm.\n",
    }
    sources, problems = load(tmp_path, files)
    by_file = {s.path: s for s in sources}
    assert sorted(by_file) == ["bom_crlf.txt", "good.txt", "latin1.txt", "nul.txt"]
    assert by_file["latin1.txt"].text == "Line one.\nCafé au lait € in Oslo.\n"
    assert by_file["bom_crlf.txt"].text == "First paragraph.\n\nSecond paragraph.\n"
    assert "\u2400" in by_file["nul.txt"].text
    found = messages(problems)
    assert "binary.txt:1: error: binary data, not text: skipped" in found
    assert "empty.txt:1: warning: empty file (no text): skipped" in found
    assert "blank.txt:1: warning: empty file (no text): skipped" in found
    assert "latin1.txt:2: warning: not valid UTF-8 (byte 0xe9); decoded as cp1252" in found


def test_same_file_name_in_two_folders_gives_two_articles(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(f"Story from folder {folder}, with some words.\n")
    dossier = build_dossier(tmp_path, TODAY)
    assert sorted(a.id for a in dossier.articles) == ["a-story", "b-story"]


def test_non_article_files_are_skipped_with_a_warning(tmp_path):
    sources, problems = load(tmp_path, {"photo.jpg": b"\xff\xd8\xff", "a.txt": b"Words here.\n"})
    assert [s.path for s in sources] == ["a.txt"]
    assert messages(problems)[0].startswith("photo.jpg:0: warning: skipped")


def test_an_unreadable_file_is_reported_not_raised(tmp_path, monkeypatch):
    (tmp_path / "locked.txt").write_text("Words nobody may read.\n")
    (tmp_path / "open.txt").write_text("Words anybody may read.\n")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    sources, problems = load_corpus(tmp_path, TODAY)
    assert [s.path for s in sources] == ["open.txt"]
    assert messages(problems) == ["locked.txt:0: error: cannot be read (Permission denied): skipped"]


def test_utf16_without_byte_order_mark_is_read_as_text(tmp_path):
    sources, problems = load(tmp_path, {"le.txt": "Østfold, ærlig.\n".encode("utf-16-le"),
                                        "be.txt": "Østfold, ærlig.\n".encode("utf-16-be")})
    assert [s.text for s in sources] == ["Østfold, ærlig.\n"] * 2
    assert messages(problems) == ["be.txt:1: warning: no byte order mark; decoded as utf-16-be",
                                  "le.txt:1: warning: no byte order mark; decoded as utf-16-le"]


def test_invisible_only_file_is_skipped_and_bidi_overrides_are_flagged(tmp_path):
    sources, problems = load(tmp_path, {"zw.txt": "\u200b\u2060\n\ufeff\n".encode(),
                                        "rlo.txt": "Plain first line.\nThen \u202etxt.exe reversed.\n".encode()})
    assert [s.path for s in sources] == ["rlo.txt"]
    assert messages(problems) == [
        "rlo.txt:2: warning: bidirectional control character U+202E kept; each paragraph is shown isolated "
        "so it cannot reorder the page around it",
        "zw.txt:1: warning: no visible text (only invisible format characters): skipped",
    ]


def test_article_ids_spell_any_script_in_latin_letters_and_stay_put_as_files_come_and_go():
    from builder.pipeline import article_ids
    ids = article_ids(["Ünïcödé.txt", "Россия.txt", "?.txt", "article.txt", "a/b.txt", "a-b.txt", "index.txt"])
    assert ids == {"Ünïcödé.txt": "unicode", "Россия.txt": "rossiya", "article.txt": "article", "?.txt": "article-2",
                   "a-b.txt": "a-b", "a/b.txt": "a-b-2", "index.txt": "index-2"}
    assert article_ids(["Россия.txt", "Україна.txt"])["Россия.txt"] == ids["Россия.txt"]


def test_a_key_given_twice_and_an_impossible_time_are_reported_with_their_lines(tmp_path):
    from builder.corpus import load_corpus
    (tmp_path / "dup.md").write_text("---\ntitle: First title\ndate: 2022-11-11\ntitle: Second title\n---\n"
                                     "The council said on Monday that the bridge would reopen.\n", encoding="utf-8")
    (tmp_path / "time.md").write_text('---\ndate: "2022-11-11 25:61:00+99:99"\n---\n'
                                      "The council said on Monday that the bridge would reopen.\n", encoding="utf-8")
    (tmp_path / "fine.md").write_text('---\ndate: "2022-11-11 09:42:00+01:00"\n---\n'
                                      "The council said on Monday that the bridge would reopen.\n", encoding="utf-8")
    dossier = build_dossier(tmp_path, TODAY)
    assert sorted(str(p) for p in dossier.problems) == [
        "dup.md:2: warning: 'title' is given twice (lines 2 and 4): the second is used",
        "time.md:2: warning: impossible time in date '2022-11-11 25:61:00+99:99': the day alone is used",
    ]
    assert {a.file: a.title.value for a in dossier.articles}["dup.md"] == "Second title"
