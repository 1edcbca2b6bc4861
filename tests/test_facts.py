"""What the sources agree on, dispute and contest: pinned on the seeds and on a
corpus about another event in 14 languages."""

import datetime as dt
import json
import shutil

import pytest
from conftest import CORPUS, TODAY, article

from builder.export import to_json
from builder.facts import article_candidates
from builder.model import AGREED, CONTESTED, DISPUTED
from builder.pipeline import build_dossier
from builder.render import nav, render_pages


def dossier_of(tmp_path, **texts):
    """The dossier of a corpus with one file per keyword: `en="..."` is en.txt."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in texts.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    return build_dossier(corpus, TODAY)


def the_count(dossier, statement_start):
    """The one count fact whose statement starts so."""
    (fact,) = [f for f in dossier.facts if f.kind == "count" and f.statement.startswith(statement_start)]
    return fact


def facts_quoting(dossier, *fragments, status=None):
    """Facts with a source quote containing every fragment (in some source)."""
    found = []
    for fact in dossier.facts:
        quotes = " ".join(s.quote for s in fact.sources)
        if all(f in quotes for f in fragments) and (status is None or fact.status == status):
            found.append(fact)
    return found


def test_about_30000_soldiers_agreed_across_norwegian_and_english(seed_dossier):
    (fact,) = facts_quoting(seed_dossier, "30.000 soldater", "more than 30,000 Russian soldiers")
    assert fact.status == AGREED
    assert {s.language for s in fact.sources} == {"nb", "en"}
    assert fact.independent_sources == 2
    assert {s.value for s in fact.sources} == {"about 30,000", "more than 30,000"}


def test_seven_killed_in_mykolaiv_agreed(seed_dossier):
    (fact,) = facts_quoting(seed_dossier, "killed seven people")
    assert fact.status == AGREED and fact.kind == "count"
    assert len({s.article for s in fact.sources}) >= 2
    assert {s.low for s in fact.sources} == {7}


def test_number_of_settlements_retaken_disputed(seed_dossier):
    (fact,) = facts_quoting(seed_dossier, "a dozen towns", "41 settlements")
    assert fact.status == DISPUTED
    values = {s.value for s in fact.sources}
    assert "about 12" in values and "41" in values


def test_completion_hour_and_time_zone_disputed(seed_dossier):
    (fact,) = [f for f in seed_dossier.facts if f.kind == "time" and f.status == DISPUTED]
    quotes = " ".join(s.quote for s in fact.sources)
    assert "klokken 5 fredag morgen lokal tid" in quotes and "at 5 am from Moscow" in quotes
    assert fact.value == "from Moscow / local time"  # a named zone as written; local time in English
    assert "05:00 lokal tid" in {s.value for s in fact.sources}  # each source's own words


def test_kherson_status_contested_between_kremlin_and_ukraine(seed_dossier):
    (fact,) = [f for f in seed_dossier.facts if f.status == CONTESTED and f.subject == "Kherson"]
    sides = {s.value for s in fact.sources}
    assert sides == {"Russia", "Ukraine"}
    speakers = " ".join(s.speaker for s in fact.sources)
    assert "Peskov" in speakers or "Kremlin" in speakers
    assert "Ukrain" in speakers


def test_russian_claim_that_no_equipment_was_left_contested(seed_dossier):
    facts = facts_quoting(seed_dossier, "Not a single piece of military equipment", status=CONTESTED)
    assert facts
    (fact,) = facts
    roles = {s.role for s in fact.sources}
    assert "claims" in roles and roles & {"disputes", "flags"}
    assert all(s.role != "claims" or "Russia" in fact.value for s in fact.sources)


def test_copies_of_one_wire_story_are_not_independent(seed_dossier):
    (fact,) = facts_quoting(seed_dossier, "300,000 reservists")
    assert fact.status == AGREED and len({s.article for s in fact.sources}) == 2
    assert fact.independent_sources == 1
    assert "not independent" in fact.note


def test_every_quote_is_verbatim_at_its_paragraph(seed_dossier, other_dossier):
    for dossier in (seed_dossier, other_dossier):
        by_id = {a.id: a for a in dossier.articles}
        for fact in dossier.facts:
            for s in fact.sources:
                (p,) = [p for p in by_id[s.article].paragraphs if p.index == s.paragraph]
                assert p.text[s.start:s.end] == s.quote


def test_candidates_are_a_function_of_one_article(seed_dossier):
    art = article(seed_dossier, "000_")
    first, again = article_candidates(art), article_candidates(art)
    assert first == again
    assert all(c.article == art.id for c in first.counts)


def test_other_event_death_toll_in_ten_languages_set_against_the_earlier_figure(other_dossier):
    (fact,) = [f for f in other_dossier.facts if f.kind == "count" and any(s.low == 158 for s in f.sources)]
    languages = {s.language for s in fact.sources if s.low == 158}
    assert len(languages) >= 10
    values = {s.value for s in fact.sources}
    # The Spanish report of the day before gives 95: set against 158, dated.
    assert "at least 95" in values and fact.status == DISPUTED
    assert "2024-10-30" in fact.note


def test_other_event_dozens_missing_agreed(other_dossier):
    facts = [f for f in other_dossier.facts if f.status == AGREED and "missing" in f.statement]
    assert facts
    assert len({s.language for f in facts for s in f.sources}) >= 3


def test_facts_exported_with_their_sources(seed_dossier):
    data = json.loads(to_json(seed_dossier))
    assert data["facts"]
    for fact in data["facts"]:
        assert {"id", "statement", "status", "subject", "sources", "independent_sources"} <= set(fact)
        for s in fact["sources"]:
            assert {"article", "paragraph", "quote", "value", "language"} <= set(s)
            assert s["paragraph"].startswith("p")


def test_summary_page_follows_home_and_links_to_paragraphs(seed_dossier):
    pages = render_pages(seed_dossier)
    entries = nav(seed_dossier, pages, [])
    assert list(entries[0]) == ["Home"] and entries[1] == {"What we know": "summary.md"}
    summary = pages["summary.md"]
    assert 'class="admonition success' in summary and 'class="admonition warning' in summary
    assert 'class="admonition danger' in summary
    assert 'href="articles/004-8f555ae9a8a4bfff.html#p4"' in summary
    assert 'href="summary.html"' in pages["index.md"]


def test_article_text_in_facts_is_escaped(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = 'The ministry said that <script>alert(1)</script> 40 towns were taken on Friday.\n'
    (corpus / "a.txt").write_text(text + "\nLocal officials said that 12 towns were taken.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Officials said 41 towns were taken.\n", encoding="utf-8")
    dossier = build_dossier(corpus, TODAY)
    page = render_pages(dossier)["summary.md"]
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_a_disputed_count_headline_names_five_values_and_counts_the_rest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n, towns in enumerate([40, 12, 41, 55, 63, 70, 88]):
        (corpus / f"{n}.txt").write_text(f"Officials in Lyon said on Friday that {towns} towns were taken.\n", encoding="utf-8")
    (fact,) = facts_quoting(build_dossier(corpus, TODAY), "towns were taken", status=DISPUTED)
    assert fact.statement.endswith(": 12 · 40 · 41 · 55 · 63 and 2 other values — the sources differ")
    assert {s.value for s in fact.sources} == {"12", "40", "41", "55", "63", "70", "88"}


def test_a_count_names_the_people_and_places_around_it_once_as_written(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Mayor Jan Novák said on Friday that 40 houses in Lyon were destroyed by the storm."
                                  "\n\nNovák said the storm was the worst in decades.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Jan Novák, the mayor, said 40 houses in Lyon were destroyed on Friday. "
                                  "Novák visited the site.\n", encoding="utf-8")
    (fact,) = [f for f in facts_quoting(build_dossier(corpus, TODAY), "40 houses", status=AGREED) if f.kind == "count"]
    assert fact.subject.endswith("(Jan Novák, Lyon)")


def test_a_count_names_a_place_once_however_its_sources_spell_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Officials in Kharkiv said 12 bridges were destroyed on Monday.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("In Kharkov, 12 bridges were destroyed, officials in Kharkov said on Monday.\n",
                                  encoding="utf-8")
    dossier = build_dossier(corpus, TODAY)
    (fact,) = [f for f in facts_quoting(dossier, "12 bridges") if f.kind == "count"]
    assert fact.subject.count("Khark") == 1, fact.subject


def test_a_count_is_not_about_the_agency_that_reports_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("LYON, Nov 3 (Reuters) - At least 40 houses in Lyon were destroyed by the storm, "
                                  "Mayor Jan Novák said.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("LYON (Reuters) - The storm destroyed 40 houses in Lyon on Friday.\n", encoding="utf-8")
    dossier = build_dossier(corpus, TODAY)
    assert any(a.value == "Reuters" for art in dossier.articles for a in art.agencies)
    (fact,) = [f for f in facts_quoting(dossier, "40 houses") if f.kind == "count"]
    assert "Lyon" in fact.subject and "Reuters" not in fact.subject


def test_a_measurement_or_a_clock_time_is_not_a_count(tmp_path):
    """"magnitudo 7,8" and "alle 4:17" sit beside "vittime": neither is a death toll
    (the magnitude is a measurement of its own)."""
    dossier = dossier_of(tmp_path, a="Sono oltre 5.000 le vittime del terremoto di magnitudo 7,8 che alle 4:17 "
                                     "ha colpito la Turchia.\n")
    counts = {f.statement: [s.value for s in f.sources] for f in dossier.facts if f.kind == "count"}
    assert counts == {"People killed, Türkiye: more than 5,000": ["more than 5,000"], "Magnitude: 7.8": ["7.8"]}


def test_a_magnitude_stated_differently_is_disputed_across_languages(tmp_path):
    fact = the_count(dossier_of(tmp_path,
                                en="A magnitude 7.8 earthquake struck near Brenkale in Turkey on Monday, "
                                   "the geological survey said.\n",
                                it="Il terremoto di magnitudo 7,7 ha colpito Brenkale in Turchia lunedì, "
                                   "secondo l'agenzia per le emergenze.\n"), "Magnitude")
    assert fact.status == "disputed"
    assert sorted(s.value for s in fact.sources) == ["7.7", "7.8"]


def test_the_measure_of_a_second_event_is_not_a_dispute_over_the_first(tmp_path):
    """"a second quake of 5.4" and "второй толчок магнитудой 5,4" measure a later event
    than "magnitude 6.1": the two values describe different quakes, not sources disagreeing."""
    dossier = dossier_of(tmp_path,
                         en="A quake of magnitude 6.1 struck Varnhold on Monday morning, the survey said. "
                            "Nine hours later a second quake of magnitude 5.4 shook the valley.\n",
                         ru="Первый толчок магнитудой 6,1 произошел в Варнхольде в понедельник. "
                            "Около 13:24 произошел второй толчок магнитудой 5,4.\n",
                         nl="Een naschok met een kracht van 4,9 volgde later in Varnhold.\n")
    magnitudes = {f.statement: (f.status, sorted(s.value for s in f.sources))
                  for f in dossier.facts if f.kind == "count" and f.statement.startswith("Magnitude")}
    assert magnitudes == {"Magnitude: 6.1": ("agreed", ["6.1", "6.1"]),
                          "Magnitude, second event: 5.4": ("agreed", ["5.4", "5.4"]),
                          "Magnitude, a later event: 4.9": ("single-source", ["4.9"])}


def test_tolls_for_different_countries_are_not_a_dispute(tmp_path):
    """"in Syria alone 900 died" and "in Turkey and Syria the toll passed 3,000" count
    different things: each is its own fact, labelled with the countries it is of."""
    dossier = dossier_of(tmp_path,
                         en="The death toll in Turkey and Syria has risen to 3,000, officials in Brenkale said.\n",
                         ru="В Сирии, по данным властей и спасателей, погибли более 900 человек в Бренкале.\n",
                         pl="Liczba ofiar trzęsienia ziemi w Turcji i Syrii przekroczyła 3000 - poinformowały "
                            "władze w Brenkale.\n")
    tolls = {f.statement: (f.status, sorted(s.article for s in f.sources))
             for f in dossier.facts if f.kind == "count"}
    assert tolls == {"People killed, Syria and Türkiye: 3,000": ("agreed", ["en", "pl"]),
                     "People killed, Syria: more than 900": ("single-source", ["ru"])}


def test_sums_of_money_agree_across_languages_and_currency_signs(tmp_path):
    """"$9.6bn", "9,6 milliardar dollar" and "9,6 Milliarden US-Dollar" are one amount in US dollars."""
    fact = the_count(dossier_of(tmp_path,
                                en="The blockage of the canal held up $9.6bn of trade each day, "
                                   "the shipping journal estimated.\n",
                                nn="Stenginga av kanalen heldt att varer for 9,6 milliardar dollar kvar dag, "
                                   "ifølgje eit fagblad.\n",
                                de="Die Blockade des Kanals hielt täglich Waren im Wert von 9,6 Milliarden "
                                   "US-Dollar auf, schätzte ein Fachblatt.\n"), "US dollars")
    assert fact.status == "agreed"
    assert sorted(s.article for s in fact.sources) == ["de", "en", "nn"]
    assert {s.value for s in fact.sources} == {"9,600,000,000"}


def test_local_time_in_different_languages_is_one_zone(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "pl.txt").write_text("Wstrząs nastąpił 6 lutego 2023 o godz. 4:17 czasu lokalnego w pobliżu miasta.\n",
                                   encoding="utf-8")
    (corpus / "sv.txt").write_text("Jordbävningen inträffade den 6 februari 2023 klockan 04.17 lokal tid.\n",
                                   encoding="utf-8")
    dossier = build_dossier(corpus, TODAY)
    (fact,) = [f for f in dossier.facts if f.kind == "time"]
    assert (fact.status, fact.value) == (AGREED, "local time")
    assert sorted(s.value for s in fact.sources) == ["04:17 czasu lokalnego", "04:17 lokal tid"]
    # the statement says which event happened then, in the words of a report of it
    assert fact.statement in ("Time of “Wstrząs nastąpił 6 lutego 2023 o godz. 4:17 czasu lokalnego w pobliżu …”: 2023-02-06 04:17",
                              "Time of “Jordbävningen inträffade den 6 februari 2023 klockan 04.17 lokal tid.”: 2023-02-06 04:17")


CLAIMS = """\
- statement: Russian forces moved about 30,000 soldiers across the river
  status: agreed
  sources:
    - article: 000_725de6054b79a447.txt
      quote: Rundt 30.000 soldater er fraktet over Dnipro
      value: about 30,000
