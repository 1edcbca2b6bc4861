"""Inferred metadata: each field stated or inferred, with its evidence."""

import pytest

from builder.clean import build_paragraphs
from builder.metadata import _dateline, infer_agencies, infer_outlet, infer_title, is_stamp, site_name
from conftest import article


@pytest.mark.parametrize("text, expected", [
    ("МОСКВА, 26 сентября. Российские войска покинули город.", ("--09-26", "month-day")),
    ("Created: 27-09-2022", ("2022-09-27", "day")),
    ("Publié le 31/10/2024", ("2024-10-31", "day")),
    ("PARIS, 3 mars 2023 (AFP) - Le gouvernement a annoncé", ("2023-03-03", "day")),
    ("Berlin, 12. März 2024 – Die Regierung hat", ("2024-03-12", "day")),
    ("KYIV, Nov 11 (Reuters) - Moscow announced", ("--11-11", "month-day")),
    ("dinsdag 7 februari 2023, 22:05", ("2023-02-07", "day")),  # a weekday before the date
    ("Dienstag, 7. Februar 2023, 10:15 Uhr", ("2023-02-07", "day")),
    ("PAP, Reuters | 7 lutego 2023, 09:42", ("2023-02-07", "day")),  # credited names, then the date
    ("(ANSA) - ROMA, 07 FEB - Sono oltre 5.000 le vittime", ("--02-07", "month-day")),  # agency, place
    ("The meeting on Tuesday, 7 February 2023, was long.", None),
    ("The war began on February 24, 2022, when troops crossed the border.", None),
    ("UKRAINE UPDATE: nothing here", None),
    ("Stand: 14.02.2023 09:15 Uhr", ("2023-02-14", "day")),  # a stamp label in each language
    ("Laatst gewijzigd: 3 mei 2023", ("2023-05-03", "day")),
    ("Ultimo aggiornamento: 12 marzo 2023", ("2023-03-12", "day")),
    ("Дата публикации: 12.03.2023", ("2023-03-12", "day")),
])
def test_datelines_in_several_languages(text, expected):
    found = _dateline(text)
    assert (found[:2] if found else None) == expected


def test_dateline_of_a_related_story_gives_a_year_from_the_corpus(seed_dossier):
    aggregated = article(seed_dossier, "004_")
    assert aggregated.date.value == "2022-11-11"
    assert aggregated.date.inferred
    assert "Nov 11 (Reuters)" in aggregated.date.evidence
    assert "related story" in aggregated.date.method and "year 2022" in aggregated.date.method


def test_undated_article_is_dated_from_the_same_events_in_dated_articles(seed_dossier):
    bfm = article(seed_dossier, "001_")
    assert (bfm.date.value, bfm.date_precision, bfm.date.inferred) == ("2022-11-11", "day", True)
    assert "weekdays it names matched to dated articles" in bfm.date.method
    assert "“this Friday”" in bfm.date.evidence and "is 2022-11-11" in bfm.date.evidence


def test_month_only_date_is_narrowed_to_a_day_within_that_month(seed_dossier):
    nrk = article(seed_dossier, "000_")
    assert (nrk.date.value, nrk.date_precision, nrk.date.inferred) == ("2022-11-11", "day", True)
    assert "within the stated month 2022-11" in nrk.date.method
    assert "fredag" in nrk.date.evidence.lower()


def test_article_without_a_weekday_matching_a_dated_report_stays_undated(other_dossier):
    assert article(other_dossier, "it_valencia").date.value is None  # names no weekday
    assert article(other_dossier, "pl_walencja").date.value is None
    nordic = article(other_dossier, "nb_valencia")
    assert (nordic.date.value, nordic.date.inferred) == ("2024-10-31", True)


def test_stated_dates_are_not_marked_inferred(seed_dossier):
    dw = article(seed_dossier, "003_")
    assert (dw.date.value, dw.date.inferred, dw.date.method) == ("2022-11-11", False, "date marker")


def test_outlets_from_source_line_and_link_host(seed_dossier):
    bfm = article(seed_dossier, "001_")
    assert (bfm.outlet.value, bfm.outlet.inferred, bfm.outlet.evidence) == ("BFM TV", True, "Source: BFM TV")
    assert article(seed_dossier, "003_").outlet.value == "dw.com"
    assert article(seed_dossier, "000_").outlet.value is None


