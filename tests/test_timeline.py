"""The timeline: dated events per article, merged across articles, on a page and in exports."""

import dataclasses
import json

from builder import timeline
from builder.export import export_dossier
from builder.model import Entity, Mention
from builder.render import render_pages
from builder.site import timelinejs_json
from conftest import article


def entry_with(dossier, file_prefix, paragraph, expression):
    """The timeline entry that holds a given article paragraph's expression."""
    for entry in dossier.timeline:
        for s in entry.sources:
            if s.article.startswith(file_prefix[:3]) and s.paragraph == paragraph and s.expression.text == expression:
                return entry
    raise AssertionError(f"no entry for {file_prefix} p{paragraph} {expression!r}")


def articles_of(entry):
    return sorted({s.article[:3] for s in entry.sources})


def test_seed_chronology_has_background_and_the_dossier_days(seed_dossier):
    background = [e for e in seed_dossier.timeline if e.background]
    main = [e for e in seed_dossier.timeline if not e.background]
    assert {e.date for e in background} >= {"2014", "2022-02-24", "2022-09", "2022-09-21"}
    assert {e.date for e in main} >= {"2022-11-09", "2022-11-10", "2022-11-11"}
    assert all(e.range_end < "2022-11-04" for e in background)
    starts = [(e.range_start) for e in seed_dossier.timeline]
    assert starts == sorted(starts)


def test_annexation_of_2014_is_one_entry_from_two_articles(seed_dossier):
    crimea = entry_with(seed_dossier, "003_", 11, "2014")
    assert articles_of(crimea) == ["003", "004"] and crimea.background and crimea.precision == "year"


def test_start_of_the_invasion_is_one_entry_from_two_articles(seed_dossier):
    feb24 = [e for e in seed_dossier.timeline if e.date == "2022-02-24"]
    assert len(feb24) == 1 and articles_of(feb24[0]) == ["001", "002"]
    assert feb24[0].background


def test_september_mobilisation_and_annexation_are_merged_across_articles(seed_dossier):
    mobilisation = entry_with(seed_dossier, "001_", 16, "September 21")
    assert (mobilisation.date, mobilisation.precision) == ("2022-09-21", "day")
    assert articles_of(mobilisation) == ["001", "002"]  # 002 says only "in September"
    annexation = entry_with(seed_dossier, "001_", 9, "the end of September")
    assert articles_of(annexation) == ["001", "002"]
    assert (annexation.precision, annexation.range_start, annexation.range_end) == ("late month", "2022-09-21", "2022-09-30")


def test_wednesday_announcement_is_merged(seed_dossier):
    wednesday = entry_with(seed_dossier, "002_", 18, "Wednesday")
    assert (wednesday.date, articles_of(wednesday)) == ("2022-11-09", ["001", "002"])


def test_completion_at_five_on_friday_is_one_entry_with_the_time(seed_dossier):
    completion = entry_with(seed_dossier, "001_", 7, "5 am from Moscow")
    assert (completion.date, completion.time) == ("2022-11-11", "05:00+03:00")  # "from Moscow": UTC+3
    assert articles_of(completion) == ["001", "002", "003"]
    assert not completion.background


def test_norwegian_report_keeps_time_and_local_zone(seed_dossier):
    local = entry_with(seed_dossier, "000_", 6, "klokken 5 fredag morgen lokal tid")
    assert (local.date, local.time, local.zone) == ("2022-11-11", "05:00", "lokal tid")
    (source,) = [s for s in local.sources if s.article.startswith("000")]
    assert source.dct == "2022-11-11" and source.dct_inferred  # 000 says only "2022-11"
    assert source.quote.startswith("I en kunngjøring") and source.language == "nb"


def test_each_source_carries_its_sentence_expression_and_publication_date(seed_dossier):
    for entry in seed_dossier.timeline:
        for s in entry.sources:
            a = article(seed_dossier, s.article[:3] + "_")
            text = a.paragraphs[s.paragraph].text
            assert text[s.start:s.end] == s.quote
            assert text[s.expression.start:s.expression.end] == s.expression.text
            assert s.dct == a.date.value


