"""Language tags: BCP 47 per article and paragraph, and spans in another language."""

import pytest

from conftest import article, paragraph


def spans(p):
    return [(s.language, p.text[s.start:s.end]) for s in p.spans]


def test_seed_article_languages(seed_dossier):
    assert {a.file[:3]: a.language.value for a in seed_dossier.articles} == {
        "000": "nb", "001": "en", "002": "en", "003": "en", "004": "en"}


def test_norwegian_paragraphs_are_bokmal_without_spurious_spans(seed_dossier):
    norwegian = article(seed_dossier, "000_")
    assert {p.language for p in norwegian.paragraphs} == {"nb"}
    assert all(not p.spans for p in norwegian.paragraphs)


def test_untranslated_french_fragments_are_tagged(seed_dossier):
    p = paragraph(article(seed_dossier, "001_"), "An immeuble d’habitation")
    assert p.language == "en"
    found = spans(p)
    assert {lang for lang, _ in found} == {"fr"}
    text = " ".join(t for _, t in found)
    for fragment in ("immeuble d’habitation", "cinq étages", "entièrement detruit", "faisant au moins sept morts",
                     "chef de l’administration régionale", "succès sur front"):
        assert fragment in text
    for english in ("already", "according to", "who said on Telegram", "a cynical response"):
        assert english not in text


def test_spanish_fragment_in_the_english_translation(seed_dossier):
    p = paragraph(article(seed_dossier, "002_"), "Isak Danilovich")
    assert spans(p) == [("es", "el presidente ruso")]


def test_translations_are_inferred_from_their_fragments(seed_dossier):
    bfm = article(seed_dossier, "001_")
    assert (bfm.translated_from.value, bfm.translated_from.inferred) == ("fr", True)
    assert "immeuble" in bfm.translated_from.evidence
    assert article(seed_dossier, "002_").translated_from.value == "es"
    assert article(seed_dossier, "003_").translated_from.value is None


def test_english_seed_paragraphs_have_no_foreign_spans_beyond_the_fragments(seed_dossier):
    with_spans = [(a.file[:3], p.index) for a in seed_dossier.articles for p in a.paragraphs if p.spans]
    assert len(with_spans) == 2


@pytest.mark.parametrize("name, code", [
    ("de_", "de"), ("en_", "en"), ("es_", "es"), ("fr_", "fr"), ("it_", "it"), ("nl_", "nl"),
    ("pl_", "pl"), ("pt_", "pt"), ("ru_", "ru"), ("uk_", "uk"), ("sv_", "sv"), ("da_", "da"),
    ("nb_", "nb"), ("nn_", "nn")])
def test_every_supported_language_is_identified(other_dossier, name, code):
    art = article(other_dossier, name)
    assert art.language.value == code
    assert all(not p.spans for p in art.paragraphs)


def test_stated_language_wins_and_norwegian_no_becomes_nb(tmp_path):
    from builder.pipeline import build_dossier
    from conftest import TODAY
    (tmp_path / "a.md").write_text("---\nlanguage: 'no'\n---\nDette er en kort tekst om været i Bergen i dag.\n")
    dossier = build_dossier(tmp_path, TODAY)
    assert dossier.articles[0].language.value == "nb"
    assert dossier.articles[0].language.inferred is False
    assert [str(p) for p in dossier.problems] == ["a.md:2: warning: language 'no' read as Norwegian Bokmål (nb)"]


def test_a_regional_tag_finds_the_same_fragments_as_its_language(tmp_path):
    from builder.pipeline import build_dossier
    from conftest import REPO, TODAY
    body = (REPO / "corpus" / "001_73ea46127f6947ac.txt").read_text(encoding="utf-8")
    for tag in ("en", "en-GB"):
        (tmp_path / tag).mkdir()
        (tmp_path / tag / "a.txt").write_text(f"---\nlanguage: {tag}\n---\n{body}", encoding="utf-8")
    plain, regional = (build_dossier(tmp_path / tag, TODAY).articles[0] for tag in ("en", "en-GB"))
    assert regional.translated_from.value == "fr"
    assert [spans(p) for p in regional.paragraphs] == [spans(p) for p in plain.paragraphs]
    assert {p.language for p in regional.paragraphs} <= {"en", "en-GB"}