def test_wire_agencies_from_credit_lines_and_datelines(seed_dossier, other_dossier):
    assert [a.value for a in article(seed_dossier, "003_").agencies] == ["AFP", "AP", "Reuters"]
    assert [a.value for a in article(seed_dossier, "002_").agencies] == ["EFE", "AFP"]
    assert [a.value for a in article(other_dossier, "es_valencia").agencies] == ["EFE"]
    assert [a.value for a in article(other_dossier, "fr_valence").agencies] == ["AFP"]


def test_titles_from_headline_line_or_first_sentence(seed_dossier, other_dossier):
    dw = article(seed_dossier, "003_")
    assert (dw.title.value, dw.title.method) == ("Ukraine: Russia says Kherson city pullout 'completed'", "headline line")
    norwegian = article(seed_dossier, "000_")
    assert norwegian.title.method == "first sentence" and norwegian.title.value.startswith("I en kunngjøring")
    assert len(norwegian.title.value) <= 92
    russian = article(other_dossier, "ru_")
    assert russian.title.value.startswith("Число погибших")  # the dateline is not the title
    assert article(other_dossier, "de_").title.value == "Unwetter in Spanien – Zahl der Toten steigt weiter"
    assert article(other_dossier, "de_").title.inferred is False


def test_a_section_label_or_time_stamp_above_the_headline_is_not_the_title():
    paragraphs = build_paragraphs("Mundo\n\nTerremoto na Turquia: número de mortos passa de 11 mil\n\n"
                                  "08/02/2023 21h30\n\nO número de mortos no terremoto passou de 11 mil.\n", 1)
    assert infer_title(paragraphs).value == "Terremoto na Turquia: número de mortos passa de 11 mil"
    stamp_first = build_paragraphs("dinsdag 7 februari 2023, 22:05\n\nDodental loopt op tot boven de 7800\n\n"
                                   "Het dodental is opgelopen tot boven de 7800.\n", 1)
    assert infer_title(stamp_first).value == "Dodental loopt op tot boven de 7800"
    only_label = build_paragraphs("Mundo\n\nO número de mortos no terremoto passou de 11 mil.\n", 1)
    assert infer_title(only_label).value == "Mundo"


def test_site_name_of_a_url():
    assert site_name("https://p.dw.com/p/4JNNH") == "dw.com"
    assert site_name("https://www.bbc.co.uk/news/x") == "bbc.co.uk"
    assert site_name("not a url") is None


def test_a_weekday_mention_is_compared_with_a_bounded_number_of_reports():
    from builder import metadata

    friday = 5
    index = {(friday, "said"): list(range(20_000)),  # a word every report uses
             **{(friday, f"k{i}"): list(range(i * 1000, i * 1000 + (60 if i < 4 else 150))) for i in range(40)}}
    for key in ("#31250", "k1", "k2", "k3"):  # one report shares a rare number and three rarer words
        index[(friday, key)] = sorted(index.get((friday, key), []) + [50_000])
    found = metadata._sharing(("said", "#31250", *(f"k{i}" for i in range(40))), friday, index)
    assert 50_000 in found
    assert len(found) == metadata.MATCH_CANDIDATES and found == sorted(found)
    assert metadata._sharing(("said",), friday, index) == []  # too common to tell reports apart


@pytest.mark.parametrize("text, stamp", [
    ("Stand: 14.02.2023 09:15 Uhr", "14.02.2023"),
    ("Publié le 9 mai 2023 à 11h02 - Mis à jour le 9 mai 2023 à 15h37", "le 9 mai 2023 à 15h37"),
    ("May 9, 2023 9:14 PM GMT+2 Updated 3 hours ago", "3 hours ago"),
    ("Publisert 09.05.2023, kl. 13.17 Oppdatert 09.05.2023, kl. 15.40", "09.05.2023, kl. 15.40"),
])
def test_a_labelled_publication_or_update_stamp_is_recognised(text, stamp):
    assert is_stamp(text, text.rindex(stamp))


@pytest.mark.parametrize("text, date", [
    ("The report, published on Tuesday, blamed the crew.", "Tuesday"),
    ("The harbour master posted on Friday a photo of the hull.", "Friday"),
    ("Residents take a stand on Monday against the quarry.", "Monday"),
])
def test_a_label_word_inside_a_sentence_is_no_stamp(text, date):
    assert not is_stamp(text, text.index(date))


