"""The temporal tagger: every time expression in the seeds, and each language's forms."""

import datetime as dt
import json
import subprocess
import sys

import pytest

from builder import timex
from builder.locale_data import SUPPORTED_LANGUAGES
from builder.timeline import article_dct
from conftest import REPO, article

# Every expression the tagger finds in the seeds' body text: (file, paragraph index,
# text, type, value), resolved against each article's publication date (2022-11-11;
# 000 and 001 have it inferred from the other articles).
SEED_EXPRESSIONS = [
    ("000_", 5, "Fredag formiddag", "TIME", "2022-11-11TMO"),
    ("000_", 6, "klokken 5 fredag morgen lokal tid", "TIME", "2022-11-11T05:00"),
    ("000_", 7, "åtte og en halv måned", "DURATION", "P8.5M"),
    ("000_", 9, "fredag", "DATE", "2022-11-11"),
    ("000_", 10, "for en måned siden", "DATE", "2022-10"),
    ("001_", 0, "this Friday", "DATE", "2022-11-11"),
    ("001_", 0, "almost nine months", "DURATION", "P9M"),
    ("001_", 2, "more than eight months", "DURATION", "P8M"),
    ("001_", 2, "mid-March", "DATE", "2022-03"),
    ("001_", 4, "February 24", "DATE", "2022-02-24"),
    ("001_", 4, "the spring", "DATE", "2022-SP"),
    ("001_", 4, "September", "DATE", "2022-09"),
    ("001_", 7, "Earlier this Friday", "DATE", "2022-11-11"),
    ("001_", 7, "5 am from Moscow", "TIME", "2022-11-11T05:00+03:00"),
    ("001_", 9, "the end of September", "DATE", "2022-09"),
    ("001_", 11, "the end of the summer", "DATE", "2022-SU"),
    ("001_", 11, "Wednesday", "DATE", "2022-11-09"),
    ("001_", 12, "Friday", "DATE", "2022-11-11"),
    ("001_", 14, "September", "DATE", "2022-09"),
    ("001_", 16, "September 21", "DATE", "2022-09-21"),
    ("001_", 17, "nightly", "SET", "P1D"),
    ("001_", 19, "weeks", "DURATION", "PXW"),
    ("001_", 20, "Thursday", "DATE", "2022-11-10"),
    ("001_", 20, "the last two days", "DURATION", "P2D"),
    ("001_", 22, "weeks", "DURATION", "PXW"),
    ("001_", 23, "the night from Thursday to Friday", "TIME", "2022-11-10TNI"),
    ("001_", 25, "the summer", "DATE", "2022-SU"),
    ("002_", 0, "Friday", "DATE", "2022-11-11"),
    ("002_", 0, "almost nine months", "DURATION", "P9M"),
    ("002_", 8, "February 24", "DATE", "2022-02-24"),
    ("002_", 8, "the end of September", "DATE", "2022-09"),
    ("002_", 18, "the end of the summer", "DATE", "2022-SU"),
    ("002_", 18, "Wednesday", "DATE", "2022-11-09"),
    ("002_", 19, "Friday", "DATE", "2022-11-11"),
    ("002_", 22, "September", "DATE", "2022-09"),
    ("002_", 23, "September", "DATE", "2022-09"),
    ("002_", 25, "Thursday", "DATE", "2022-11-10"),
    ("002_", 25, "Friday", "DATE", "2022-11-11"),
    ("002_", 27, "September", "DATE", "2022-09"),
    ("002_", 30, "this Friday", "DATE", "2022-11-11"),
    ("002_", 33, "today", "DATE", "2022-11-11"),
    ("002_", 38, "weeks", "DURATION", "PXW"),
    ("002_", 39, "Thursday", "DATE", "2022-11-10"),
    ("002_", 39, "Friday", "DATE", "2022-11-11"),
    ("002_", 42, "months", "DURATION", "PXM"),
    ("002_", 43, "next week", "DATE", "2022-W46"),
    ("003_", 9, "Friday", "DATE", "2022-11-11"),
    ("003_", 11, "2014", "DATE", "2014"),
    ("003_", 13, "earlier this week", "DATE", "2022-W45"),
    ("003_", 16, "Friday", "DATE", "2022-11-11"),
    ("003_", 17, "late Thursday", "DATE", "2022-11-10"),
    ("004_", 0, "Friday", "DATE", "2022-11-11"),
    ("004_", 0, "nearly nine months", "DURATION", "P9M"),
    ("004_", 2, "late September", "DATE", "2022-09"),
    ("004_", 3, "months", "DURATION", "PXM"),
    ("004_", 3, "right now", "DATE", "PRESENT_REF"),
    ("004_", 4, "2014", "DATE", "2014"),
    ("004_", 5, "months", "DURATION", "PXM"),
]