def test_article_events_depend_on_the_article_alone(seed_dossier):
    dw = article(seed_dossier, "003_")
    first = timeline.article_events(dw)
    assert first == timeline.article_events(dw)
    assert {e.article for e in first} == {dw.id}
    assert [e.expression.value for e in first] == ["2022-11-11", "2014", "2022-W45", "2022-11-11", "2022-11-10"]


def test_entities_in_a_sentence_join_the_entry_and_entries_for_lists_them(seed_dossier):
    dw = article(seed_dossier, "003_")
    p = dw.paragraphs[17]  # "Ukraine's President Volodymyr Zelenskyy said late Thursday ..."
    at = p.text.index("Zelenskyy")
    person = Entity("person-1", "Zelenskyy", "person", 1.0, [], [],
                    [Mention(dw.id, p.index, at, at + len("Zelenskyy"), "Zelenskyy")])
    entries = timeline.build_timeline(seed_dossier.articles, [person])
    (listed,) = timeline.entries_for(entries, "person-1")
    assert listed.date == "2022-11-10" and "person-1" in listed.entities
    assert timeline.entries_for(entries, "nobody") == []


def test_timeline_in_dossier_json(seed_dossier):
    records = export_dossier(seed_dossier)["timeline"]
    assert len(records) == len(seed_dossier.timeline)
    record = records[0]
    assert {"date", "time", "precision", "summary", "entities", "sources"} <= set(record)
    assert {"article", "paragraph", "quote", "expression", "value"} <= set(record["sources"][0])
    assert record["sources"][0]["paragraph"].startswith("p")


def test_timelinejs_file_lists_every_entry_with_escaped_text(seed_dossier):
    data = json.loads(timelinejs_json(seed_dossier))
    assert len(data["events"]) == len(seed_dossier.timeline)
    completion = [e for e in data["events"] if e["start_date"].get("hour") == 5]
    assert completion and completion[0]["start_date"]["day"] == 11
    assert all("<script" not in e["text"]["text"] for e in data["events"])


def test_timeline_page_is_chronological_with_links_and_badges(seed_dossier):
    page = render_pages(seed_dossier)["timeline.md"]
    assert page.index('id="background"') < page.index("Wednesday 9 November 2022") \
        < page.index("Thursday 10 November 2022") < page.index("Friday 11 November 2022")
    assert "articles/003-140eb00cdc832ed0.html#p18" in page
    assert "<mark>klokken 5 fredag morgen lokal tid</mark>" in page
    assert "Friday 11 November 2022, 05:00 (local time)" in page  # "lokal tid" in the reader's words
    assert 'class="dossier-lang"' in page and "inferred" in page


def test_timeline_page_says_what_each_date_was_resolved_against(tmp_path):
    """A time dated from the day named before it says so, not "the publication date"."""
    from builder.pipeline import build_dossier
    from conftest import TODAY

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(
        "---\ntitle: Night train stopped\ndate: 2025-03-16\n---\n\n"
        "The night train left Brenkal at 21:00 on 14 March 2025, the operator said.\n\n"
        "A fire started in the second carriage at 2:40 and was put out by the crew.\n", encoding="utf-8")
    page = render_pages(build_dossier(corpus, TODAY))["timeline.md"]
    assert "“21:00 on 14 March 2025” → 2025-03-14T21:00, stated in full" in page
    assert "“2:40” → 2025-03-15T02:40, resolved against the day after the time mentioned before it" in page
    assert "resolved against the publication date 2025-03-16" not in page


def test_a_part_of_the_day_reads_as_words_wherever_a_time_is_shown(other_dossier):
    import re

    night = [e for e in other_dossier.timeline if e.time == "NI"]
    assert night, "the fixture reports a night"
    page = render_pages(other_dossier)["timeline.md"]
    js = json.dumps(timeline.timelinejs("t", other_dossier.timeline, {}), ensure_ascii=False)
    for shown in (page, js):
        assert not re.search(r"\d{4}-\d\d-\d\dT(?:MO|AF|EV|NI)", shown)  # no TIMEX code for readers
    assert f"<code>{night[0].date}, night</code>" in page and "part of the day stated" in page
    assert timeline.readable_value("2024-10-29TMO") == "2024-10-29, morning"
    assert timeline.readable_value("2024-10-29T05:00") == "2024-10-29T05:00"


