import pytest

from builder.sentences import sentence_at, sentence_spans


def sentences(text):
    return [text[a:b] for a, b in sentence_spans(text)]


def test_splits_after_a_quote_glued_to_the_next_sentence():
    assert sentences('He said."Ukraine is free," she said.') == ["He said.", '"Ukraine is free," she said.']


def test_titles_initials_and_dotted_abbreviations_do_not_end_a_sentence():
    assert sentences("Mr. Smith met Dr. Jones in the U.S. Army. A. Name left.") == [
        "Mr. Smith met Dr. Jones in the U.S. Army.", "A. Name left."]


def test_norwegian_abbreviations_and_thousands():
    assert sentences("Det skjer kl. 5. Ifølge bl.a. NTB. Det er 30.000 soldater.") == [
        "Det skjer kl. 5.", "Ifølge bl.a. NTB.", "Det er 30.000 soldater."]


def test_guillemets_and_cyrillic():
    assert sentences("«Vi er her.» Han sa det.") == ["«Vi er her.»", "Han sa det."]
    assert sentences("Вчера он ушёл. Г. Иванов сказал.") == ["Вчера он ушёл.", "Г. Иванов сказал."]


def test_scraped_debris_stays_one_sentence_and_every_word_is_covered():
    text = "to the left. . , ensuring the rest"
    assert sentences(text) == [text]


def test_sentence_at_finds_the_enclosing_sentence():
    text = "One. Two three. Four."
    start, end = sentence_at(text, text.index("three"))
    assert text[start:end] == "Two three."


def test_an_ordinal_day_before_its_month_does_not_end_a_sentence():
    assert sentences("Die Schulen bleiben bis zum 4. März 2024 geschlossen. Das sagte der Minister.") == [
        "Die Schulen bleiben bis zum 4. März 2024 geschlossen.", "Das sagte der Minister."]
    assert sentences("Am 11. November zogen die Truppen ab. Die Zahl stieg auf 158. Die Behörden warnten.") == [
        "Am 11. November zogen die Truppen ab.", "Die Zahl stieg auf 158.", "Die Behörden warnten."]


@pytest.mark.parametrize("text", [
    "Prom wypłynął z Valmontu w sobotę o godz. 21:00. Ogień pojawił się ok. 30 mil od brzegu.",
    "Mieszkańcy ul. Długiej i pl. Wolności modlili się w kościele św. Anny. Ewakuowano ok. 5 tys. osób.",
    "Przemawiał płk. Nowak oraz mjr. Kaczmarek. Akcje potaniały o 12 proc. PKB spadł.",
    "Пором збудовано у 2009 р. на верфі у м. Тарнове. Мешканці вул. Садової повернулися додому.",
    "Паром вышел в 21:00 с ул. Морской. Его осмотрели в д. 5 на пр. Мира.",
    "Ha parlato l'On. Bianchi con il sig. Neri. La nave è ormeggiata al molo n. 5 del porto.",
    "O navio foi visto pela Sra. Lima na Av. Atlântica. Chegou ao cais n. 3 às 21:00.",
    "El Sr. Pardo vive en la Avda. Central. El barco llegó al muelle núm. 4 a las 21:00.",
    "Die Reederei schätzt den Schaden auf 45 Mio. Euro. Laut Art. 5 des Gesetzes haftet sie.",
    "Het schip lag aan de Kade nr. 4 bij ir. Bakker. Volgens bijv. de havendienst was het veilig.",
    "Skipet kom kl. 21.00 til kai nr. 4. Pårørende kan ringe tlf. 22 33 44 55.",
    "Färjan lämnade hamnen kl. 21.00 enl. Kustbevakningen. Den var tf. hamnchefens ansvar.",
    "The ferry left at 9 p.m. on Sept. 14 from Pier No. 5 in Valmont. It sank.",
    "Le ferry a quitté le port le 14 sept. 2025 vers env. 21 heures. Il a coulé.",
])
def test_news_abbreviations_before_a_number_or_a_name_do_not_end_a_sentence(text):
    assert len(sentences(text)) == 2, sentences(text)


def test_a_short_form_ends_no_sentence_only_where_it_is_an_abbreviation():
    assert sentences("Pier No. 5 stayed shut. The answer was no. The lights stayed on. Prices rose by 12 proc. "
                     "Shares fell by 3 proc. PKB too.") == [
        "Pier No. 5 stayed shut.", "The answer was no.", "The lights stayed on.", "Prices rose by 12 proc.",
        "Shares fell by 3 proc. PKB too."]
    assert sentences("Хвиля сягала 5 м. Потім стихла у м. Тарнове.") == ["Хвиля сягала 5 м.", "Потім стихла у м. Тарнове."]


def test_a_german_opening_quote_may_close_with_a_typewriter_quote():
    from builder.sentences import quoted_ranges
    text = 'Auf dem Zettel stand: „Estamos vivos, somos 27". Die Bergung dauert Wochen.'
    (start, end), = quoted_ranges(text)
    assert text[start:end] == '„Estamos vivos, somos 27"'


def test_a_french_quotation_with_its_space_after_the_guillemet_opens_a_sentence():
    text = "Le PDG a rejeté les accusations mercredi. « Nous ne nous reposerons pas », a-t-il déclaré."
    assert sentences(text) == ["Le PDG a rejeté les accusations mercredi.",
                               "« Nous ne nous reposerons pas », a-t-il déclaré."]