FERRY_CORPUS = {
    "tidende.md": """---
title: Ferry Nordlys refloated at Brekkvik
date: 2023-05-12
---
The ferry Nordlys was refloated at Brekkvik on Friday, three days after the grounding.

On Tuesday the ferry Nordlys ran aground near Brekkvik with 312 passengers on board, said skipper Halvard Trostad.
""",
    "kurier.txt": """Fähre Nordlys wieder frei

Stand: 12.05.2023 16:20 Uhr

Die Fähre Nordlys ist bei Brekkvik wieder flott, wie Kapitän Halvard Trostad mitteilte.

Die Fähre Nordlys war am vergangenen Dienstag bei Brekkvik mit 312 Passagieren an Bord auf Grund gelaufen, sagte Halvard Trostad.
""",
    "avis.txt": """Fähre Nordlys auf Grund

Die Fähre Nordlys war am vergangenen Dienstag bei Brekkvik mit 312 Passagieren an Bord auf Grund gelaufen, sagte Halvard Trostad.

Die Reederei prüft nun den Rumpf der Fähre in einer Werft.
""",
}


def built(tmp_path_factory, name: str, files: dict[str, str]):
    """The dossier of a corpus folder holding `files` (file name → text)."""
    from builder.pipeline import build_dossier
    from conftest import TODAY

    folder = tmp_path_factory.mktemp(name)
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    return build_dossier(folder, TODAY)


@pytest.fixture(scope="module")
def ferry_dossier(tmp_path_factory):
    return built(tmp_path_factory, "ferry", FERRY_CORPUS)


def test_a_stand_line_dates_its_article_and_is_no_timeline_event(ferry_dossier):
    kurier = article(ferry_dossier, "kurier")
    assert (kurier.date.value, kurier.date.inferred, kurier.date.evidence) == ("2023-05-12", True, "Stand: 12.05.2023")
    stamps = [s for e in ferry_dossier.timeline for s in e.sources if s.article == kurier.id and "12.05" in s.quote]
    assert stamps == []


def test_an_inferred_date_is_one_the_articles_own_weekdays_resolve_back_from(ferry_dossier):
    avis = article(ferry_dossier, "avis")
    # "last Tuesday" is the Tuesday 9 May the dated report gives: the article is of a later day
    assert (avis.date.value, avis.date.inferred) == ("2023-05-10", True)
    (tuesday,) = [s for e in ferry_dossier.timeline for s in e.sources if s.article == avis.id]
    assert (tuesday.expression.text, tuesday.expression.value) == ("am vergangenen Dienstag", "2023-05-09")


def outlet_and_agencies(text):
    paragraphs = build_paragraphs(text, 1)
    outlet = infer_outlet(paragraphs, None)
    return (outlet.value, outlet.method, outlet.evidence), [a.value for a in infer_agencies(paragraphs)]


LEAD = " - The harbour board said on Tuesday that the north quay would stay closed for repairs this month.\n"


@pytest.mark.parametrize("dateline, agencies", [
    ("TARNOW (Reuters)", ["Reuters"]), ("TARNOW/VALMONT, (Reuters)", ["Reuters"]),
    ("TARNOW, March 8 (Reuters)", ["Reuters"]), ("(ANSA)", ["ANSA"]), ("VALMONT (AFP, AP)", ["AFP", "AP"]),
    ("Valmont (dpa)", ["dpa"]),  # an agency that writes its name in lower case
])
def test_agencies_of_a_dateline_with_or_without_a_date(dateline, agencies):
    page = f"Home > World\n\nFerries diverted as the Valmont quay stays shut\n\nBy Jane Roe\n\n{dateline}{LEAD}"
    (outlet, method, evidence), found = outlet_and_agencies(page)
    assert found == agencies
    if len(agencies) == 1:  # the one agency of a dateline is the outlet's weakest clue
        assert (outlet, method, evidence) == (agencies[0], "the agency of the dateline (wire copy)", dateline + " -")
    else:
        assert outlet is None


def test_an_outlet_with_agency_credit_names_both_and_capitalised_words_name_neither():
    for credit, outlet in (("Gazette du Nord avec AFP", "Gazette du Nord"), ("Nordavis Dagblad med NTB", "Nordavis Dagblad"),
                           ("Valmonter Bote mit dpa", "Valmonter Bote")):
        page = f"International > Europe\n\n{credit}\n\n{LEAD[3:]}"
        assert outlet_and_agencies(page) == (
            (outlet, "credit line naming the outlet and its agency", credit), [credit.split()[-1]])
    page = (f"Talks with NATO\n\nClashes with ISIS\n\nThe Valmont Harbour Board met Tarnow Ferries on Monday.\n\n"
            f"Ferry traffic resumed with NATO escorts, officials said.\n")
    assert outlet_and_agencies(page) == ((None, "", ""), [])