- statement: A quote that is not in the article
  sources:
    - article: 004_8f555ae9a8a4bfff.txt
      quote: Moscow surrendered unconditionally
"""


def test_claims_file_adds_facts_and_reports_quotes_not_found(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "claims.yml").write_text(CLAIMS, encoding="utf-8")
    dossier = build_dossier(corpus, TODAY)
    curated = [f for f in dossier.facts if f.curated]
    assert [f.statement for f in curated] == ["Russian forces moved about 30,000 soldiers across the river"]
    assert curated[0].curated == "claims.yml:1"
    problems = [str(p) for p in dossier.problems if p.file == "claims.yml"]
    assert any(p.startswith("claims.yml:10: error: quote does not occur verbatim") for p in problems), problems
    assert any(p.startswith("claims.yml:7: error: fact 2") for p in problems), problems


def test_names_from_capitals_are_read_word_by_word_as_written():
    """_written_names reads each distinct word once; the answer is the one of reading
    every word where it stands (the first word of a sentence or of a quotation counted
    as an opener)."""
    from builder import facts
    from builder.sentences import sentence_spans
    from conftest import OTHER_EVENT

    def every_word(text, language):
        starts = set()
        for start, _ in sentence_spans(text):
            opening = facts.QUOTATION_START.match(text, start)
            starts.add(opening.end() if opening else start)
        starts |= {m.end() for m in facts.QUOTATION_START.finditer(text) if not m.start() or text[m.start() - 1].isspace()}
        found = set()
        for match in facts.WORD.finditer(text):
            found.update(facts._word_names(match.group(), language, match.start() in starts))
        return frozenset(found)

    texts = [p for folder in (CORPUS, OTHER_EVENT) for f in sorted(folder.rglob("*")) if f.suffix in (".md", ".txt")
             for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    texts += ["Berlin said so. Berlin agreed. Then Paris.", "«Oslo», sa hun. Oslo-avtalen Oslo.",
              "l'Italia. Italia x-Ray. Ray said", "end.Next Next", "A 5Berlin. Berlin 5 Berlin",
              "« Nous avons tout perdu », a raconté une habitante de Paiporta."]
    for text in texts:
        for language in ("en", "de", "nb", "fr"):
            assert facts._written_names(text, language) == every_word(text, language), (language, text[:60])
    # A quotation's first word is capitalised because it opens the quotation, not because it is a name.
    assert facts._written_names("« Nous avons tout perdu », a raconté une habitante de Paiporta.", "fr") == {"paiporta"}


def speakers_in(paragraph: str, language: str) -> list[str]:
    """Who each attributed claim in the paragraph is credited to, sentence by sentence."""
    from builder.facts import _open_quotations, _statements
    from builder.model import Article, Inferred
    from builder.sentences import sentence_spans
    art = Article(id="a", file="a.txt", source=None, paragraphs=[], language=Inferred(language))
    speakers: list = []
    spans = sentence_spans(paragraph)
    opened = _open_quotations(paragraph, [start for start, _ in spans])
    return [s.speaker for span, quote in zip(spans, opened)
            for s in _statements(art, 0, paragraph, span, language, speakers, None, quote) if s.kind != "flag"]


@pytest.mark.parametrize("language, paragraph, speaker", [
    ("en", "Jan Novak, the government spokesman, said the talks had failed.", "Jan Novak"),
    ("en", "The talks have failed, government spokesman Jan Novak told reporters on Monday.",
     "government spokesman Jan Novak"),
    ("en", "Former President Ana Lima, author of several books about the long war in the north, also assured "
           "this Friday that the peace would hold.", "Former President Ana Lima"),
    ("en", "On Thursday, at least seven people were killed in a missile attack on a residential building in the "
           "port city of Varna, regional authorities reported Friday.", "regional authorities"),
    ("en", "The retreat is a snub, since Ana Lima affirmed in September that the city would stay.", "Ana Lima"),
    ("en", "“We lost everything,” a resident told AFP.", "resident"),
    ("en", "“The evacuation continues. According to our count there are 8,000 people still here,” said mayor Ana "
           "Lima.", "mayor Ana Lima"),
    ("nb", "– Vi har mistet alt, sier en kvinne til det spanske nyhetsbyrået.", "kvinne"),
    ("sv", "– Vi har förlorat allt, säger en kvinna till nyhetsbyrån.", "kvinna"),
    ("fr", "« Nous avons tout perdu », a raconté une habitante de Paiporta à l'Agence France-Presse.",
     "habitante de Paiporta"),
    ("es", "«Lo hemos perdido todo», dijo el ministro de Defensa a la prensa.", "ministro de Defensa"),
    ("it", "«Abbiamo perso tutto», ha detto il sindaco alla stampa.", "sindaco"),
    ("de", "Der Sprecher des Ministeriums sagte, die Lage sei ernst.", "Der Sprecher des Ministeriums"),
    ("en", "Earlier this Friday, the Defense Ministry for its part announced that the units had left.",
     "Defense Ministry"),
    ("es", "El Gobierno, por su parte, anunció tres días de luto.", "El Gobierno"),
    # an according-to phrase or a speaker after the verb ends with its noun phrase:
    # before a finite verb, a number, or where the speaker was (not what it said in)
    ("de", "Nach Angaben der Hafenbehörde warteten zuletzt 42 Schiffe vor der Einfahrt.", "Hafenbehörde"),
    ("sv", "Enligt polisen dödades fem personer i Varna.", "polisen"),
    ("nb", "Ifølge det danske forsvarsdepartementet ble fem personer drept.", "danske forsvarsdepartementet"),
    ("fr", "« Tout va bien », a indiqué l'Autorité dans un communiqué.", "l'Autorité"),
    # a title, then the person it names between commas: the person; a long title is not cut inside its name
    ("es", "«Todo va bien», dijo el presidente de la Autoridad del Puerto de Varna (APV), Ana Lima, en un comunicado.",
     "Ana Lima"),
    ("de", "„Alles gut“, sagte der Chef der Behörde, Jan Novak, am Montag.", "Jan Novak"),
    ("es", "«Todo va bien», dijo el presidente de la Autoridad del Puerto de Varna a la prensa.",
     "presidente de la Autoridad del Puerto de Varna"),
])
def test_the_speaker_is_the_phrase_that_names_who_speaks(language, paragraph, speaker):
    assert speakers_in(paragraph, language) == [speaker]


def test_a_claim_headline_gives_the_words_in_quotation_marks_verbatim(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("“The talks have failed and will not resume,” government spokesman Jan Novak said "
                                  "on Monday.\n\nThe harbour of Varna was closed for the whole week in the end.\n",
                                  encoding="utf-8")
    (corpus / "b.txt").write_text("– Samtalene har mislyktes, sier talsmann Jan Novak til NTB.\n", encoding="utf-8")
    claims = {f.statement for f in build_dossier(corpus, TODAY).facts if f.kind == "claim"}
    assert "Jan Novak: “The talks have failed and will not resume”" in claims
    assert any(c.endswith(": “Samtalene har mislyktes”") for c in claims), claims


def test_a_verb_joined_to_an_earlier_one_credits_nobody_rather_than_the_wrong_words():
    """"Troops retook the city of Varna … and claimed a victory": the subject is too
    far back to delimit by light means, and "Troops retook the city" is not a speaker."""
    paragraph = "Government troops retook the city of Varna, in the east, on Friday and claimed an important victory."
    assert speakers_in(paragraph, "en") == []


def test_ships_counted_in_different_languages_are_one_count(tmp_path):
    fact = the_count(dossier_of(tmp_path,
                                en="By Friday 369 ships were waiting to pass through the Brenmark Canal, "
                                   "the canal authority said.\n",
                                nn="På fredag venta 422 skip på å kome gjennom Brenmark-kanalen, "
                                   "opplyser kanalstyresmakta.\n"), "Ships")
    assert fact.status == "disputed"
    assert sorted(s.value for s in fact.sources) == ["369", "422"]


def test_a_length_is_compared_whatever_day_the_report_was_written(tmp_path):
    """A toll grows from day to day; the length of a ship does not."""
    fact = the_count(dossier_of(tmp_path,
                                early="---\ndate: 2026-03-01\n---\nThe Marta Leone, a ship 300 metres long, "
                                      "ran aground near Brenport.\n",
                                late="---\ndate: 2026-03-20\n---\nDas 300 Meter lange Schiff Marta Leone "
                                     "liegt weiter vor Brenport fest.\n"), "Meters: 300")
    assert fact.status == "agreed"
    assert sorted(s.article for s in fact.sources) == ["early", "late"]


@pytest.mark.parametrize("word, language, iso", [
    ("Poolse", "nl", "PL"), ("Zweedse", "nl", "SE"), ("Oekraïense", "nl", "UA"), ("polacco", "it", "PL"),
    ("polacca", "it", "PL"), ("polonesa", "pt", "PL"), ("svenska", "sv", "SE"), ("польські", "uk", "PL"),
    ("шведська", "uk", "SE"), ("szwedzki", "pl", "SE"),
    # a capitalised word where adjectives are not is a name; "English" is no adjective of the US
    ("Francesco", "it", None), ("English", "en", None), ("polishing", "en", None),
])
def test_an_adjective_that_is_its_languages_name_names_the_country(word, language, iso):
    """CLDR's language names ("Pools", "polacco", "svenska", "польська") make the
    adjectives the country-name stems miss ("Poolse" is not "Polen" with an ending)."""
    from builder.facts import country_of
    assert country_of(word, language) == iso


def test_a_country_is_named_by_its_name_an_inflection_or_an_adjective_never_by_a_word_that_begins_alike():
    from builder.facts import country_of
    named = [("Norges", "nb", "NO"), ("Hiszpanię", "pl", "ES"), ("tyske", "nb", "DE"), ("norske", "nb", "NO"),
             ("italienne", "fr", "IT"), ("Egyptian", "en", "EG"), ("ägyptischen", "de", "EG"), ("Turkse", "nl", "TR")]
    assert [(word, country_of(word, language)) for word, language, _ in named] == \
        [(word, iso) for word, _, iso in named]
    ordinary = [("salvage", "en"), ("Salvage", "en"), ("managers", "en"), ("Ministry", "en"), ("Sunday", "en"),
                ("winds", "en"), ("vientos", "es"), ("liberar", "es"), ("panaméen", "fr"), ("wieder", "de"),
                ("schwere", "de")]
    assert [(word, country_of(word, language)) for word, language in ordinary] == [(w, None) for w, _ in ordinary]


@pytest.mark.parametrize("word, language, iso", [
    # where words of nationality are lower case, a capitalised one is a name
    ("russo", "it", "RU"), ("Russo", "it", None), ("Franco", "es", None), ("Germano", "pt", None),
    ("Italo", "it", None),
    # where they are capitalised, it is read as one
    ("Russian", "en", "RU"), ("Spanier", "de", "ES"), ("Italiens", "fr", "IT"),
    # a name inflected only by its language's case endings: "Roman" is no "Roma" + n
    ("Roman", "en", None), ("Romano", "it", None), ("Norges", "nb", "NO"), ("Kijowa", "pl", "UA"),
    # capitals the country table writes without their accents
    ("Brasília", "pt", "BR"), ("Reykjavík", "is", "IS"), ("Bogotá", "es", "CO"),
])
def test_a_first_name_or_surname_is_no_adjective_of_a_country(word, language, iso):
    from builder.facts import country_of
    assert country_of(word, language) == iso


def test_a_speaker_with_a_surname_like_an_adjective_speaks_for_no_country_but_an_adjective_opening_the_sentence_does(tmp_path):
    dossier = dossier_of(
        tmp_path,
        it="La nave era in ritardo di due ore, ha detto il portavoce Marco Russo ai giornalisti.\n",
        nb="Russiske myndigheter fastholder at tilbaketrekkingen ikke er noe nederlag.\n")
    claims = {f.subject: f.value for f in dossier.facts if f.kind == "claim"}
    assert claims.get("portavoce Marco Russo") == ""
    assert claims.get("Russiske myndigheter") == "Russia"


def test_a_state_in_the_clause_says_what_workers_are_counted_as_but_a_nationality_keeps_its_count(tmp_path):
    """"vier Arbeiter ums Leben" counts people killed, "27 workers trapped" people
    trapped (not staff), while "three Brazilians" among the trapped are nationals."""
    dossier = dossier_of(
        tmp_path,
        de="Bei dem Grubenunglück kamen vier Arbeiter ums Leben. 27 Arbeiter sind seit Montag eingeschlossen.\n",
        en="Four people were killed in the collapse. The 27 workers trapped since Monday are alive.\n\n"
           "Among the trapped there are three Brazilians and one Bolivian.\n")
    assert the_count(dossier, "People killed: 4").status == "agreed"
    assert the_count(dossier, "People trapped: 27").status == "agreed"
    assert the_count(dossier, "Nationals, Brazil: 3")
    assert not [f for f in dossier.facts if f.statement.startswith("Employees")]


def test_a_pronoun_after_the_verb_and_the_quotation_s_comma_speaks_for_the_person_named_before(tmp_path):
    """German and Nordic text put the comma after the quotation ("„…“, sagte er"): "er"
    is the person the paragraph named last."""
    dossier = dossier_of(
        tmp_path,
        de="Der Firmenchef Tomás Echeverría wies die Vorwürfe am Mittwoch zurück. „Wir werden nicht ruhen, bis "
           "der letzte Arbeiter gerettet ist\", sagte er.\n")
    (claim,) = [f for f in dossier.facts if f.kind == "claim"]
    assert claim.statement == "Tomás Echeverría: “Wir werden nicht ruhen, bis der letzte Arbeiter gerettet ist”"


@pytest.mark.parametrize("verb", ["a-t-il déclaré", "a déclaré le PDG"])
def test_a_french_inversion_or_a_bare_title_after_the_quotation_is_the_person_named_before(tmp_path, verb):
    dossier = dossier_of(
        tmp_path,
        fr=f"Le PDG Tomás Echeverría a rejeté les accusations mercredi. « Nous ne nous reposerons pas », {verb}.\n")
    (claim,) = [f for f in dossier.facts if f.kind == "claim"]
    assert claim.statement == "Tomás Echeverría: “Nous ne nous reposerons pas”"


def test_a_company_named_with_ordinary_words_speaks_for_no_country(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Strong tides were the best chance of freeing the barge, salvage company Brant Salvage "
                                  "said.\n\nThe barge ran aground at dawn, according to its technical managers Holt "
                                  "Shipmanagement.\n", encoding="utf-8")
    claims = [f for f in build_dossier(corpus, TODAY).facts if f.kind == "claim"]
    assert sorted(f.subject for f in claims) == ["Brant Salvage", "Holt Shipmanagement"]
    assert [f.value for f in claims] == ["", ""]


@pytest.mark.parametrize("language, paragraph, speakers", [
    ("fr", "« Tout ira bien », a dit la maire Ana Lima. Le navire est géré par la société danoise Holm Shipping, "
           "qui a précisé que l'équipage était sain et sauf.", ["maire Ana Lima", "société danoise Holm Shipping"]),
    ("en", "The talks will resume, mayor Ana Lima said. The barge is run by Holm Shipping (HS), which said the crew "
           "was safe.", ["mayor Ana Lima", "Holm Shipping"]),
    ("de", "Die Lage sei ernst, sagte Bürgermeisterin Ana Lima. Der Frachter gehört der Reederei Holm, die am Montag "
           "mitteilte, dass alle gesund seien.", ["Bürgermeisterin Ana Lima", "Reederei Holm"]),
    ("nb", "– Alt går bra, sier ordfører Ana Lima. Skipet eies av selskapet Holm Shipping, som opplyser at alle er i "
           "god behold.", ["ordfører Ana Lima", "selskapet Holm Shipping"]),
    # no noun phrase right before the relative: nobody rather than the previous speaker
    ("en", "The talks will resume, mayor Ana Lima said. Holm operates barges, which said nothing.", ["mayor Ana Lima"]),
])
def test_a_relative_pronoun_credits_the_noun_phrase_before_it_not_the_previous_speaker(language, paragraph, speakers):
    assert speakers_in(paragraph, language) == speakers


def count_facts(dossier):
    """{statement: (status, sorted source articles)} of the count facts."""
    return {f.statement: (f.status, sorted(s.article for s in f.sources)) for f in dossier.facts if f.kind == "count"}


def test_people_on_board_killed_and_employed_are_different_counts(tmp_path):
    """"240 people on board", "four people lost their lives" ("om het leven") and "employs
    1,500 people" count different people: only the two tolls are set against each other."""
    counts = count_facts(dossier_of(tmp_path,
                                    en="Three people were killed when a train derailed near Varnhold on Sunday. "
                                       "All 240 people on board were taken to safety.\n",
                                    nl="Bij de ontsporing bij Varnhold kwamen vier mensen om het leven.\n",
                                    it="Il gestore Ferrovie Lunari, che impiega circa 1.500 persone, ha sospeso "
                                       "la linea per Varnhold.\n"))
    assert counts == {"People killed: 3 · 4 — the sources differ": ("disputed", ["en", "nl"]),
                      "People: 240": ("single-source", ["en"]),
                      "Employees: about 1,500": ("single-source", ["it"])}