def test_paragraphs_settled_from_word_evidence_get_lingua_s_label(seed_dossier, other_dossier):
    from builder.language import MIN_PARAGRAPH_CONFIDENCE, WORD, guess, paragraph_language

    def label(found):
        return found.code if found and found.confidence >= MIN_PARAGRAPH_CONFIDENCE else None
    texts = [p.text for d in (seed_dossier, other_dossier) for a in d.articles for p in a.paragraphs
             if len(WORD.findall(p.text)) > 3]
    assert len(texts) > 100
    assert [label(paragraph_language(t, WORD.findall(t))) for t in texts] == [label(guess(t)) for t in texts]


@pytest.mark.parametrize("words, needs_detection", [
    ("the city council said the water had risen overnight", False),
    ("og at vannet steg i løpet av natten", False),
    ("el presidente ruso", True),
    ("immeuble d’habitation de cinq étages", True),
])
def test_only_clauses_where_another_language_has_a_chance_are_detected(words, needs_detection):
    from builder.language import _could_disagree
    language = "nb" if "vannet" in words else "en"
    assert _could_disagree(words.split(), language, {language}) is needs_detection


def test_a_quote_kept_in_the_original_tags_the_lead_in_as_the_article_s_language(tmp_path):
    from builder.pipeline import build_dossier
    from conftest import TODAY
    lead_in = "Rederiet, som driver skibet, forklarer ulykken med vinden. I en pressemeddelelse skriver selskabet"
    quote = ('"The vessel was probably struck by a sudden strong gust, which pushed the hull away from the '
             'channel until it touched the bottom and ran aground near the southern entrance."')
    (tmp_path / "a.txt").write_text(
        "Skibet har siden tirsdag morgen ligget på tværs i kanalen og blokerer en af verdens vigtigste ruter.\n\n"
        f"{lead_in}: {quote}\n\n"
        "Bjærgningsfolk forsøger at få skibet fri, men det kan tage flere dage, siger eksperterne.\n",
        encoding="utf-8")
    (found,) = build_dossier(tmp_path, TODAY).articles
    assert found.language.value == "da"
    quoted = paragraph(found, "Rederiet")
    assert quoted.language == "en"  # most of its words are the quote's
    assert spans(quoted) == [("da", lead_in)]
    assert found.translated_from.value is None  # its own words are no untranslated fragments