def test_every_seed_time_expression_resolves_as_pinned(seed_dossier):
    found = []
    for a in sorted(seed_dossier.articles, key=lambda a: a.file):
        dct, precision = article_dct(a)
        for p in a.body_paragraphs:
            for e in timex.tag(p.text, p.language or a.language.value, dct, precision):
                found.append((a.file[:4], p.index, e.text, e.type, e.value))
    assert found == SEED_EXPRESSIONS


def test_seed_parts_of_periods_carry_their_range(seed_dossier):
    fr = article(seed_dossier, "001_")
    dct, _ = article_dct(fr)
    by_text = {e.text: e for p in fr.body_paragraphs for e in timex.tag(p.text, "en", dct)}
    end_september = by_text["the end of September"]
    assert (end_september.mod, end_september.range_start, end_september.range_end) == ("END", "2022-09-21", "2022-09-30")
    assert (by_text["the spring"].range_start, by_text["the spring"].range_end) == ("2022-03-01", "2022-05-31")
    assert by_text["the end of the summer"].mod == "END"


def test_stated_zone_is_kept_and_a_city_zone_gets_its_offset():
    nb = timex.tag("Alt var fullført klokken 5 fredag morgen lokal tid.", "nb", dt.date(2022, 11, 11))
    assert [(e.value, e.zone) for e in nb] == [("2022-11-11T05:00", "lokal tid")]
    en = timex.tag("It was completed at 5 am Moscow time on Friday.", "en", dt.date(2022, 11, 11))
    assert (en[0].value, en[0].zone) == ("2022-11-11T05:00+03:00", "Moscow time")


@pytest.mark.parametrize("lang, text, zone", [
    ("it", "ha colpito alle 4:17 ora locale", "ora locale"),  # "ora" also follows an hour
    ("es", "ocurrió a las 4:17 hora local", "hora local"),
    ("pt", "ocorreu às 4h17 hora local", "hora local"),
    ("fr", "s'est produit à 4h17 heure locale", "heure locale"),
    ("nl", "vond om 04.17 uur plaatselijke tijd plaats", "plaatselijke tijd"),  # a time, not 4.17 hours
])
def test_a_local_time_zone_whose_first_word_follows_hours_is_read_whole(lang, text, zone):
    (found,) = timex.tag(text, lang, dt.date(2023, 2, 6))
    assert (found.type, found.value, found.zone) == ("TIME", "2023-02-06T04:17", zone)


FRIDAY = dt.date(2022, 11, 11)  # a Friday


@pytest.mark.parametrize("text, value", [
    ("They met on Friday.", "2022-11-11"),  # the DCT's own weekday: that day
    ("They met on Thursday.", "2022-11-10"),  # most recent such day before
    ("They met on Saturday.", "2022-11-05"),
    ("He will travel on Saturday.", "2022-11-12"),  # a clause about the future: forward
    ("They will meet next Monday.", "2022-11-14"),
    ("They met last Friday.", "2022-11-04"),
])
def test_weekday_policy(text, value):
    (e,) = timex.tag(text, "en", FRIDAY)
    assert e.value == value