def test_a_damage_estimate_is_not_set_against_a_value_and_other_currencies_are_named_not_compared(tmp_path):
    dossier = dossier_of(tmp_path,
                         en="The operator estimated the damage in Varnhold at 30 million euros. The train, valued at "
                            "18 million euros ($21 million), was built in 2015.\n",
                         pl="Przewoźnik szacuje straty w Varnhold na 25 mln euro.\n",
                         nb="Selskapet anslår skadene til 300 millioner kroner.\n")
    assert count_facts(dossier) == {"Euros, damage: 25,000,000 · 30,000,000 — the sources differ": ("disputed", ["en", "pl"]),
                                    "Euros, value: 18,000,000": ("single-source", ["en"]),
                                    "Norwegian kroner, damage: 300,000,000": ("single-source", ["nb"])}
    kroner = the_count(dossier, "Norwegian kroner")
    assert "other sources give this sum in euros" in kroner.note and "not compared" in kroner.note


def test_a_figure_rounded_agrees_with_a_more_exact_one_but_not_with_the_next_whole_number(tmp_path):
    def share_fall(**texts):
        folder = tmp_path / "_".join(texts)
        folder.mkdir()
        (fact,) = [f for f in dossier_of(folder, **texts).facts if f.statement.startswith("Per cent")]
        return fact.status, sorted(s.value for s in fact.sources)
    en = "Shares of Holm Rail fell 7% after the derailment."
    nb = "Aksjen i Holm Rail falt 7,3 prosent etter ulykken."
    pl = "Akcje Holm Rail potaniały po katastrofie o 8 proc."
    assert share_fall(en=en, nb=nb) == ("agreed", ["7", "7.3"])
    assert share_fall(en=en, nb=nb, pl=pl) == ("disputed", ["7", "7.3", "8"])


