"""Counts read in the article's own number conventions, as intervals."""

import pytest

from builder import numbers
from builder.numbers import find_quantities, overlap


def only(text, language):
    (q,) = find_quantities(text, language)
    return q


@pytest.mark.parametrize("text, language, value", [
    ("Rundt 30.000 soldater", "nb", 30000), ("Rundt 30 000 soldater", "nb", 30000),
    ("mehr als 30.000 Soldaten", "de", 30000), ("more than 30,000 soldiers", "en", 30000),
    ("2,5 millioner kroner", "nb", 2_500_000), ("1.5 million people", "en", 1_500_000),
    ("más de mil militares", "es", 1000), ("åtte og en halv måned", "nb", 8.5),
])
def test_digits_follow_the_languages_grouping(text, language, value):
    assert only(text, language).value == value


@pytest.mark.parametrize("text, language, value", [
    ("killed seven people", "en", 7), ("sju drepte", "nb", 7), ("au moins sept morts", "fr", 7),
    ("tre giorni di lutto", "it", 3), ("siedem osób", "pl", 7), ("семь человек", "ru", 7),
])
def test_number_words_in_every_language(text, language, value):
    assert only(text, language).value == value


def test_qualifiers_make_intervals_that_agree_or_not():
    about = only("Rundt 30.000 soldater", "nb")
    more = only("more than 30,000 soldiers", "en")
    assert overlap([(about.low, about.high), (more.low, more.high)])
    seven, at_least = only("seven people", "en"), only("at least seven people", "en")
    assert overlap([(seven.low, seven.high), (at_least.low, at_least.high)])
    dozen, forty = only("a dozen towns", "en"), only("more than 40 towns", "en")
    forty_one = only("41 settlements", "en")
    assert overlap([(forty.low, forty.high), (forty_one.low, forty_one.high)])
    assert overlap([(dozen.low, dozen.high), (forty_one.low, forty_one.high)]) is None


@pytest.mark.parametrize("text, language, low, high", [
    ("entre 12 y 14 millones de dólares", "es", 12e6, 14e6), ("12-14 millones de dólares al día", "es", 12e6, 14e6),
    ("$2-3bn in losses", "en", 2e9, 3e9), ("2-3 million people", "en", 2e6, 3e6),
    ("14 bis 15 Millionen Dollar", "de", 14e6, 15e6), ("from 300 to 2 million", "en", 300, 2e6),
])
def test_a_scale_word_after_a_range_scales_both_numbers(text, language, low, high):
    """"12-14 millones" is 12 to 14 million, not 12 to 14,000,000; "300 to 2 million"
    starts at 300 (300 million would be past its end)."""
    q = only(text, language)
    assert (q.qualifier, q.low, q.high) == ("range", low, high)


@pytest.mark.parametrize("text, language", [
    ("приблизно за 30 морських миль на північ", "uk"), ("акції впали приблизно на 11%", "uk"),
    ("примерно в 30 км от берега", "ru"), ("приблизно 30 людей", "uk"),
])
def test_about_with_a_preposition_before_the_number_is_still_about(text, language):
    """"приблизно за 30 миль" (about 30 miles away), "примерно в 30 км": the
    preposition between the qualifier and the number does not make it exact."""
    assert only(text, language).qualifier == "about"


@pytest.mark.parametrize("text, language", [
    ("between 80,000 and 100,000 people", "en"), ("80.000–100.000 mennesker", "nb"),
    ("80,000 to 100,000 people", "en"),
])
def test_ranges(text, language):
    q = only(text, language)
    assert (q.low, q.high) == (80000, 100000)


@pytest.mark.parametrize("text, language, low", [
    ("dozens of people", "en", 24), ("dusinvis av mennesker", "nb", 24), ("Dutzende Menschen", "de", 24),
    ("decenas de desaparecidos", "es", 20),
])
def test_vague_counts(text, language, low):
    assert only(text, language).low == low


@pytest.mark.parametrize("text, language", [
    ("on February 24, Russia", "en"), ("24. februar", "nb"), ("klokken 5 fredag", "nb"),
    ("at 5 am", "en"), ("in 2014.", "en"), ("the G20 summit", "en"), ("Nov 11 (Reuters)", "en"),
    ("alle 4:17 ora locale", "it"), ("om 04.17 uur", "nl"), ("klockan 06.30", "sv"),
    ("МОСКВА, 8 фев — РИА Новости", "ru"), ("на 5 лис", "uk"), ("na segunda-feira (6)", "pt"),
])
def test_dates_hours_years_and_codes_are_not_counts(text, language):
    assert find_quantities(text, language) == []