def test_expressions_without_an_anchor_stay_unresolved():
    (weekday,) = timex.tag("Das teilten die Behörden am Donnerstag mit.", "de", None)
    assert weekday.value == "XXXX-WXX-4" and weekday.range_start is None
    (yesterday,) = timex.tag("I går sa han det.", "nb", None)
    assert yesterday.value is None
    month_only = timex.tag("They met on Friday.", "en", dt.date(2022, 11, 1), "month")
    assert month_only[0].value == "XXXX-WXX-5"  # a month-precise DCT does not fix a weekday
    (stated,) = timex.tag("Il est né le 3 mars 2020.", "fr", None)
    assert stated.value == "2020-03-03"  # a full date needs no anchor


def test_yearless_date_is_past_unless_shortly_ahead_or_future():
    assert timex.tag("The invasion began on February 24.", "en", FRIDAY)[0].value == "2022-02-24"
    assert timex.tag("The summit is on December 5.", "en", FRIDAY)[0].value == "2022-12-05"
    assert timex.tag("The party was on December 25.", "en", dt.date(2022, 1, 10))[0].value == "2021-12-25"


THURSDAY = dt.date(2024, 10, 31)

# (language, text, [(expression, type, value)]) with the publication date Thursday 31 October 2024.
LANGUAGE_CASES = [
    ("en", "The toll rose to 158 on Thursday; rain fell on Tuesday night, MADRID, Oct 31.",
     [("Thursday", "DATE", "2024-10-31"), ("Tuesday night", "TIME", "2024-10-29TNI"), ("Oct 31", "DATE", "2024-10-31")]),
    ("nb", "Flommen kom i går, og myndighetene oppdaterte tallet torsdag. For tre dager siden var det tørt.",
     [("i går", "DATE", "2024-10-30"), ("torsdag", "DATE", "2024-10-31"), ("For tre dager siden", "DATE", "2024-10-28")]),
    ("nn", "Styresmaktene melde torsdag at flaumen kom natt til onsdag, i slutten av oktober.",
     [("torsdag", "DATE", "2024-10-31"), ("natt til onsdag", "TIME", "2024-10-29TNI"), ("i slutten av oktober", "DATE", "2024-10")]),
    ("da", "Myndighederne oplyste torsdag, at regnen faldt i går aftes og i sidste uge.",
     [("torsdag", "DATE", "2024-10-31"), ("i går aftes", "TIME", "2024-10-30TEV"), ("i sidste uge", "DATE", "2024-W43")]),
    ("sv", "Myndigheterna uppger på torsdagen att regnet kom i tisdags kväll och i förra veckan.",
     [("torsdagen", "DATE", "2024-10-31"), ("i förra veckan", "DATE", "2024-W43")]),
    ("de", "Das teilten die Behörden am Donnerstag mit. Vor drei Tagen, am Dienstagabend um 20 Uhr, begann der Regen; Ende Oktober 2024.",
     [("Donnerstag", "DATE", "2024-10-31"), ("Vor drei Tagen", "DATE", "2024-10-28"),
      ("Dienstagabend um 20 Uhr", "TIME", "2024-10-29T20:00"), ("Ende Oktober 2024", "DATE", "2024-10")]),
    ("fr", "Les secours poursuivaient jeudi leurs recherches. Publié le 31/10/2024. Hier soir, la pluie a cessé; mi-mars, début 2025.",
     [("jeudi", "DATE", "2024-10-31"), ("31/10/2024", "DATE", "2024-10-31"), ("Hier soir", "TIME", "2024-10-30TEV"),
      ("mi-mars", "DATE", "2024-03"), ("début 2025", "DATE", "2025")]),
    ("es", "VALENCIA, 30 oct (EFE) - El agua destruyó viviendas durante la noche del martes. Hace dos días llovía; a finales de septiembre no.",
     [("30 oct", "DATE", "2024-10-30"), ("noche del martes", "TIME", "2024-10-29TNI"), ("Hace dos días", "DATE", "2024-10-29"),
      ("a finales de septiembre", "DATE", "2024-09")]),
    ("it", "Le piogge di martedì sera hanno causato 158 morti, ha detto ieri la protezione civile; la scorsa settimana era sereno.",
     [("martedì sera", "TIME", "2024-10-29TEV"), ("ieri", "DATE", "2024-10-30"), ("la scorsa settimana", "DATE", "2024-W43")]),
    ("pt", "As autoridades divulgaram o balanço nesta quinta-feira; a chuva começou na terça-feira à noite, há três dias.",
     [("nesta quinta-feira", "DATE", "2024-10-31"), ("terça-feira à noite", "TIME", "2024-10-29TNI"), ("há três dias", "DATE", "2024-10-28")]),
    ("nl", "Dat meldden de autoriteiten donderdag. Het noodweer begon dinsdagavond, vorige week was het droog.",
     [("donderdag", "DATE", "2024-10-31"), ("dinsdagavond", "TIME", "2024-10-29TEV"), ("vorige week", "DATE", "2024-W43")]),
    ("pl", "Władze poinformowały w czwartek, że wczoraj wieczorem padało; w nocy z poniedziałku na wtorek też.",
     [("czwartek", "DATE", "2024-10-31"), ("wczoraj wieczorem", "TIME", "2024-10-30TEV"),
      ("w nocy z poniedziałku na wtorek", "TIME", "2024-10-28TNI")]),
    ("ru", "МАДРИД, 31 октября. Власти сообщили в четверг, что вчера вечером шёл дождь, а в ночь со вторника на среду был шторм.",
     [("31 октября", "DATE", "2024-10-31"), ("четверг", "DATE", "2024-10-31"), ("вчера вечером", "TIME", "2024-10-30TEV")]),
    ("uk", "Місцеві органи влади повідомили в четвер, що вчора ввечері пройшла злива; три дні тому було сухо.",
     [("четвер", "DATE", "2024-10-31"), ("вчора ввечері", "TIME", "2024-10-30TEV"), ("три дні тому", "DATE", "2024-10-28")]),
]