def test_nationals_are_counted_with_their_country_across_languages(tmp_path):
    counts = count_facts(dossier_of(tmp_path,
                                    en="The consul in Varnhold said 9 Latvian citizens were on the train.\n",
                                    pl="Wśród pasażerów pociągu do Varnhold było 11 obywateli Łotwy, głównie studentów.\n",
                                    uk="Консул повідомив, що в поїзді було 9 громадян Латвії.\n",
                                    nb="Konsulen sier at ni lettiske statsborgere var med toget.\n"))
    assert counts == {"Nationals, Latvia: 9 · 11 — the sources differ": ("disputed", ["en", "nb", "pl", "uk"])}


def test_passengers_and_crew_are_counted_as_such_in_every_language(tmp_path):
    counts = count_facts(dossier_of(tmp_path,
                                    en="The ship left Varnhold with 212 passengers and 31 crew.\n",
                                    it="A bordo c'erano 212 passeggeri e 31 membri dell'equipaggio.\n",
                                    sv="Samtliga 243 ombord – 212 passagerare och 31 besättningsmedlemmar – evakuerades.\n",
                                    pl="Ewakuowano 212 pasażerów i 31 członków załogi.\n"))
    assert counts["Passengers: 212"] == ("agreed", ["en", "it", "pl", "sv"])
    assert counts["Crew members: 31"] == ("agreed", ["en", "it", "pl", "sv"])


