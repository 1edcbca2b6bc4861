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