def test_quotes_kept_in_the_original_are_no_untranslated_fragments_but_leftovers_are(tmp_path):
    from builder.pipeline import build_dossier
    from conftest import TODAY
    files = {
        "en.md": "---\nlanguage: en\n---\n"
                 "The port of Valmont stayed closed on Tuesday after a crane collapsed onto the north quay, the "
                 "harbour board said.\n\n"
                 "\"Ratownicy zachowali się wzorowo. Bez nich ofiar byłoby znacznie więcej,\" Mayor Jerzy Malinka "
                 "told reporters. (\"The rescuers behaved in an exemplary way. Without them there would have been "
                 "far more victims.\")\n\n"
                 "Repairs to the crane are expected to take at least three weeks, the board added.\n",
        "it.md": "---\nlanguage: it\n---\n"
                 "Il porto di Valmonte è rimasto chiuso per tutta la giornata di martedì dopo il crollo di una gru "
                 "sulla banchina nord.\n\n"
                 "Il sindaco polacco di Tarnowo, Jerzy Malinka, ha elogiato i soccorritori: «Ratownicy zachowali się "
                 "wzorowo», ha detto ai giornalisti, cioè «i soccorritori si sono comportati in modo esemplare».\n\n"
                 "Foto: Ansa / Jerzy Wiśniewski\n\n"
                 "Secondo la capitaneria, i lavori di riparazione dureranno almeno tre settimane e costeranno "
                 "diversi milioni di euro.\n",
        "nl.md": "---\nlanguage: nl\n---\n"
                 "De haven van Valmont blijft na het ongeluk met de kraan tot het einde van de maand gesloten voor "
                 "veerboten.\n\n"
                 "Het havenbedrijf Fjordline liet in een Engelstalige verklaring weten: \"We are deeply saddened by "
                 "this accident and are cooperating fully with the authorities.\" De directeur zei dinsdag dat de "
                 "verbinding tot nader order is opgeschort.\n\n"
                 "De reparatie van de kraan zal volgens de havendienst ongeveer drie weken duren.\n",
        "uk.txt": "Порт Вальмонт залишався закритим у вівторок після того, як на північний причал впав великий "
                  "кран. Кількість постраждалих зросла до шести, повідомила міська рада.\n\n"
                  "Kapitan portu nadał komunikat o zamknięciu nabrzeża o 6:15. Мер міста Тарнове Єжи Малінка "
                  "наказав евакуювати всіх працівників порту о 7:30, повідомила портова служба.\n\n"
                  "Фото: Jerzy Wiśniewski / Agencja Portowa\n\n"
                  "«Рятувальники поводилися зразково», – заявив мер. За словами мера, komisja wszczęła "
                  "postępowanie. Ремонт крана триватиме щонайменше три тижні, а збитки оцінюють у кілька "
                  "мільйонів євро.\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    articles = {a.file: a for a in build_dossier(tmp_path, TODAY).articles}
    assert {name: a.translated_from.value for name, a in articles.items()} == {
        "en.md": None, "it.md": None, "nl.md": None, "uk.txt": "pl"}  # a machine translation's leftovers count
    assert "Kapitan portu" in articles["uk.txt"].translated_from.evidence
    # a photo credit of names only is in its article's language, not in the names' country's
    assert paragraph(articles["it.md"], "Foto:").language == "it"
    assert paragraph(articles["uk.txt"], "Фото:").language == "uk"


@pytest.mark.parametrize("text, quoted", [
    ("Il a dit « Nous restons ici » hier.", ["« Nous restons ici »"]),
    ("Er sagte: „Wir bleiben hier“, und ging.", ["„Wir bleiben hier“"]),
    ("Hun sa: «Vi blir her, sier vi", ["«Vi blir her, sier vi"]),
    ("– Vi blir her. Vi går ikke, sier ordføreren.", ["– Vi blir her. Vi går ikke"]),
    ("– Zostajemy tutaj – powiedział burmistrz.", ["– Zostajemy tutaj"]),
])
def test_quoted_ranges_cover_quotation_marks_and_speech_dashes(text, quoted):
    from builder.language import quoted_ranges
    assert [text[a:b] for a, b in quoted_ranges(text)] == quoted


@pytest.mark.parametrize("notice, language, source", [
    ("This article was translated automatically from Spanish. The original text prevails.", "en", "es"),
    ("Dieser Artikel wurde maschinell aus dem Spanischen übersetzt.", "de", "es"),
    ("Denne artikkelen er maskinoversatt fra engelsk.", "nb", "en"),
    ("Ten artykuł został automatycznie przetłumaczony z języka hiszpańskiego.", "pl", "es"),
    ("Эта статья переведена автоматически с английского языка.", "ru", "en"),
])
def test_a_translation_notice_says_what_the_article_was_translated_from(tmp_path, notice, language, source):
    """The notice is folded as furniture (it is not the headline, nor names an entity)
    and states the source language, quoted as its evidence."""
    from builder.pipeline import build_dossier
    from conftest import TODAY
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    headline = {"en": "Miners send a first message", "de": "Bergleute senden eine erste Nachricht",
                "nb": "Gruvearbeidere sender en første melding", "pl": "Górnicy wysłali pierwszą wiadomość",
                "ru": "Горняки передали первое сообщение"}[language]
    body = {"en": "The 27 workers trapped since Monday are alive, the minister confirmed on Wednesday evening.",
            "de": "Die 27 seit Montag eingeschlossenen Arbeiter leben, bestätigte die Ministerin am Mittwochabend.",
            "nb": "De 27 arbeiderne som har vært innesperret siden mandag, lever, bekreftet ministeren onsdag kveld.",
            "pl": "27 robotników uwięzionych od poniedziałku żyje, potwierdziła w środę wieczorem minister.",
            "ru": "27 рабочих, заблокированных с понедельника, живы, подтвердила в среду вечером министр."}[language]
    (corpus / "a.txt").write_text(f"{notice}\n\n{headline}\n\n{body}\n", encoding="utf-8")
    (article,) = build_dossier(corpus, TODAY).articles
    assert article.paragraphs[0].role == "boilerplate"
    assert article.title.value == headline
    assert article.translated_from.value == source and not article.translated_from.inferred
    assert article.translated_from.evidence == notice