def test_collective_numerals_and_feminine_participles_are_read(tmp_path):
    counts = count_facts(dossier_of(tmp_path,
                                    pl="Czworo ludzi zginęło, a 31 zostało rannych w katastrofie pod Varnholdem.\n",
                                    pt="Pelo menos quatro pessoas morreram e 27 ficaram feridas perto de Varnhold.\n",
                                    uk="Ще 29 людей отримали травми під Варнгольдом, двоє вважаються зниклими.\n"))
    assert counts["People killed: 4 · at least 4"] == ("agreed", ["pl", "pt"])
    assert counts["People injured: 27 · 29 · 31 — the sources differ"] == ("disputed", ["pl", "pt", "uk"])
    assert counts["People missing: 2"] == ("single-source", ["uk"])


def test_a_projection_a_rate_and_a_part_are_not_set_against_a_plain_figure(tmp_path):
    counts = count_facts(dossier_of(tmp_path,
                                    en="At least 12 people were killed in Varnhold. 29 people were injured.\n",
                                    fr="Le bilan pourrait atteindre 40 morts à Varnhold, selon la mairie.\n",
                                    de="Die Ärzte sagten, 19 der Verletzten würden in Varnhold behandelt.\n",
                                    nb="Stengingen av linjen ved Varnhold koster 2 millioner dollar om dagen. "
                                       "Reparasjonen koster 5 millioner dollar.\n"))
    assert counts == {"People killed: at least 12": ("single-source", ["en"]),
                      "People injured: 29": ("single-source", ["en"]),
                      "People killed, projected: 40": ("single-source", ["fr"]),
                      "People injured, part of a larger group: 19": ("single-source", ["de"]),
                      "US dollars, per day: 2,000,000": ("single-source", ["nb"]),
                      "US dollars: 5,000,000": ("single-source", ["nb"])}