@pytest.mark.parametrize("text, language", [
    ("щонайменше до 158 людей", "uk"), ("tot zeker 158", "nl"), ("Co najmniej 158 osób", "pl"),
])
def test_at_least_in_other_languages(text, language):
    q = only(text, language)
    assert q.value == 158 and q.qualifier == "at least"


def test_case_folded_reading_finds_what_ignorecase_finds():
    """Quantities are looked for in case-folded text without IGNORECASE; a text whose
    lower case is not its folding (here: a dotted capital İ added at the end) is read
    with the IGNORECASE patterns. Both readings agree, in capitals too."""
    from conftest import CORPUS, OTHER_EVENT
    from builder.locale_data import SUPPORTED_LANGUAGES

    texts = [p for folder in (CORPUS, OTHER_EVENT) for f in sorted(folder.rglob("*")) if f.suffix in (".md", ".txt")
             for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    texts += [t.upper() for t in texts] + ["Rundt 30.000 soldater, DUSINVIS av hus, mellom 80 000 og 100 000"]
    found = 0
    for language in SUPPORTED_LANGUAGES:
        for text in texts:
            quantities = find_quantities(text, language)
            assert find_quantities(text + " İ", language) == quantities, (language, text[:60])
            found += len(quantities)
    assert found > 1000


@pytest.mark.parametrize(("language", "text", "unit"), [
    ("en", "The ship is 400 metres long", "unit:length-meter"),
    ("en", "a 400m-long ship", "unit:length-meter"),
    ("en", "a 400-metre ship", "unit:length-meter"),
    ("es", "unas 200.000 toneladas", "unit:mass-tonne"),
    ("nn", "skipet veg 200.000 tonn", "unit:mass-tonne"),
    ("fr", "des rafales à 74 km/h", "unit:speed-kilometer-per-hour"),
    ("ru", "глубине 10 километров", "unit:length-kilometer"),
    ("en", "a claim of $916m", "currency:USD"),
    ("en", "USD 916 million", "currency:USD"),
    ("fr", "916 millions de dollars", "currency:USD"),
    ("da", "en bøde på 5 mio. kroner", "currency:DKK"),
    ("nb", "en bot på 5 millioner kroner", "currency:NOK"),
    ("pl", "5 mln zł", "currency:PLN"),
    ("de", "20 Euro", "currency:EUR"),
])
def test_the_unit_of_a_number_comes_from_cldr(language, text, unit):
    (quantity,) = numbers.find_quantities(text, language)
    assert numbers.unit_of(text, quantity, language).concept == unit


def test_a_word_that_is_also_a_unit_sign_is_not_a_unit_and_a_lone_m_is_not_a_million():
    text = "Il terremoto di magnitudo 7,8 ha colpito la Turchia."
    (quantity,) = numbers.find_quantities(text, "it")
    assert numbers.unit_of(text, quantity, "it") is None
    assert [q.value for q in numbers.find_quantities("a ship 400 m long and a claim of $916m", "en")] == [400, 916e6]


def test_people_named_like_a_currency_are_not_money():
    text = "En el accidente 12 bolivianos resultaron heridos."
    (quantity,) = numbers.find_quantities(text, "es")
    assert numbers.unit_of(text, quantity, "es") is None


def test_unit_labels_are_cldr_english():
    assert numbers.unit_label("unit:length-kilometer") == "kilometers"
    assert numbers.unit_label("currency:USD") == "US dollars"


@pytest.mark.parametrize("text, language, unit", [
    ("ein Schutzraum in 598 Metern Tiefe", "de", "unit:length-meter"),
    ("в 45 километрах от города", "ru", "unit:length-kilometer"),
    ("o 5 kilometrach od brzegu", "pl", "unit:length-kilometer"),
    ("916 millions de dollars", "fr", "currency:USD"),
    # a connector word stands apart from its unit: "del" is no "de" + litre
    ("en el kilómetro 5,2 del túnel", "es", None),
])
def test_a_unit_is_read_with_its_case_ending_and_never_out_of_a_connector(text, language, unit):
    (q,) = find_quantities(text, language)
    found = numbers.unit_of(text, q, language)
    assert (found.concept if found else None) == unit
