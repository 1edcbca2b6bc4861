"""Paragraph roles: body text apart from furniture, credits, captions and asides."""

from builder.clean import build_paragraphs, split_glued_credit, split_paragraphs
from conftest import article, paragraph


def roles(text):
    return [(p.role, p.text) for p in build_paragraphs(text, 1)]


def test_site_chrome_is_boilerplate(seed_dossier):
    dw = article(seed_dossier, "003_")
    for start in ("1. Skip to content", "ConflictsUkraine", "29 minutes ago", "https://p.dw.com",
                  "More to follow...", "Page 1 of 3"):
        assert paragraph(dw, start).role == "boilerplate", start


def test_aggregator_page_furniture_and_related_headlines(seed_dossier):
    aggregated = article(seed_dossier, "004_")
    assert paragraph(aggregated, "United States Latest News").role == "boilerplate"
    assert paragraph(aggregated, "Similar News:").role == "boilerplate"
    assert [p.role for p in aggregated.paragraphs if p.text == "Read more »"] == ["boilerplate"] * 4
    assert paragraph(aggregated, "Russia orders troops to abandon").role == "related"
    assert paragraph(aggregated, "Ukraine war: Russia says").role == "related"


def test_photo_credit_glued_to_the_next_sentence_is_split_off(seed_dossier):
    aggregated = article(seed_dossier, "004_")
    credit = paragraph(aggregated, "Metin Aktas/")
    sentence = paragraph(aggregated, "The Kremlin insisted")
    assert (credit.role, credit.text) == ("credit", "Metin Aktas/Anadolu Agency via Getty Images")
    assert sentence.role == "body" and sentence.glued and sentence.line == credit.line == 2


def test_credit_glued_after_a_caption_and_the_caption_before_it(seed_dossier):
    dw = article(seed_dossier, "003_")
    assert paragraph(dw, "Image: Celestino Arce").role == "credit"
    assert paragraph(dw, "Ukrainian troops have reclaimed dozens").role == "caption"
    assert paragraph(dw, "A destroyed russian tank").role == "caption"


def test_credit_lines_and_sign_offs(seed_dossier):
    assert paragraph(article(seed_dossier, "001_"), "Source: BFM TV").role == "credit"
    assert paragraph(article(seed_dossier, "003_"), "fb/wmr (AFP, AP, Reuters)").role == "credit"
    spanish = article(seed_dossier, "002_")
    assert paragraph(spanish, "*With information from EFE and AFP").role == "credit"
    assert paragraph(spanish, "INTERNATIONAL WRITING").role == "credit"


def test_asides_and_pull_quotes(seed_dossier):
    spanish = article(seed_dossier, "002_")
    assert paragraph(spanish, "(Also: Russia confirms").role == "aside"
    assert paragraph(spanish, "(You may be interested in:").role == "aside"
    assert paragraph(spanish, "Any attempt to resist").role == "pullquote"
    assert paragraph(spanish, "“Any attempt to resist").role == "body"


def test_subheadings_inside_the_text(seed_dossier):
    assert paragraph(article(seed_dossier, "000_"), "Alle russere ute").role == "heading"
    assert paragraph(article(seed_dossier, "001_"), "Redeployment of Russian troops").role == "heading"


def test_body_text_stays_body(seed_dossier):
    for art in seed_dossier.articles:
        body = art.body_paragraphs
        assert len(body) >= 5, art.file
    assert paragraph(article(seed_dossier, "000_"), "Peskov ser ingen utsikt").role == "body"


def test_single_read_more_at_the_end_does_not_make_the_last_paragraph_a_teaser():
    assert roles("First paragraph of the story.\n\nLast paragraph of the story.\n\nLees meer\n") == [
        ("body", "First paragraph of the story."), ("body", "Last paragraph of the story."),
        ("boilerplate", "Lees meer")]


def test_chrome_in_other_languages():
    text = "Hopp til innhold\n\nSide 2 av 5\n\nfor 3 timer siden\n\nZum Inhalt springen\n\nЧитайте также\n\nДругая новость здесь.\n"
    assert [r for r, _ in roles(text)] == ["boilerplate"] * 5 + ["related"]


def test_hard_wrapped_lines_are_joined_and_single_lines_are_paragraphs():
    wrapped = ("This paragraph was wrapped by an editor at a fixed width so that\n"
               "every line is about the same length and none of them ends a\n"
               "sentence until the last one.\n\nNext paragraph.\n")
    assert split_paragraphs(wrapped, 1) == [
        ("This paragraph was wrapped by an editor at a fixed width so that every line is about the "
         "same length and none of them ends a sentence until the last one.", 1), ("Next paragraph.", 5)]
    assert split_paragraphs("One line.\nAnother line.\n", 10) == [("One line.", 10), ("Another line.", 11)]


def test_glued_credit_split_only_where_a_credit_is():
    assert split_glued_credit("Photo: Jane Doe/ReutersThe minister said on Monday that talks had failed.") == [
        "Photo: Jane Doe/Reuters", "The minister said on Monday that talks had failed."]
    assert split_glued_credit("The McDonald family met YouTube staff in Oslo.") == [
        "The McDonald family met YouTube staff in Oslo."]


def test_credits_and_bylines_with_slashes_or_bars_are_not_breadcrumbs():
    text = ("Strona główna › Wiadomości › Świat\n\nPotężne trzęsienie ziemi. Tysiące ofiar\n\n"
            "PAP, Reuters | 7 lutego 2023, 09:42\n\nFot. Reuters / Jan Kowalski\n\n"
            "Liczba ofiar trzęsienia ziemi przekroczyła 5000, poinformowały władze.\n\n"
            "Фото: © AP Photo / Ivan Petrov\n")
    assert roles(text) == [
        ("boilerplate", "Strona główna › Wiadomości › Świat"),
        ("heading", "Potężne trzęsienie ziemi. Tysiące ofiar"),  # not the photo's caption
        ("heading", "PAP, Reuters | 7 lutego 2023, 09:42"),
        ("credit", "Fot. Reuters / Jan Kowalski"),
        ("body", "Liczba ofiar trzęsienia ziemi przekroczyła 5000, poinformowały władze."),
        ("credit", "Фото: © AP Photo / Ivan Petrov"),
    ]


def test_a_read_more_label_before_another_headline_is_a_link():
    text = "Jordbävningen inträffade på måndagen klockan 04.17.\n\nLäs mer: Så kan du hjälpa de drabbade\n"
    assert [p.role_reason for p in build_paragraphs(text, 1)] == ["", "read-more link"]