@pytest.mark.parametrize("language, paragraph, speakers", [
    # "Name, 47, who said": the person, whose age is set after the name
    ("en", "Mayor Ana Lima said the town would help. Among the survivors was driver Jan Petrov, 51, who said he "
           "woke to the alarms.", ["Mayor Ana Lima", "driver Jan Petrov"]),
    # an according-to phrase ends before the verb of its clause, even when a comma comes later
    ("nb", "Ifølge Sjøfartsetaten er fergen registrert i Varnhold, i et internasjonalt register.", ["Sjøfartsetaten"]),
    ("nl", "Volgens ingewijden gaat het om \"enkele miljoenen euro's\".", ["ingewijden"]),
    ("sv", "Vid kontrollen noterades fem brister, enligt uppgifter som tidningen tagit del av.", ["uppgifter"]),
    # a title and the name between commas before the verb: the name speaks, not the object after the verb
    ("it", "La direttrice generale di Holm Rail, Ana Lima, ha annunciato la sospensione della linea Varnhold-Brenkale.",
     ["Ana Lima"]),
    # a country's title, then the name between commas: the name speaks
    ("sv", "Enligt Ukrainas generalkonsul i Varnhold, Ana Lima, fanns 14 ukrainska medborgare ombord.", ["Ana Lima"]),
    # a clause with a number before the verb is no name in apposition: who says it follows the verb
    ("uk", "У Варнгольді загинули 85 людей, у Бренпорті - щонайменше 26, повідомили офіційні джерела.",
     ["офіційні джерела"]),
    # a dash before the verb, as a comma: who says it follows the verb
    ("pl", "Liczba ofiar w Varnholdzie przekroczyła 500 - poinformowały we wtorek władze obu krajów.",
     ["władze obu krajów"]),
    # the title's place between the title and the comma before the name
    ("nl", "Volgens de Oekraïense consul-generaal in Varnhold, Ana Lima, waren veertien Oekraïners aan boord.",
     ["Ana Lima"]),
])
def test_a_speaker_is_the_person_or_source_named_not_the_clause_after_it(language, paragraph, speakers):
    assert speakers_in(paragraph, language) == speakers


