"""The entity index: discovery, typing, alias merging and the curated override."""

import json

import pytest

from builder.entities import find_entities, load_curation
from builder.export import export_dossier
from builder.pipeline import build_dossier
from conftest import TODAY, article


def entity(dossier, alias):
    """The entity that has `alias` among its written forms."""
    (found,) = [e for e in dossier.entities if alias in {a.text for a in e.aliases}]
    return found


def forms(dossier, alias):
    return {a.text for a in entity(dossier, alias).aliases}


def small_corpus(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return build_dossier(tmp_path, TODAY)


@pytest.mark.parametrize("spellings", [
    {"Dmytro Kuleba", "Dmytro Kouleba", "Kuleba"},
    {"Dmitry Peskov", "Dmitri Peskov", "Dmitrij Peskov", "Peskov"},
    {"Dnipro", "Dnieper"},
    {"Kherson", "Jerson"},
    {"Volodymyr Zelensky", "Volodymyr Zelenskyy"},
    {"Antonivsky Bridge", "Antonovski Bridge"},
    {"Bakhmut", "Bakhmout"},
    {"Vitali Kim", "Vitaliï Kim"},
    {"Russia", "Russland"},
    {"Ukraine", "Ukraina"},
    {"Moscow", "Moskva"},
])
def test_spellings_and_translations_of_one_name_are_one_entity(seed_dossier, spellings):
    first = next(iter(spellings))
    assert spellings <= forms(seed_dossier, first)


@pytest.mark.parametrize("one, other", [
    ("Kherson", "Kharkov"),
    ("Vitali Kim", "Vitali Klitschko"),
    ("Dmitry Peskov", "Dmitri Medvedev"),
    ("Russia", "Ukraine"),
    ("Russia", "Russian Defense Ministry"),
    ("Ukraine", "Armed Forces of Ukraine"),
    ("Russia", "Russian"),
])
def test_names_that_look_alike_stay_apart(seed_dossier, one, other):
    assert entity(seed_dossier, one) is not entity(seed_dossier, other)


def test_norwegian_inflections_and_compounds_are_mentions_of_the_base_name(seed_dossier):
    nb = article(seed_dossier, "000_")
    kyiv = entity(seed_dossier, "Kyiv")
    assert "Kyivs" in forms(seed_dossier, "Kyiv")
    kherson = entity(seed_dossier, "Kherson")
    compound = [m for m in kherson.mentions if m.article == nb.id
                and nb.paragraphs[m.paragraph].text[m.end:].startswith("-regionen")]
    assert compound, "Kherson-regionen counts as a mention of Kherson"
    assert kyiv.type == "place"


def test_a_name_written_in_lower_case_is_still_found(seed_dossier):
    kyiv = entity(seed_dossier, "Kyiv")
    assert "kyiv" in forms(seed_dossier, "Kyiv")
    assert any(m.text == "kyiv" for m in kyiv.mentions)


def test_surname_alone_follows_the_full_name(seed_dossier):
    assert "Putin" in forms(seed_dossier, "Vladimir Putin")
    assert "Kobets" in forms(seed_dossier, "Alexandr Kobets")


def test_the_display_name_is_the_full_form_most_sources_use(seed_dossier):
    assert entity(seed_dossier, "Dmytro Kouleba").name == "Dmytro Kuleba"
    assert entity(seed_dossier, "Russland").name == "Russia"
    assert entity(seed_dossier, "Putin").name == "Vladimir Putin"


def test_a_country_is_shown_by_its_english_name(other_dossier, unseen_dossier):
    """Two Norwegian articles write "Spania", one English article "Spain": the
    dossier is read in English, so the entry is Spain, with every spelling kept; so
    too when no source writes the English name."""
    spain = entity(other_dossier, "Spania")
    assert spain.name == "Spain"
    assert {"Spania", "Spain", "Spanien"} <= {a.text for a in spain.aliases}
    assert entity(unseen_dossier, "Turcji").name == "Türkiye"


@pytest.fixture(scope="module")
def unseen_dossier(tmp_path_factory):
    """Short reports of another event, in languages whose names run into titles."""
    folder = tmp_path_factory.mktemp("unseen")
    files = {
        "pl.txt": "Prezydent Turcji Recep Tayyip Erdoğan ogłosił we wtorek stan wyjątkowy. "
                  "Turecka agencja ds. katastrof AFAD podała, że zginęło 3419 osób.\n",
        "uk.txt": "Україна готова допомогти, заявив президент України Володимир Зеленський. "
                  "Рятувальники працюють у Туреччині. У Туреччині загинули 8574 людини, у Сирії - "
                  "щонайменше 2662, повідомили офіційні джерела.\n",
        "ru.txt": "МОСКВА, 8 фев — Погибли 5894 человека, сообщил Реджеп Тайип Эрдоган. "
                  "По словам главы МЧС Александра Куренкова, в Турцию направлены спасатели.\n",
        "it.txt": "(ANSA) - ROMA, 07 FEB - Il ministro degli Esteri Antonio Tajani ha detto che non "
                  "risultano vittime italiane. Il presidente Recep Tayyip Erdogan ha parlato ad Ankara.\n",
        "pt.txt": "A Organização Mundial da Saúde (OMS) afirmou que o número pode chegar a 20 mil, "
                  "disse o diretor-geral da OMS. O tremor teve magnitude 7,8, segundo o Serviço "
                  "Geológico dos Estados Unidos (USGS).\n",
        "sv.txt": "Sverige skickar ett team, meddelar Myndigheten för samhällsskydd och beredskap (MSB). "
                  "Olaf Scholz (SPD) lovade hjälp. I Turkiet har 12 391 dött, uppger katastrofmyndigheten AFAD.\n",
        "nl.txt": "Nederland stuurt een team, meldt het ministerie van Buitenlandse Zaken. "
                  "De Turkse rampenbestrijdingsdienst AFAD meldt meer doden in Turkije.\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return build_dossier(folder, TODAY)


def test_a_title_s_complement_is_not_part_of_the_name(unseen_dossier):
    """"prezydent Turcji Recep Tayyip Erdoğan": the president of Turkey, whose name
    is Recep Tayyip Erdoğan; "главы МЧС Александра Куренкова": the head of an
    institution; "ministro degli Esteri Antonio Tajani": of foreign affairs."""
    erdogan = entity(unseen_dossier, "Recep Tayyip Erdoğan")
    assert erdogan.type == "person" and "Turcji Recep Tayyip Erdoğan" not in forms(unseen_dossier, "Recep Tayyip Erdoğan")
    assert any("title 'prezydent'" in reason for reason in erdogan.type_evidence)
    assert entity(unseen_dossier, "Turcji").type == "place"
    assert entity(unseen_dossier, "України").name == "Ukraine"
    assert entity(unseen_dossier, "Володимир Зеленський").type == "person"
    assert entity(unseen_dossier, "Александра Куренкова").type == "person"
    assert entity(unseen_dossier, "МЧС").type == "organisation"
    assert entity(unseen_dossier, "Antonio Tajani").type == "person"
    assert entity(unseen_dossier, "Сирії").statements == []  # "…, у Сирії - щонайменше 2662, повідомили джерела"
    assert not [e for e in unseen_dossier.entities if "Esteri" in e.name]


def test_a_name_and_its_abbreviation_are_one_organisation(unseen_dossier):
    who = entity(unseen_dossier, "Organização Mundial da Saúde")
    assert (who.name, who.type) == ("OMS", "organisation")
    assert forms(unseen_dossier, "OMS") == {"OMS", "Organização Mundial da Saúde"}
    # the whole name the initials run through, and a translated abbreviation after an institution's name
    assert "Myndigheten för samhällsskydd och beredskap" in forms(unseen_dossier, "MSB")
    assert "Serviço Geológico dos Estados Unidos" in forms(unseen_dossier, "USGS")
    # a party after a person's name is not that person's abbreviation
    assert entity(unseen_dossier, "SPD").type == "organisation"
    assert entity(unseen_dossier, "Olaf Scholz").type == "person"


def test_an_institution_word_before_a_name_makes_it_an_organisation(unseen_dossier):
    """"ministerie van Buitenlandse Zaken", and compounds ending in one:
    "rampenbestrijdingsdienst AFAD", "katastrofmyndigheten AFAD" (which speak as institutions)."""
    assert entity(unseen_dossier, "Buitenlandse Zaken").type == "organisation"
    assert entity(unseen_dossier, "AFAD").type == "organisation"


def test_a_transliterated_full_name_meets_its_latin_form(unseen_dossier):
    assert {"Реджеп Тайип Эрдоган", "Recep Tayyip Erdogan", "Recep Tayyip Erdoğan"} <= forms(
        unseen_dossier, "Recep Tayyip Erdoğan")


def test_a_short_dateline_place_in_capitals_is_a_place_not_an_abbreviation(unseen_dossier):
    rome = entity(unseen_dossier, "ROMA")
    assert (rome.name, rome.type) == ("Roma", "place")
    assert entity(unseen_dossier, "МОСКВА").name == "Москва"


def test_an_adjective_links_to_the_country_the_corpus_names(unseen_dossier):
    """"Turkse" begins like Turkije and Turkmenistan: the corpus is about Turkey."""
    turkish = entity(unseen_dossier, "Turkse")
    assert turkish.type == "other" and turkish.links == [entity(unseen_dossier, "Turkije").id]
    assert "adjective made from the place name 'Türkiye'" in turkish.type_evidence


def test_an_adjective_links_to_its_country_not_to_a_region_the_corpus_names(tmp_path):
    """"Norwegian" shares three letters with "Nord Europa" (Northern Europe), which the
    corpus names, and four with Norway, which it does not: the adjective is Norway's."""
    dossier = small_corpus(tmp_path, {
        "a.txt": "The Norwegian operator said the ferry sailed on Sunday.\n\n"
                 "O navio fazia a ligação mais movimentada do Nord Europa, segundo a Lusa.\n",
    })
    norwegian = entity(dossier, "Norwegian")
    assert "adjective made from the place name 'Norway'" in norwegian.type_evidence


def test_a_capitalised_word_inside_a_sentence_is_no_adjective_where_such_adjectives_are_lower_case(tmp_path):
    """Spanish writes "francés", "franceses": "Franco" inside a sentence is a name."""
    dossier = small_corpus(tmp_path, {
        "es.txt": "El barco tenía una avería en el motor, según Franco.\n\n"
                  "Nadie resultó herido, escribió ayer Franco en su blog.\n",
    })
    franco = entity(dossier, "Franco")
    assert not franco.links and not any("adjective" in e for e in franco.type_evidence)


def test_an_abbreviated_title_makes_a_person_and_a_legal_form_is_no_part_of_a_name(tmp_path):
    """"Dr." before a German name keeps its first name from being taken for a noun
    ("Annegret" is in the dictionary), and is no organisation ("DR" is a broadcaster's
    name, not a word); the first letter of "S.A." or "A/S" does not end a company's name."""
    dossier = small_corpus(tmp_path, {
        "de.txt": "Die Kapsel sei fertig, sagte Geschäftsführerin Dr. Annegret Wolf am Mittwoch in Freiberg.\n\n"
                  "Vor Ort sind die Minera Cordillera Azul S.A. und die dänische Nordsø Pumpeservice A/S.\n",
    })
    names = {e.name: e.type for e in dossier.entities}
    assert names.get("Annegret Wolf") == "person"
    assert not [n for n in names if n.endswith((" S", " A", " Dr"))]
    assert "Minera Cordillera Azul" in names and "Nordsø Pumpeservice" in names


def test_a_title_left_in_another_language_and_a_c_written_k_in_cyrillic_still_find_the_person(tmp_path):
    """A machine translation keeps "the ministra de Minería" before the name: the
    Spanish title and its complement are no part of it; "Рока" is "Roca"."""
    dossier = small_corpus(tmp_path, {
        "en.txt": "This was confirmed this Wednesday by the ministra de Minería Valentina Roca, "
                  "after one of the probes reached the refuge.\n",
        "ru.txt": "Об этом в среду сообщила министр горнодобывающей промышленности Валентина Рока.\n",
    })
    assert forms(dossier, "Valentina Roca") >= {"Valentina Roca", "Валентина Рока"}
    assert entity(dossier, "Valentina Roca").type == "person"


def test_the_first_word_of_a_quotation_kept_in_its_language_is_no_name(tmp_path):
    """"Estamos" opens a Spanish sentence quoted in a French report: a word of Spanish,
    capitalised as a sentence's first, not a name."""
    dossier = small_corpus(tmp_path, {
        "fr.txt": "Le message tient sur un bout de papier froissé, attaché à une tige de forage : « Estamos vivos, "
                  "tenemos agua, somos 27 » (« Nous sommes vivants, nous avons de l'eau, nous sommes 27 »). Ce "
                  "mercredi, les secours ont obtenu la première preuve de vie des mineurs coincés sous terre.\n",
        "da.txt": "Onsdag nåede et af borene frem, og minearbejderne sendte en seddel op til overfladen: \"Estamos "
                  "vivos, tenemos agua, somos 27\". Det betyder: Vi er i live, vi har vand, vi er 27.\n",
        "es.txt": "Nuestra prioridad absoluta es llegar con vida a cada uno de los 27 trabajadores, dijo la "
                  "secretaria de Estado a la prensa en el campamento instalado a la entrada de la mina.\n",
    })
    assert "Estamos" not in {e.name for e in dossier.entities}


def test_a_currency_written_with_letters_and_a_numbered_branch_make_no_names(tmp_path):
    dossier = small_corpus(tmp_path, {
        "pt.txt": "A mineradora anunciou um fundo de emergência de US$ 12 milhões para as famílias.\n",
        "en.txt": "The company announced an emergency fund of USD 12 millones for the families in Copiapó.\n",
        "es.txt": "La presidenta del Sindicato N°1 de Trabajadores, Patricia Lagos, acusó a la compañía.\n",
    })
    names = {e.name for e in dossier.entities}
    assert not names & {"US", "USD", "Sindicato N"}
    assert "Patricia Lagos" in names


def test_a_personal_name_with_a_particle_has_the_shape_of_one(tmp_path):
    dossier = small_corpus(tmp_path, {
        "pt.txt": "Os brasileiros foram identificados como Josué Ferreira da Silva, 41, e Marcos Pereira, 35.\n",
    })
    assert entity(dossier, "Josué Ferreira da Silva").type == "person"


def test_adjectives_of_one_country_in_several_languages_are_one_entity(tmp_path):
    dossier = small_corpus(tmp_path, {
        "en.txt": "The Swedish coast guard sent two ships from Karlskrona in Sweden on Sunday.\n",
        "nl.txt": "De Zweedse kustwacht stuurde zondag twee schepen uit Karlskrona.\n",
    })
    swedish = entity(dossier, "Swedish")
    assert {"Swedish", "Zweedse"} <= {a.text for a in swedish.aliases}
    assert swedish.links == [entity(dossier, "Sweden").id]


def test_a_time_zone_after_a_clock_time_is_no_entity(tmp_path):
    dossier = small_corpus(tmp_path, {
        "a.txt": "The fire broke out at about 2:40 a.m. local time (0040 GMT) near Karlskrona, "
                 "the Swedish Coast Guard said.\n",
    })
    names = {e.name for e in dossier.entities}
    assert "Karlskrona" in names and "GMT" not in names


def test_a_place_written_only_in_capitals_is_shown_in_ordinary_case(tmp_path):
    dossier = small_corpus(tmp_path, {
        "a.txt": "MADRID, 30 Oct (AFP) - Rescue teams worked through the night in the city.\n",
        "b.txt": "MADRID (EFE) - The government of Spain sent soldiers to the region on Wednesday.\n",
    })
    assert entity(dossier, "MADRID").name == "Madrid"
    assert entity(dossier, "AFP").name == "AFP"  # an acronym is not a shouted word


def test_a_dateline_in_capitals_gives_way_to_the_name_as_the_text_writes_it(tmp_path):
    dossier = small_corpus(tmp_path, {
        "a.txt": "VALENCIA (Reuters) - Floods hit the east of Spain.\n\nRescuers in Valencia said the water was rising.\n",
        "b.txt": "VALENCIA - The mayor of Valencia spoke to reporters on Thursday.\n",
    })
    assert entity(dossier, "VALENCIA").name == "Valencia"


def test_a_name_before_a_comma_and_a_speech_verb_is_not_the_speaker(tmp_path):
    """"…øst i Spania, opplyser myndighetene": the authorities speak, not Spain; a name
    set off by commas ("Hans talsmann, Jan Novák, sa") or followed by an age still speaks."""
    dossier = small_corpus(tmp_path, {
        "a.txt": "Minst 158 mennesker har omkommet i flommen øst i Spania, opplyser myndighetene torsdag. "
                 "Hans talsmann, Jan Novák, sa fredag at arbeidet fortsetter.\n",
        "b.txt": "At least 40 homes burned near Lyon, said the fire service. Ana Lima, 54, said she lost everything.\n",
    })
    assert entity(dossier, "Spania").statements == []
    assert entity(dossier, "Lyon").statements == []
    assert [m.text for m in entity(dossier, "Jan Novák").statements] == [
        "Hans talsmann, Jan Novák, sa fredag at arbeidet fortsetter."]
    assert [m.text for m in entity(dossier, "Ana Lima").statements] == ["Ana Lima, 54, said she lost everything."]


def test_a_first_name_alone_is_a_person_when_the_corpus_names_that_person_in_full(tmp_path):
    dossier = small_corpus(tmp_path, {
        "a.txt": "Ingrid Solberg husker ikke sine første år. Vi har mye å lære av Ingrid, sier han.\n\n"
                 "Det er åtte år siden Ingrid flyttet fra Bergen. Brevet kom fra Ingrid i går.\n",
    })
    first = entity(dossier, "Ingrid")
    assert first.type == "person"
    assert any("begins the name of a person" in reason for reason in first.type_evidence)


def test_a_compound_title_is_not_part_of_the_name_after_it(tmp_path):
    """"Hafenchef Belhadj": the head of the port, Tarek Belhadj; one person, not three."""
    dossier = small_corpus(tmp_path, {
        "a.txt": "Der Chef der Hafenbehörde, Tarek Belhadj, sprach am Montag von einem großen Erfolg.\n\n"
                 "Hafenchef Belhadj sagte dagegen am Dienstag, der Sturm sei schuld gewesen.\n\n"
                 "Belhadj sagte, es werde noch drei Tage dauern, bis alle Schiffe durch seien.\n",
    })
    belhadj = entity(dossier, "Tarek Belhadj")
    assert forms(dossier, "Tarek Belhadj") == {"Tarek Belhadj", "Belhadj"}
    assert not [e for e in dossier.entities if "Hafenchef" in e.name]
    assert any("title 'hafenchef'" in reason for reason in belhadj.type_evidence)


def test_the_nouns_before_an_institution_are_not_its_name(tmp_path):
    """"Nach Angaben der Behörde": the authority the article names, not an organisation
    called "Angaben der Behörde"."""
    dossier = small_corpus(tmp_path, {
        "a.txt": "Am Montag meldete die Ravnsholtkanalbehörde, dass 40 Schiffe warten.\n\n"
                 "Der Hafen ist wichtig für die Region: Nach Angaben der Behörde entgehen der Stadt täglich "
                 "hohe Einnahmen.\n",
    })
    assert not [e for e in dossier.entities if "Angaben" in e.name]
    assert forms(dossier, "Ravnsholtkanalbehörde") == {"Ravnsholtkanalbehörde", "Behörde"}
    assert entity(dossier, "Behörde").name == "Ravnsholtkanalbehörde"  # not the bare word


@pytest.mark.parametrize("alias, kind", [
    ("Vladimir Putin", "person"), ("Dmitry Peskov", "person"), ("Dmytro Kuleba", "person"),
    ("Volodymyr Zelensky", "person"), ("Vitali Klitschko", "person"),
    ("Kherson", "place"), ("Kyiv", "place"), ("Russia", "place"), ("Ukraine", "place"),
    ("Moscow", "place"), ("Black Sea", "place"), ("Antonovski Bridge", "place"),
    ("Armed Forces of Ukraine", "organisation"), ("Russian Defense Ministry", "organisation"),
    ("Verkhovna Rada", "organisation"), ("Kremlin", "organisation"), ("AFP", "organisation"),
])
def test_types_come_from_evidence(seed_dossier, alias, kind):
    found = entity(seed_dossier, alias)
    assert found.type == kind
    assert found.type_evidence and 0 < found.type_confidence <= 1


def test_an_adjective_is_not_the_country_but_links_to_it(seed_dossier):
    russian = entity(seed_dossier, "Russian")
    assert russian.type == "other"
    assert russian.links == [entity(seed_dossier, "Russia").id]


def test_sentence_initial_words_and_headline_capitals_are_not_names(seed_dossier):
    every_form = {a.text for e in seed_dossier.entities for a in e.aliases}
    for word in ("Despite", "Meanwhile", "The", "Alle", "Fredag", "Friday", "Units", "Kherson Returns", "It"):
        assert word not in every_form


def test_attributed_statements_are_verbatim_sentences(seed_dossier):
    peskov = entity(seed_dossier, "Dmitry Peskov")
    by_id = {a.id: a for a in seed_dossier.articles}
    assert peskov.statements
    for s in peskov.statements:
        assert by_id[s.article].paragraphs[s.paragraph].text[s.start:s.end] == s.text
    assert any("sa Peskov" in s.text for s in peskov.statements)


def test_mentions_point_at_the_exact_text(seed_dossier):
    by_id = {a.id: a for a in seed_dossier.articles}
    for e in seed_dossier.entities:
        for m in e.mentions:
            assert by_id[m.article].paragraphs[m.paragraph].text[m.start:m.end] == m.text


def test_cyrillic_latin_and_inflected_forms_meet(other_dossier):
    assert {"Valencia", "Valence", "Valência", "Walencja", "Валенсия", "Валенсія"} <= forms(other_dossier, "Valencia")
    spain = forms(other_dossier, "Spain")
    assert {"Spanien", "Espagne", "Spagna", "Іспанії", "Испании", "Hiszpanię"} <= spain
    assert entity(other_dossier, "Spain").type == "place"


def test_kharkiv_and_kharkov_merge_but_not_with_kherson(tmp_path):
    dossier = small_corpus(tmp_path, {
        "a.txt": "Troops left Kharkiv on Monday. Officials in Kherson said the city was calm.\n",
        "b.txt": "Shelling hit Kharkov again, the mayor of Kharkov said. Херсон was quiet.\n",
    })
    assert {"Kharkiv", "Kharkov"} <= forms(dossier, "Kharkiv")
    assert {"Kherson", "Херсон"} <= forms(dossier, "Kherson")
    assert entity(dossier, "Kharkiv") is not entity(dossier, "Kherson")


def test_curated_file_merges_renames_retypes_splits_and_ignores(tmp_path):
    corpus = {
        "a.txt": "President Anna Example met Bob Sample in Springfield on Monday morning.\n"
                 "Later, Sample said the Widget Project was running late.\n",
        "b.txt": "Officials of the Widget Initiative met Anna Example again on Tuesday.\n"
                 "Bob Sample said nothing about the talks.\n",
    }
    plain = small_corpus(tmp_path, corpus)
    assert entity(plain, "Widget Project") is not entity(plain, "Widget Initiative")
    assert "Sample" in forms(plain, "Bob Sample")
    (tmp_path / "entities.yml").write_text(
        "merge:\n  - [Widget Project, Widget Initiative]\n"
        "rename:\n  Widget Project: The Widget Project\n"
        "type:\n  Widget Project: other\n"
        "ignore:\n  - Springfield\n"
        "split:\n  - Sample\n"
        "  - Nobody Known\n", encoding="utf-8")
    curated = build_dossier(tmp_path, TODAY)
    widget = entity(curated, "Widget Project")
    assert {"Widget Project", "Widget Initiative"} <= forms(curated, "Widget Project")
    assert (widget.name, widget.type) == ("The Widget Project", "other")
    assert len(widget.curated) == 3
    assert not [e for e in curated.entities if "Springfield" in {a.text for a in e.aliases}]
    assert entity(curated, "Sample") is not entity(curated, "Bob Sample")
    problem = [p for p in curated.problems if "Nobody Known" in p.message]
    assert problem and problem[0].file == "entities.yml" and problem[0].line == 11


def test_splitting_an_entity_by_its_id_rather_than_a_spelling_is_reported_not_fatal(tmp_path):
    (tmp_path / "a.txt").write_text("President Anna Example met Bob Sample in Springfield on Monday morning.\n"
                                    "Later, Sample said the talks had gone well.\n", encoding="utf-8")
    (tmp_path / "entities.yml").write_text("split:\n  - bob-sample\n", encoding="utf-8")
    dossier = build_dossier(tmp_path, TODAY)
    assert {"Bob Sample", "Sample"} <= forms(dossier, "Bob Sample")
    (problem,) = [p for p in dossier.problems if p.file == "entities.yml"]
    assert problem.line == 2 and "not one of its spellings ('Bob Sample', 'Sample')" in problem.message


def test_renaming_to_nothing_or_two_entities_to_one_name_is_reported(tmp_path):
    (tmp_path / "a.txt").write_text("President Anna Example met Bob Sample in Springfield on Monday morning.\n",
                                    encoding="utf-8")
    (tmp_path / "entities.yml").write_text('rename:\n  Anna Example: ""\n  Bob Sample: Same Name\n'
                                           "  Springfield: Same Name\n", encoding="utf-8")
    dossier = build_dossier(tmp_path, TODAY)
    assert entity(dossier, "Anna Example").name == "Anna Example"
    assert sorted(str(p) for p in dossier.problems if p.file == "entities.yml") == [
        "entities.yml:2: error: rename of 'Anna Example' gives no new name: ignored",
        "entities.yml:4: warning: 'Same Name' is the new name of two entities: both keep it, and the index shows it twice",
    ]


def test_curated_file_with_bad_shape_is_reported_not_fatal(tmp_path):
    (tmp_path / "a.txt").write_text("Anna Example met Bob Sample in the capital on a grey morning.\n"
                                    "Bob Sample said later that the talks had gone well.\n", encoding="utf-8")
    (tmp_path / "entities.yml").write_text("merge: Anna\ntype:\n  Bob Sample: alien\nfoo: 1\n", encoding="utf-8")
    problems = []
    curation = load_curation(tmp_path, problems)
    messages = [str(p) for p in problems]
    assert any(m.startswith("entities.yml:1:") and "merge" in m for m in messages)
    assert any(m.startswith("entities.yml:3:") and "alien" in m for m in messages)
    assert any(m.startswith("entities.yml:4:") and "foo" in m for m in messages)
    assert find_entities(build_dossier(tmp_path, TODAY).articles, curation=curation)


def test_export_lists_entities_with_aliases_and_mentions(seed_dossier):
    data = json.loads(json.dumps(export_dossier(seed_dossier)))
    kherson = next(e for e in data["entities"] if e["name"] == "Kherson")
    assert kherson["type"] == "place" and "Jerson" in kherson["aliases"]
    first = kherson["mentions"][0]
    assert set(first) == {"article", "paragraph", "start", "end", "text"}
    assert first["paragraph"].startswith("p")


def test_entity_pages_show_the_first_mentions_in_context_and_list_the_rest_by_paragraph(seed_dossier):
    from builder.render import further_mentions, mentions_in_context

    kherson = entity(seed_dossier, "Kherson")
    by_id = {a.id: a for a in seed_dossier.articles}
    shown = mentions_in_context(kherson, by_id, limit=10)
    rest = further_mentions(kherson, by_id, skip=10)
    assert len(shown) == 10 and all(c.name in {"Kherson", "Jerson"} for c in shown)
    assert sum(n for _, paragraphs in rest for _, n in paragraphs) == len(kherson.mentions) - 10


def test_a_name_also_written_in_capitals_still_finds_its_city():
    """"COMO" in a headline and "Como" in the text: the city is found whichever spelling comes first."""
    from builder.gazetteer import find_places
    for names in (["COMO", "Como"], ["Como", "COMO"]):
        found = find_places(dict.fromkeys(names).keys())
        assert any(p.kind == "city" and p.country == "IT" for p in found["como"])
    assert not any(p.kind == "city" for p in find_places({"NATO"}).get("nato", ()))


def names_and_types(dossier):
    return {e.name: e.type for e in dossier.entities}


def test_a_german_place_name_the_dictionary_knows_is_still_a_place(tmp_path):
    """German capitalises every noun, so its dictionary knows "Brasilien" and "Hamburg"
    as words: the gazetteer decides, and an article before a city's name makes it a noun."""
    dossier = small_corpus(tmp_path, {"a.txt": (
        "Frachter im Sturm\n\n"
        "Das Frachtschiff war auf dem Weg von Brasilien nach Hamburg, als der Motor ausfiel. "
        "Die Besatzung, alle aus Indien, ist wohlauf. Das Essen an Bord reichte noch für eine Woche. "
        "Der Kapitän will nach Ägypten weiterfahren und später nach Lissabon.\n")})
    found = names_and_types(dossier)
    for place in ("Brazil", "Hamburg", "India", "Egypt", "Lissabon"):
        assert found.get(place) == "place", place
    assert "Essen" not in found


def test_a_company_is_known_by_the_word_that_ends_its_name_not_taken_for_a_person(tmp_path):
    dossier = small_corpus(tmp_path, {
        "a.txt": "Norvik Shipping said on Monday that 40 ships were waiting. Later Norvik said the queue was shorter. "
                 "The tanker belongs to Halden Marine and is insured by Brenner AG.\n",
        "b.txt": "KLT said the vessel would be refloated. Tove Aasen said she had waited for a week.\n"})
    assert forms(dossier, "Norvik Shipping") == {"Norvik Shipping", "Norvik"}
    for name in ("Norvik Shipping", "Halden Marine", "Brenner AG"):
        assert entity(dossier, name).type == "organisation", name
    assert entity(dossier, "KLT").type != "person"
    person = entity(dossier, "Tove Aasen")
    assert person.type == "person" and person.type_confidence < 1  # one speech verb and the shape of a name


def test_an_institution_compound_is_an_organisation_with_its_abbreviation_not_the_place_it_names(tmp_path):
    dossier = small_corpus(tmp_path, {
        "a.txt": "Skibet sidder fast i Kelmarkanalen. Ifølge Kelmarkanalmyndigheden (KKM) kan det tage uger.\n",
        "b.txt": "Das Schiff steckt seit Dienstag fest, teilte die Kelmarkanalbehörde (KKM) mit. "
                 "Der Chef der Behörde, Tarek Mansour, sprach von einem Erfolg. "
                 "Die Behörde will den Kanal offen halten.\n"})
    authority = entity(dossier, "KKM")
    assert authority.type == "organisation"
    assert {"Kelmarkanalmyndigheden", "Kelmarkanalbehörde"} <= forms(dossier, "KKM")
    assert "Kelmarkanalen" not in forms(dossier, "KKM")
    assert not any("Chef" in e.name for e in dossier.entities)
    assert "Behörde" in forms(dossier, "KKM")  # the article's one authority


def test_a_quoted_name_and_a_name_with_a_particle_keep_every_word(tmp_path):
    dossier = small_corpus(tmp_path, {
        "a.txt": "Schiff frei\n\nDas Containerschiff \"Blaue Möwe\" ist wieder frei. Präsident Tarek al-Haddad dankte den Helfern.\n"})
    assert "Blaue Möwe" in {e.name for e in dossier.entities}
    assert "Tarek al-Haddad" in {e.name for e in dossier.entities}


def test_a_common_noun_that_speaks_is_not_a_person(tmp_path):
    dossier = small_corpus(tmp_path, {
        "a.txt": "Skibet ligger på tværs i kanalen. Bjærgningshold advarer om, at det kan tage uger.\n\n"
                 "Die Bergungsmannschaften sagten, es werde Tage dauern.\n"})
    assert not any(e.type == "person" for e in dossier.entities)


def test_an_institution_name_with_lower_case_words_is_one_name(tmp_path):
    """French, Spanish, Italian and Portuguese write an institution's name with its inner
    words in lower case ("l'Autorité du port de Valmorel", "il Ministero della pesca"):
    the whole name is the organisation, linked to its abbreviation and other spellings,
    and the bare institution word later in the article is that organisation."""
    dossier = small_corpus(tmp_path, {
        "en.txt": "The Valmorel Port Authority (VPA) said 40 ships were waiting on Monday.\n\n"
                  "The VPA expects the port to reopen on Friday.\n",
        "fr.txt": "Selon l'Autorité du port de Valmorel (VPA), quarante navires attendaient lundi.\n\n"
                  "« Le port rouvrira vendredi », a indiqué l'Autorité dans un communiqué.\n\n"
                  "L'Agence nationale de sécurité sanitaire enquête sur l'accident.\n",
        "it.txt": "Il Ministero della pesca ha chiesto un rapporto alla capitaneria di Valmorel.\n\n"
                  "Il Ministero della pesca seguirà la vicenda.\n",
    })
    authority = entity(dossier, "Autorité du port de Valmorel")
    assert {"Valmorel Port Authority", "VPA", "Autorité"} <= forms(dossier, "Autorité du port de Valmorel")
    assert authority.name != "Autorité"
    assert "Agence nationale de sécurité sanitaire" in {a.text for e in dossier.entities for a in e.aliases}
    assert "Ministero della pesca" in {a.text for e in dossier.entities for a in e.aliases}
    assert not [e for e in dossier.entities if e.name in ("Autorité", "Agence", "Ministero")]


def test_a_place_or_company_between_a_title_and_a_name_is_not_part_of_the_name(tmp_path):
    """After a title, what completes it comes off the name: a city after a preposition
    ("w Krakowie", "у Кракові"), a company ended by its company word ("Halvik Ferries"),
    a country or dictionary word after lower-case words that complete the title
    ("ministro norvegese della Pesca", "міністр рибальства Норвегії"), and dictionary
    words before the title ("Norwegian Fisheries Minister")."""
    dossier = small_corpus(tmp_path, {
        "pl.txt": "Konsul generalny Litwy w Krakowie Rimas Kazlauskas potwierdził, że statek zatonął. "
                  "Prezes Halvik Ferries Anna Brekke przeprosiła rodziny.\n",
        "uk.txt": "Генеральний консул Литви у Кракові Рімас Казлаускас повідомив про загиблих. "
                  "Заяву зробив міністр рибальства Норвегії Улав Твейт.\n",
        "it.txt": "Il ministro norvegese della Pesca Olav Tveit ha detto che la nave era sicura. "
                  "La portavoce del cantiere, Giulia Rinaldi, ha confermato.\n",
        "en.txt": "Norwegian Fisheries Minister Olav Tveit told reporters the ship was safe. Halvik Ferries said it "
                  "would cooperate.\n"})
    names = {e.name for e in dossier.entities}
    for glued in ("Krakowie Rimas Kazlauskas", "Кракові Рімас Казлаускас", "Halvik Ferries Anna Brekke",
                  "Pesca Olav Tveit", "Норвегії Улав Твейт", "Norwegian Fisheries"):
        assert not any(glued in a.text for e in dossier.entities for a in e.aliases), glued
    assert {"Rimas Kazlauskas", "Anna Brekke", "Olav Tveit"} <= names
    assert entity(dossier, "Halvik Ferries").type == "organisation"
    assert entity(dossier, "Krakowie") is entity(dossier, "Кракові")
    assert entity(dossier, "Giulia Rinaldi").type == "person"  # the yard's spokeswoman, not the yard


def test_company_and_institution_words_of_every_language_make_organisations(tmp_path):
    dossier = small_corpus(tmp_path, {
        "en.txt": "The ferry was built by Cantiere Navale Tirreno and operated by Torvik Ferries. "
                  "Shares fell on Tromsø Børs. The Marynarka Handlowa sent helicopters.\n",
        "nl.txt": "De opdracht kwam van verzekeraar Skjold. Het ziekenhuis Sint-Lucas nam gewonden op.\n",
        "sv.txt": "Statens kustmyndighet, SKM, ska utreda olyckan. Kustverkets helikopter deltog.\n",
        "nb.txt": "Statens kystverk (SKV) har sendt to observatører.\n"})
    for name in ("Cantiere Navale Tirreno", "Torvik Ferries", "Tromsø Børs", "Marynarka Handlowa", "Skjold",
                 "Statens kustmyndighet", "Kustverkets", "Statens kystverk"):
        assert entity(dossier, name).type == "organisation", name
    assert entity(dossier, "SKM") is entity(dossier, "Statens kustmyndighet")
    assert entity(dossier, "SKV") is not entity(dossier, "SKM")  # two countries' boards


def test_a_word_of_another_language_or_an_article_between_names_does_not_join_them(tmp_path):
    """Italian "dal" ("from the") is no Norwegian "dal" (valley); "la" alone between two
    names begins the second; a place word set off by a comma is not the name's."""
    dossier = small_corpus(tmp_path, {
        "it.txt": "Era uscita nel 2009 dal Cantiere Navale Tirreno di Livorno la Stella Polare, il traghetto.\n",
        "pt.txt": "A ministra da Pesca, Joana Pires Lobo, disse que a investigação começou.\n"})
    assert "Stella Polare" in {a.text for e in dossier.entities for a in e.aliases}
    assert all("'dal'" not in reason for e in dossier.entities for reason in e.type_evidence)
    assert entity(dossier, "Joana Pires Lobo").type == "person"


def test_ukrainian_and_latin_spellings_of_a_name_meet(tmp_path):
    """Ukrainian writes h as "г" ("Гольмвік" is Holmvik) and a Scandinavian j as "ю"
    ("Юнас" is Jonas): the keys compare these spellings too."""
    dossier = small_corpus(tmp_path, {
        "en.txt": "Spokesman Jonas Holmvik said the fire was out. Captain Eirik Sulstad left the ship last.\n",
        "uk.txt": "Речник Юнас Гольмвік заявив, що пожежу загасили. Капітан Ейрік Сюльстад залишив судно останнім.\n"})
    assert entity(dossier, "Jonas Holmvik") is entity(dossier, "Юнас Гольмвік")


def test_an_institution_keeps_its_inner_conjunction_and_meets_its_initials(tmp_path):
    dossier = small_corpus(tmp_path, {
        "en.txt": "The Coastal Search and Rescue Service said helicopters from Norway and Denmark's Navy helped. "
                  "The Commission on Maritime Safety will investigate.\n",
        "pl.txt": "Postępowanie wszczęła Krajowa Komisja Badania Wypadków Lotniczych. "
                  "Według Urzędu Żeglugi i Ratownictwa statek zatonął.\n",
        "nl.txt": "De onderzoeksraad KKBWL onderzoekt de ramp.\n"})
    aliases = {a.text for e in dossier.entities for a in e.aliases}
    assert {"Coastal Search and Rescue Service", "Commission on Maritime Safety", "Urzędu Żeglugi i Ratownictwa"} <= aliases
    assert "Norway" in aliases and "Denmark's Navy" not in {e.name for e in dossier.entities if "Norway" in e.name}
    assert entity(dossier, "KKBWL") is entity(dossier, "Krajowa Komisja Badania Wypadków Lotniczych")


def test_a_route_a_quote_s_first_word_and_a_firm_after_a_preposition_are_no_names_of_their_own(tmp_path):
    dossier = small_corpus(tmp_path, {
        "en.txt": "The ferry ran the Tromsø-Kirkenes line. It was bound for Kirkenes. \"Statek płonie,\" the captain "
                  "radioed. \"Statek płonie,\" he repeated.\n",
        "nb.txt": "Analytiker Per Lunde i Fjordkapital sier at kursfallet er stort.\n"})
    assert "Tromsø-Kirkenes" not in forms(dossier, "Kirkenes")
    assert "Statek" not in {a.text for e in dossier.entities for a in e.aliases}
    assert not [e for e in dossier.entities if e.name == "Fjordkapital" and e.type == "person"]