def test_article_text_on_the_timeline_page_is_escaped(seed_dossier):
    dw = article(seed_dossier, "003_")
    hostile = dataclasses.replace(dw, paragraphs=[dataclasses.replace(p) for p in dw.paragraphs])
    hostile.paragraphs[9].text = "<script>alert(1)</script> Russia's Defense Ministry on Friday said so."
    dossier = dataclasses.replace(seed_dossier, articles=[hostile], entities=[])
    dossier.timeline = timeline.build_timeline(dossier.articles, [])
    page = render_pages(dossier)["timeline.md"]
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_other_event_in_fourteen_languages_gets_its_days(other_dossier):
    days = {e.date for e in other_dossier.timeline}
    assert {"2024-10-29", "2024-10-31"} <= days
    thursday = [e for e in other_dossier.timeline if e.date == "2024-10-31"]
    languages = {s.language for e in thursday for s in e.sources}
    assert {"en", "de", "fr", "nb", "nn", "da", "sv"} <= languages
    nordic = [e for e in thursday if {s.language for s in e.sources} >= {"nb", "nn", "da", "sv"}]
    assert nordic, "the four Nordic reports of the same toll are one entry"


# --- merging at scale: bounded work, the same choice as scoring every candidate --------

def day_report(n: int, keys: tuple[str, ...], day: str = "2024-03-05", clock: str = ""):
    """A report of article a{n} with the given content keys, dated `day` (at `clock`, if given)."""
    from builder.model import EventMention, TimeExpression

    value = f"{day}T{clock}" if clock else day
    expression = TimeExpression("on the day", 0, 10, "TIME" if clock else "DATE", value,
                                "time" if clock else "day", range_start=day, range_end=day)
    return EventMention(article=f"a{n:04d}", paragraph=0, start=0, end=40, quote=f"Report {n} of the day.",
                        language="en", expression=expression, dct=day, dct_inferred=False, entities=(), keys=keys)


def test_a_report_is_scored_against_at_most_candidates_clusters(monkeypatch):
    # 300 reports of one day sharing one word and nothing else: 300 events, and each
    # new report finds every earlier one through the shared word.
    reports = [day_report(n, ("comm",) + tuple(f"u{n:04d}{i}" for i in range(6))) for n in range(300)]
    estimates = []
    original = timeline._Cluster.estimate

    def counted(cluster, report, *args):
        estimates.append(report.event.article)
        return original(cluster, report, *args)

    monkeypatch.setattr(timeline._Cluster, "estimate", counted)
    entries = timeline.merge(reports, "2024-03-05", {k: 1.0 for r in reports for k in r.keys})
    assert len(entries) == 300
    per_report = {}
    for article_id in estimates:
        per_report[article_id] = per_report.get(article_id, 0) + 1
    assert max(per_report.values()) == timeline.CANDIDATES  # the bound is reached, never passed


def test_bounded_choice_is_the_choice_of_scoring_every_candidate():
    import random

    rng = random.Random(7)
    vocabulary = [f"k{i:02d}" for i in range(24)]
    weights = {k: rng.uniform(0.2, 3.0) for k in vocabulary}
    days = ["2024-03-04", "2024-03-05", "2024-03-06"]

    def random_report(n):
        keys = tuple(sorted(rng.sample(vocabulary, rng.randint(2, 9))))
        clock = rng.choice(["", "", "05:00", "17:30"])
        return timeline._Report(day_report(n, keys, rng.choice(days), clock), weights)

    clusters = []
    for n in range(40):
        cluster = timeline._Cluster()
        for m in range(rng.randint(1, 16)):
            cluster.add(random_report(1000 * n + m))
        clusters.append(cluster)
    chosen = 0
    for n in range(400):
        report = random_report(100_000 + n)
        candidates = [(c, cluster, t) for c, cluster in enumerate(clusters) if (t := cluster.threshold(report))]
        scored = [(score, c) for c, cluster, _ in candidates if (score := cluster.score(report)) > 0]
        expected = min(scored, key=lambda sc: (-sc[0], sc[1]))[1] if scored else None
        assert timeline._best_cluster(report, candidates) == expected
        chosen += expected is not None
    assert 40 < chosen < 400  # both outcomes occur