def test_a_pronoun_is_the_person_named_last_before_the_quotation_not_the_last_speaker(tmp_path):
    dossier = dossier_of(tmp_path, en=(
        "Mayor Ana Lima said the town of Varnhold would help the families.\n\n"
        "Among the passengers were Jan Petrov and his daughter Mira Petrova, both from Brenkale. "
        "\"The stairs were full of smoke and nobody knew where to go,\" she told reporters in Varnhold.\n"))
    claims = {f.subject for f in dossier.facts if f.kind == "claim"}
    assert "Mira Petrova" in claims and claims <= {"Ana Lima", "Mira Petrova"}


@pytest.mark.parametrize("phrase, language, name", [
    ("Næringsminister Kari Lund", "nb", "Kari Lund"),
    ("minister infrastruktury Jan Petrov", "pl", "Jan Petrov"),
    ("Analytiker Henrik Moe i Holm Bank", "nb", "Henrik Moe"),
    ("the ministry", "en", "the ministry"),
    ("truck driver Marek Lis", "en", "Marek Lis"),  # a first name that is also a word, or a capital's name
    ("Prezydent Turcji Jan Petrov", "pl", "Jan Petrov"),  # a country before the name
    ("The Ukrainian army", "en", "The Ukrainian army"),  # an adjective of a country and a noun: no person
    ("ministerie van Buitenlandse Zaken", "nl", "ministerie van Buitenlandse Zaken"),
])
def test_a_claim_is_headed_by_the_person_a_speaker_phrase_names_without_title_or_firm(phrase, language, name):
    from builder.facts import speaker_name
    assert speaker_name(phrase, language) == name