def test_every_supported_language_has_a_case():
    assert sorted(case[0] for case in LANGUAGE_CASES) == sorted(SUPPORTED_LANGUAGES)


@pytest.mark.parametrize("lang, text, expected", LANGUAGE_CASES, ids=[c[0] for c in LANGUAGE_CASES])
def test_language_forms(lang, text, expected):
    found = [(e.text, e.type, e.value) for e in timex.tag(text, lang, THURSDAY)]
    for item in expected:
        assert item in found


@pytest.mark.parametrize("lang, text, value", [
    ("en", "after eight and a half months of war", "P8.5M"),
    ("nb", "under sin åtte og en halv måned lange krigføring", "P8.5M"),
    ("de", "nach achteinhalb Monaten Krieg", "P8.5M"),
    ("fr", "après huit mois et demi de guerre", "P8.5M"),
    ("ru", "после восьми с половиной месяцев", None),  # an inflected number word: not covered
])
def test_durations(lang, text, value):
    durations = [e.value for e in timex.tag(text, lang, THURSDAY) if e.type == "DURATION"]
    assert durations == ([value] if value else [])


def test_ages_and_percentages_are_not_time_expressions():
    assert timex.tag("Sergei, a 26-year-old IT employee, said so.", "en", THURSDAY) == []
    assert timex.tag("Elvis Weiss, 20 ans, a déjà un casier judiciaire.", "fr", THURSDAY) == []
    assert timex.tag("The index fell by 4.08 % to 8,017.", "en", THURSDAY) == []


def test_timex_command_prints_offsets_into_the_file(tmp_path):
    text = "Fredag formiddag meldte departementet at alt var fullført klokken 5 fredag morgen lokal tid."
    path = tmp_path / "nb.txt"
    path.write_text(text, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "builder", "timex", "--dct", "2022-11-11", "--lang", "nb", str(path)],
                         capture_output=True, text=True, check=True, cwd=REPO)
    found = json.loads(out.stdout)
    assert [sorted(item) for item in found] == [["end", "start", "text", "type", "value"]] * 2
    for item in found:
        assert text[item["start"]:item["end"]] == item["text"]
    assert [(i["type"], i["value"]) for i in found] == [("TIME", "2022-11-11TMO"), ("TIME", "2022-11-11T05:00")]