def test_a_site_name_as_the_first_crumb_is_a_weak_outlet_clue():
    site_names = {"KTV > Nyheter > Verden": "KTV", "Nordavis.no > Utrikes": "Nordavis.no",
                  "KTV Nyheter / Utrikes": "KTV Nyheter"}
    for crumbs, outlet in site_names.items():
        assert outlet_and_agencies(f"{crumbs}\n\n{LEAD[3:]}")[0] == (
            outlet, "site name as the first crumb of the breadcrumb trail (weak)", crumbs)
    for crumbs in ("Home > World > Europe", "Forside > Udland", "International > Afrique", "EU > Politik", "USA › Wahl"):
        assert outlet_and_agencies(f"{crumbs}\n\n{LEAD[3:]}")[0][0] is None, crumbs


def test_the_holder_of_a_rights_notice_is_the_outlet():
    assert outlet_and_agencies(f"{LEAD[3:]}\nRIPRODUZIONE RISERVATA © Copyright 2023 Nordavis\n")[0] == (
        "Nordavis", "rights notice", "RIPRODUZIONE RISERVATA © Copyright 2023 Nordavis")


# Two dated reports (the fire on Sunday 12 May, the share fall on Monday 13 May) and an
# undated one that says its share fall was "today, the day after the fire".
SHARES_CORPUS = {
    "wire.md": """---
title: Fire on the ferry Solvik
date: 2024-05-12
---
Two people died when fire broke out on the ferry Solvik near the island of Brekkvik early on Sunday, the operator Marlow Lines said.

The ferry Solvik was carrying 140 passengers from Tromvik to Brekkvik when the fire broke out on its car deck.
""",
    "boerse.md": """---
title: Marlow-Aktie fällt
date: 2024-05-13
---
Die Aktie der Reederei Marlow Lines fiel am Montag an der Börse in Tromvik um zwölf Prozent, nachdem die Fähre Solvik gebrannt hatte.
""",
    "avis.txt": """Marlow-aksjen stupte

Aksjen i Marlow Lines falt tolv prosent på børsen i Tromvik i dag, dagen etter brannen på fergen Solvik ved Brekkvik.

Brannen startet på bildekket natt til søndag, da fergen Solvik var på vei fra Tromvik til Brekkvik med 140 passasjerer.
""",
}


@pytest.fixture(scope="module")
def shares_dossier(tmp_path_factory):
    return built(tmp_path_factory, "shares", SHARES_CORPUS)


def test_a_date_inferred_from_other_articles_names_no_line_of_its_own(shares_dossier):
    from builder.render import render_pages

    avis = article(shares_dossier, "avis")
    assert avis.date.inferred and not avis.date.line
    page = render_pages(shares_dossier)[f"articles/{avis.id}.md"]
    assert "what it says of its own day" in page and "(line 0)" not in page


def test_an_undated_article_saying_today_is_the_day_after_an_event_is_dated_the_day_after(shares_dossier):
    avis = article(shares_dossier, "avis")
    # "natt til søndag" alone allows 12 to 18 May; "i dag, dagen etter brannen" fixes the 13th
    assert (avis.date.value, avis.date.inferred) == ("2024-05-13", True)
    assert "what it says of its own day" in avis.date.method and "“i dag”" in avis.date.evidence
    today = [s for e in shares_dossier.timeline for s in e.sources if s.article == avis.id and s.expression.text == "i dag"]
    assert [s.expression.value for s in today] == ["2024-05-13"]


@pytest.mark.parametrize("page, outlet, method", [
    (f"Kupfermine eingestürzt\n\nCopiapó{LEAD}\nLe Courrier du Sud – Tous droits réservés – Mentions légales\n",
     "Le Courrier du Sud", "rights notice"),
    (f"Tagesblatt Nord › Nachrichten › Welt\n\nKupfermine eingestürzt\n\nCopiapó{LEAD}\n"
     "Tagesblatt Nord | Impressum | Datenschutz\n",
     "Tagesblatt Nord", "site name, first in both the breadcrumb trail and the footer"),
    (f"Mine collapse\n\nCopiapó{LEAD}\nAtacama Daily News uses cookies. By continuing to browse you accept them. OK\n",
     "Atacama Daily News", "the site named in its cookie notice"),
    (f"Mine collapse\n\nCopiapó{LEAD}\nVi bruger cookies til statistik. Læs mere om cookies | OK\n", None, ""),
])
def test_a_site_names_itself_in_its_footer_its_breadcrumbs_or_its_cookie_notice(page, outlet, method):
    (found, how, _), _agencies = outlet_and_agencies(page)
    assert (found, how) == (outlet, method)