def test_a_short_capitalised_word_after_a_name_ends_the_name_even_if_a_month_is_so_abbreviated():
    """"Lis" and "List" are month abbreviations in some languages, and surnames or names' last words."""
    assert speakers_in("Przewodniczący komisji Andrzej Lis powiedział, że badanie potrwa rok.", "pl") == \
        ["Przewodniczący komisji Andrzej Lis"]


def test_an_age_or_an_adjective_of_a_country_is_not_what_a_number_counts(tmp_path):
    counts = count_facts(dossier_of(tmp_path, en="Putin annexed four Ukrainian regions in Varnhold. "
                                                 "Sergei, a 26-year-old IT employee in Varnhold, wept.\n"))
    assert not any(statement.startswith(("Nationals", "Employees")) for statement in counts)


def test_a_quotation_of_two_sentences_credits_the_speaker_after_it(tmp_path):
    """The quotation opened in the first sentence ends at its closing mark in the
    second: the verb after that mark is outside it and credits the speaker, however
    many quotation marks follow in the sentence."""
    dossier = dossier_of(tmp_path, en='"The bridge held. Without it we would have lost more," '
                                      'Mayor Ada Krell told reporters in Varnhold, adding "we will rebuild".\n')
    claims = [f for f in dossier.facts if f.kind == "claim"]
    assert [f.subject for f in claims] == ["Ada Krell"]
    assert claims[0].sources[0].quote.startswith('"The bridge held.')


def test_an_age_is_a_fact_about_the_person_in_any_wording(tmp_path):
    """"a 54-year-old", "54-jährige", "54-letni" and "55 år gammel" give one person's age,
    disputed; "for 22 years" is no age."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = {"en.txt": "Captain Jan Example, a 54-year-old sailor, sent a mayday on Sunday. "
                       "He has worked for the company for 22 years.\n",
             "de.txt": "Der 54-jährige Kapitän Jan Example setzte am Sonntag einen Notruf ab.\n",
             "pl.txt": "54-letni kapitan Jan Example nadał sygnał w niedzielę.\n",
             "nb.txt": "Kaptein Jan Example sendte nødsignal søndag. Example er 55 år gammel.\n"}
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")
    dossier = build_dossier(corpus, TODAY)
    (age,) = [f for f in dossier.facts if f.statement.startswith("Age")]
    assert age.status == DISPUTED and age.statement.startswith("Age: 54 · 55")
    assert sorted(s.article for s in age.sources) == ["de", "en", "nb", "pl"]
    assert "Jan Example" in age.subject


def test_a_measure_says_what_it_measures_where_its_unit_does_not_tell(tmp_path):
    """"Speed in knots", "Weight in tonnes"; a length stays "Meters" (it may be a distance)."""
    dossier = dossier_of(tmp_path,
                         a="The ship, 400 metres long and weighing 200,000 tonnes, sailed at 12 knots.\n",
                         b="Das 400 Meter lange Schiff mit 200.000 Tonnen fuhr mit 12 Knoten.\n")
    statements = sorted(f.statement for f in dossier.facts if f.kind == "count")
    assert "Speed in knots: 12" in statements and "Meters: 400" in statements
    assert any(s.startswith("Weight in ") and s.endswith(": 200,000") for s in statements)


def test_a_name_is_shown_as_the_entity_index_names_it_when_its_id_lost_an_apostrophe(tmp_path):
    """The id "lloyd-s-list" has a word no source writes alone: the fact names
    "Lloyd's List", not "Lloyd S List"."""
    dossier = dossier_of(tmp_path,
                         a="At least 369 ships were waiting to pass the canal on Sunday, Lloyd's List reported.\n",
                         b="Lloyd's List counted 369 ships waiting at both ends of the canal on Sunday.\n")
    fact = the_count(dossier, "Ships")
    assert "Lloyd's List" in fact.subject and "Lloyd S List" not in fact.subject


def test_a_figure_per_day_is_not_set_against_one_per_year(tmp_path):
    dossier = dossier_of(tmp_path,
                         en="The closure of the Varnhold canal costs 400 million dollars a day, analysts said.\n",
                         de="Die Sperrung des Varnhold-Kanals kostet 400 Millionen Dollar pro Tag.\n",
                         fr="Le canal de Varnhold rapporte 6 milliards de dollars par an à l'État.\n")
    statements = {f.statement: sorted(s.article for s in f.sources) for f in dossier.facts if f.kind == "count"}
    assert statements["US dollars, per day: 400,000,000"] == ["de", "en"]
    assert statements["US dollars, per year: 6,000,000,000"] == ["fr"]


def test_a_count_names_the_entities_around_it_as_the_entity_index_does(tmp_path):
    """The summary and the entity index agree: "Anne-Marie Exempel", hyphen and all."""
    dossier = dossier_of(tmp_path,
                         a="Harbour master Anne-Marie Exempel said 14 ships were waiting outside Brenport.\n",
                         b="According to Anne-Marie Exempel, 14 ships were waiting outside Brenport on Sunday.\n")
    fact = the_count(dossier, "Ships")
    index_names = {e.name for e in dossier.entities}
    assert "Anne-Marie Exempel" in index_names
    assert "Anne-Marie Exempel" in fact.subject