def test_a_rule_is_skipped_only_where_it_cannot_match():
    """The prechecks (a digit, a month name, an "ago" word...) never hide a match: each
    rule, run on every paragraph of both fixtures in every language, matches only where
    its needs are present."""
    from conftest import CORPUS, OTHER_EVENT

    texts = [p for folder in (CORPUS, OTHER_EVENT) for f in sorted(folder.rglob("*")) if f.suffix in (".md", ".txt")
             for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    texts += [t.upper() for t in texts] + ["for tre dager siden, 5. mars", "vor zwei Jahren", "il y a deux semaines"]
    checked = 0
    for lang in SUPPORTED_LANGUAGES:
        g = timex.grammar(lang)
        for text in texts:
            folded = timex.case_fold(text)
            digit = timex.DIGIT.search(text) is not None
            for (rule, pattern), needs in zip(g.rules, g.needs):
                if any(m.end() > m.start() for m in pattern.finditer(text)):
                    checked += 1
                    assert all(needles is None or (digit and counts) or any(n in folded for n in needles)
                               for counts, needles in needs), (lang, rule, text[:80])
    assert checked > 500


def test_the_folded_rules_on_folded_text_match_where_the_rules_match_the_text():
    """find runs each rule without IGNORECASE on the case-folded paragraph: the same
    matches, group for group (as lower case), in every language, for text as written,
    in capitals and in mixed case."""
    from conftest import CORPUS, OTHER_EVENT

    texts = [p for folder in (CORPUS, OTHER_EVENT) for f in sorted(folder.rglob("*")) if f.suffix in (".md", ".txt")
             for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    texts += [t.upper() for t in texts] + [t.swapcase() for t in texts]
    texts += ["Vor zwei Tagen, am 5. MÄRZ um 14.30 Uhr", "THE NIGHT FROM FRIDAY TO SATURDAY, 2022-11-11T05:00 5 PM",
              "for tre dager siden, 5. mars", "il y a deux semaines"]
    matched = 0
    for lang in SUPPORTED_LANGUAGES:
        g = timex.grammar(lang)
        for text in texts:
            folded = timex.case_fold(text)
            if folded != text.lower():
                continue  # find runs the rules themselves on such text
            for (rule, pattern), (same, folded_pattern) in zip(g.rules, g.folded_rules):
                expected = [(m.span(), {k: v and v.lower() for k, v in m.groupdict().items()})
                            for m in pattern.finditer(text)]
                assert [(m.span(), m.groupdict()) for m in folded_pattern.finditer(folded)] == expected, \
                    (lang, rule, text[:80])
                matched += len(expected)
    assert matched > 1000


def test_lower_case_stands_for_the_folding_exactly_when_they_are_equal():
    for text in ["Hello World", "İstanbul", "ſeit", "ΟΔΟΣ ΣΑΣ", "Москва", "Straße ẞ", "ıi", "µm", "Ꙋᲈꙋ", ""]:
        lowered = timex.lower_if_folded(text)
        assert (lowered is not None) == (timex.case_fold(text) == text.lower()), text
        assert lowered is None or lowered == timex.case_fold(text)


def test_case_folding_keeps_positions_and_reads_as_ignorecase_does():
    assert timex.case_fold("İSTANBUL Straße ſeit") == "istanbul straße seit"
    assert len(timex.case_fold("İİ ΣΑΣ")) == len("İİ ΣΑΣ")


FRIDAY_MAY = dt.date(2023, 5, 12)


@pytest.mark.parametrize("lang, text, value", [
    ("en", "High waters expected on Monday could flood the quay.", "2023-05-15"),
    ("en", "Storms are expected Monday along the coast.", "2023-05-15"),
    ("nb", "Uværet ventes over kysten mandag.", "2023-05-15"),
    ("da", "Stormen forventes over kysten mandag.", "2023-05-15"),
    ("sv", "Stormen väntas nå kusten på måndag.", "2023-05-15"),
    ("de", "Die für Montag erwartete Sturmflut bedroht den Hafen.", "2023-05-15"),
    ("fr", "Les fortes marées attendues lundi menacent le port.", "2023-05-15"),
    ("es", "La llegada del buque está prevista el lunes.", "2023-05-15"),
    ("it", "L'arrivo della nave è previsto lunedì.", "2023-05-15"),
    ("pt", "A chegada do navio está prevista para segunda-feira.", "2023-05-15"),
    ("nl", "De storm wordt naar verwachting maandag verwacht.", "2023-05-15"),
    ("pl", "Przybycie statku jest planowane na poniedziałek.", "2023-05-15"),
    ("ru", "Прибытие судна ожидается в понедельник.", "2023-05-15"),
    ("uk", "Прибуття судна очікується в понеділок.", "2023-05-15"),
    ("en", "The ferry docked on Monday, as expected.", "2023-05-08"),  # no future cue: back
])
def test_a_weekday_after_a_cue_of_expectation_points_forward(lang, text, value):
    (weekday,) = [e for e in timex.tag(text, lang, FRIDAY_MAY) if e.type == "DATE"]
    assert weekday.value == value


@pytest.mark.parametrize("text", ["vers 7 h 40, heure locale", "à 7h40", "à 07 h 40 précises",
                                  "vers 7 h 40 heure locale"])  # "40 heure" is no duration
def test_a_clock_written_with_the_hour_letter_keeps_its_minutes(text):
    (clock,) = timex.tag(f"Le bac a touché le fond mardi {text}.", "fr", FRIDAY_MAY)
    assert clock.value == "2023-05-09T07:40"


@pytest.mark.parametrize("lang, text, offsets", [
    ("en", "The ferry ran aground on Tuesday.", (0, 6)),  # that day or the six after
    ("de", "Die Fähre war am vergangenen Dienstag auf Grund gelaufen.", (1, 7)),  # strictly before
    ("en", "The ferry will leave on Tuesday.", (-6, 0)),  # in the future
    ("en", "The ferry leaves next Tuesday.", (-7, -1)),
])
def test_the_publication_days_a_weekday_admits_follow_the_weekday_policy(lang, text, offsets):
    (start,) = timex.weekday_dct_offsets(text, lang)
    assert timex.weekday_dct_offsets(text, lang)[start] == offsets
    for after in range(offsets[0], offsets[1] + 1):  # resolved against each of them: the same Tuesday
        (e,) = timex.tag(text, lang, dt.date(2023, 5, 9) + dt.timedelta(days=after))
        assert e.value == "2023-05-09"


SUNDAY = dt.date(2025, 9, 14)


@pytest.mark.parametrize("lang, text, dct, value", [
    ("en", "The tug could tow the barge to Lindholm on Tuesday once the storm was over.", SUNDAY, "2025-09-16"),
    ("nl", "De sleper moet het schip woensdag in de haven van Lindholm afleveren.", SUNDAY, "2025-09-17"),
    ("uk", "У вівторок компанія має відбуксирувати баржу до Ліндгольма.", SUNDAY, "2025-09-16"),
    ("de", "Der Schlepper könnte den Frachter am Dienstag nach Lindholm ziehen.", SUNDAY, "2025-09-16"),
    ("sv", "Bogserbåten kan dra pråmen till Lindholm på tisdag.", SUNDAY, "2025-09-16"),
    ("pl", "Holownik może we wtorek odholować barkę do Lindholmu.", SUNDAY, "2025-09-16"),
    ("it", "Il rimorchiatore potrebbe trainare la chiatta a Lindholm martedì.", SUNDAY, "2025-09-16"),
])
def test_a_modal_verb_puts_a_weekday_in_the_future(lang, text, dct, value):
    (weekday,) = [e for e in timex.tag(text, lang, dct) if e.type == "DATE"]
    assert weekday.value == value


def test_a_future_clause_never_reaches_across_a_sentence_end():
    text = "I dag väntas bärgarna nå pråmen. Enligt polisen släcktes branden sent på söndagskvällen."
    found = {e.text: e.value for e in timex.tag(text, "sv", dt.date(2025, 9, 15))}
    assert found["söndagskvällen"] == "2025-09-14TEV"  # the Sunday before, not the next one


@pytest.mark.parametrize("lang, text", [
    ("en", "Police said on Monday they will reopen the bridge."),
    ("nb", "Politiet sa mandag de vil åpne brua igjen."),
    ("nl", "De politie zei maandag de brug weer te zullen openen."),
])
def test_a_past_tense_verb_nearer_to_the_weekday_wins_over_a_future_marker(lang, text):
    (monday,) = [e for e in timex.tag(text, lang, FRIDAY) if e.type == "DATE"]
    assert monday.value == "2022-11-07"  # the Monday before the Friday it was published


WEDNESDAY = dt.date(2026, 3, 11)


@pytest.mark.parametrize("lang, text, value", [
    ("en", "The capsule will be sent from Frankfurt on Friday.", "2026-03-13"),  # "sent" is part of "will be sent"
    ("de", "Die Kapsel soll am Freitag aus Frankfurt geschickt werden.", "2026-03-13"),
    ("nn", "Vi reknar med å starte boringa på laurdag.", "2026-03-14"),
    ("en", "The ship sank on Friday.", "2026-03-06"),
    ("en", "The rescue could have started on Friday.", "2026-03-06"),
])
def test_a_participle_of_a_future_verb_phrase_is_no_past_tense(lang, text, value):
    (weekday,) = [e for e in timex.tag(text, lang, WEDNESDAY) if e.type == "DATE"]
    assert weekday.value == value


@pytest.mark.parametrize("lang, text", [
    ("en", "The minister is expected to visit the mine tomorrow, Thursday."),
    ("es", "La ministra visitará la mina mañana jueves."),
])
def test_a_weekday_in_apposition_to_a_day_is_that_day(lang, text):
    assert {e.value for e in timex.tag(text, lang, WEDNESDAY) if e.type == "DATE"} == {"2026-03-12"}


def test_a_bare_time_of_day_takes_the_day_named_before_it():
    saturday_evening = "The barge left Tromvik at 9 p.m. on Saturday. The engine caught fire at 2:40 a.m."
    first = timex.tag(saturday_evening, "en", dt.date(2025, 9, 15))
    assert [e.value for e in first] == ["2025-09-13T21:00", "2025-09-14T02:40"]  # after midnight: Sunday
    (mayday,) = timex.tag("The skipper sent a mayday at 3:05 a.m.", "en", dt.date(2025, 9, 15),
                          earlier=timex.last_dated(first))
    assert (mayday.value, mayday.anchor) == ("2025-09-14T03:05", "the date mentioned before it")
    (alone,) = timex.tag("The skipper sent a mayday at 3:05 a.m.", "en", dt.date(2025, 9, 15))
    assert alone.value == "2025-09-15T03:05"  # nothing before it: the publication date


def test_a_weekday_may_be_the_day_the_article_says_it_was_updated_on():
    text = "Shares in Brantford Lines fell on Monday."
    assert timex.tag(text, "en", SUNDAY)[0].value == "2025-09-08"
    (monday,) = timex.tag(text, "en", SUNDAY, updated=dt.date(2025, 9, 15))
    assert (monday.value, monday.anchor) == ("2025-09-15", "update date (weekday policy)")
    (far,) = timex.tag(text, "en", SUNDAY, updated=dt.date(2025, 9, 20))
    assert far.value == "2025-09-08"  # an update days later is another day's story


def test_a_clock_time_before_an_hour_word_is_a_time_not_a_duration():
    (done,) = timex.tag("Het vuur was maandagochtend om 11.00 uur geblust.", "nl", dt.date(2025, 9, 16))
    assert (done.type, done.value) == ("TIME", "2025-09-15T11:00")


def test_the_day_after_an_event_in_apposition_is_not_counted_from_the_date_before():
    text = "Aksjen falt på børsen i dag, dagen etter brannen i Brekkvik."
    found = {e.text: e.value for e in timex.tag(text, "nb", dt.date(2025, 9, 15))}
    assert found == {"i dag": "2025-09-15", "dagen etter": None}
    # published the day after the fire, which the words after "dagen etter" name
    ((offsets, event),) = timex.relative_day_offsets(text, "nb").values()
    assert offsets == (1, 1) and text[event:].strip() == "brannen i Brekkvik."