def test_merge_does_not_depend_on_the_order_reports_come_in(seed_dossier, monkeypatch):
    import random

    captured = {}
    original = timeline.merge

    def capture(events, first_publication, weights):
        captured.update(events=events, first=first_publication, weights=weights)
        return original(events, first_publication, weights)

    monkeypatch.setattr(timeline, "merge", capture)
    expected = timeline.build_timeline(seed_dossier.articles, seed_dossier.entities)
    assert expected == seed_dossier.timeline
    shuffled = list(captured["events"])
    random.Random(3).shuffle(shuffled)
    assert original(shuffled, captured["first"], captured["weights"]) == expected


def test_a_capitalised_word_inside_a_sentence_is_found_as_the_pattern_finds_it():
    """_inside_sentence reads back from the word; INSIDE_SENTENCE says what it means."""
    texts = ["Berlin said. Then Paris", "«Oslo» sa Kyiv – og Roma", "x\nY", "a_ B", "9 Ab", "(Ab) Cd",
             "word " + " " * 90 + "Late", "start Here", "Nobody", "« Quoted", "end.\nNext One"]
    for text in texts:
        for start in range(len(text) + 1):
            expected = bool(timeline.INSIDE_SENTENCE.search(text, max(0, start - 80), start))
            assert timeline._inside_sentence(text, start) == expected, (text, start)


def test_a_report_finds_its_event_through_words_other_reports_share():
    # Two reports of one day share ten words; each also has as many words of its own,
    # rarer still: the keys a report looks its event up by must be shared ones.
    shared = tuple(f"s{i:02d}" for i in range(10))
    first = day_report(1, shared + tuple(f"a{i:02d}" for i in range(timeline.CANDIDATE_KEYS)))
    second = day_report(2, shared + tuple(f"b{i:02d}" for i in range(timeline.CANDIDATE_KEYS)))
    weights = {k: 1.0 for k in first.keys + second.keys}
    weights.update({k: 0.9 for k in shared})
    entries = timeline.merge([first, second], "2024-03-05", weights)
    assert [sorted(s.article for s in e.sources) for e in entries] == [["a0001", "a0002"]]


def test_an_entry_takes_the_day_most_of_its_sources_give():
    keys = ("tow", "barge", "lindh", "harbo")
    reports = [day_report(n, keys, "2024-03-06") for n in range(3)] + [day_report(3, keys, "2024-03-05")]
    (entry,) = timeline.merge(reports, "2024-03-05", {k: 1.0 for k in keys})
    assert (entry.date, entry.range_start, entry.conflicts) == ("2024-03-06", "2024-03-06", ["2024-03-05"])


def test_the_same_clock_time_on_the_same_day_joins_reports_in_other_words():
    # two languages: one shared word of little weight, the same day and minute
    weights = {"brek": 0.1, **{k: 1.0 for k in ("fire", "deck", "truc", "nigh", "feu", "pont", "cami", "nuit")}}
    first = day_report(1, ("brek", "fire", "deck", "truc", "nigh"), clock="02:40")
    second = day_report(2, ("brek", "feu", "pont", "cami", "nuit"), clock="02:40")
    assert len(timeline.merge([first, second], "2024-03-05", weights)) == 1


def test_two_clock_times_of_one_day_stay_two_events():
    weights = {k: 1.0 for k in ("capt", "ship", "sign", "shore", "boat", "helo")}
    mayday = day_report(1, ("capt", "ship", "sign", "boat"), clock="03:05")
    ashore = day_report(2, ("capt", "ship", "shore", "helo"), clock="06:15")
    assert len(timeline.merge([mayday, ashore], "2024-03-05", weights)) == 2
    assert len(timeline.merge([mayday, dataclasses.replace(ashore, expression=mayday.expression)], "2024-03-05", weights)) == 1
