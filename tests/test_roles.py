"""Paragraph roles: body text apart from furniture, credits, captions and asides."""

import pytest

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
    assert [(p.role, p.role_reason) for p in build_paragraphs(text, 1)] == [
        ("body", ""), ("related", "link to another story")]


PROSE = ("The harbour board of Valmont said on Tuesday that the north quay would stay closed for "
         "repairs until the end of the month, and that ferries would use the south quay instead.")


@pytest.mark.parametrize("link", [
    "Læs også: Sådan kan én kran lamme havnen", "Lire aussi : Le port de Valmont, poumon de la région",
    "Lee también: ¿Por qué un solo ferry puede parar la costa?", "Les også: Dette er dei største ferjene",
    "Mehr zum Thema: Warum die Fähre umgeleitet wird", "Czytaj także: Jak działa port w Valmont?",
    "Читайте также: Как устроен порт Вальмон", "Read also: Valmont's quays in numbers",
])
def test_a_read_also_line_is_one_link_and_the_prose_after_it_stays_body(link):
    text = f"{PROSE}\n\n{link}\n\n{PROSE}\n\nRepairs on the crane began in May.\n\n{link}\n\n{PROSE}\n"
    assert [r for r, _ in roles(text)] == ["body", "related", "body", "body", "related", "body"]


def test_a_related_list_ends_where_running_prose_resumes():
    text = ("Der Hafen von Valmont bleibt nach dem Unfall des Krans bis Ende des Monats für Fähren gesperrt, "
            "teilte die Hafenbehörde am Dienstag mit.\n\nMehr zum Thema\n- Warum die Fähre umgeleitet wird\n"
            "- Reeder fordern Entschädigung\n\nDie Reparatur des Krans soll nach Angaben der Behörde etwa drei "
            "Wochen dauern, die Kosten sind noch unklar.\n\nStreit über die Ursache\n\nDer Betreiber macht "
            "den Wind verantwortlich, die Behörde einen Bedienfehler des Kranführers am Montagabend.\n")
    assert [r for r, _ in roles(text)] == ["body", "boilerplate", "related", "related", "body", "heading", "body"]


def test_headlines_listed_after_a_read_more_link_at_the_end_are_related_and_credits_follow():
    text = (f"{PROSE}\n\nRead more »\nValmont ferries: what we know so far\nInsurers brace for crane claims\n\n"
            "Reporting by Jane Roe in Valmont and Sam Poe in Tarnow; Additional reporting by Ola Berg; "
            "Editing by Kim Lee\nOur Standards: The Example News Trust Principles.\n")
    assert [(p.role, p.role_reason) for p in build_paragraphs(text, 1)] == [
        ("body", ""), ("boilerplate", "read-more link"),
        ("related", "listed after a related-stories marker"), ("related", "listed after a related-stories marker"),
        ("credit", "staff credit"), ("boilerplate", "rights or standards notice")]


@pytest.mark.parametrize("line, reason", [
    ("Redigert av Kari Nordmann", "staff credit"), ("Redacción: María Gómez", "staff credit"),
    ("Bewerkt door Jan de Vries", "staff credit"), ("Edited by Jane Roe", "staff credit"),
    ("A cura di Marco Bianchi", "staff credit"), ("Gazette du Nord avec AFP", "agency credit"),
    ("With AFP and AP", "agency credit"),
])
def test_desk_and_agency_credit_lines_are_credits_not_body(line, reason):
    assert [p.role_reason for p in build_paragraphs(f"{line}\n\n{PROSE}\n", 1)] == [reason, ""]


@pytest.mark.parametrize("line", [
    "Fotografía: EFE/Ayuntamiento de Valmont", "Fotografia: Marco Bianchi/ANSA", "Фотография: Иван Петров",
    "Fotografie: Jan de Vries/ANP", "Imagem: Ana Lima/Agência Sul",
])
def test_photo_credit_labels_in_many_languages(line):
    assert [p.role_reason for p in build_paragraphs(f"{PROSE}\n\n{line}\n\n{PROSE}\n", 1)][1] == "photo credit"


def test_page_top_headline_byline_time_stamp_and_share_row():
    headline = ("El puerto de Valmont reabre el muelle norte tras casi un mes de obras y los ferris "
                "vuelven a su horario habitual")
    text = (f"Inicio > Internacional\n\n{headline}\n\nPor María Gómez y Luis Pardo\n\n"
            "08/02/2023 21h30 Actualizado hace 2 horas\n\nCompartir en Facebook   Compartir en X   Copiar enlace\n\n"
            "La autoridad portuaria de Valmont anunció el martes la reapertura del muelle norte.\n\n"
            "Etiquetas: Valmont · Puertos · Transporte marítimo\n\nTeilen: Facebook WhatsApp E-Mail\n")
    assert [(p.role, p.role_reason) for p in build_paragraphs(text, 1)] == [
        ("boilerplate", "breadcrumb"), ("heading", "line without closing punctuation above the text"),
        ("credit", "byline"), ("boilerplate", "date line"), ("boilerplate", "share buttons"), ("body", ""),
        ("boilerplate", "tag list"), ("boilerplate", "share buttons")]


def test_within_the_text_short_lines_are_subheadings_not_bylines_share_rows_or_time_stamps():
    text = (f"Par Jean Dupont\n\n{PROSE}\n\nVon Valmont bis Tarnow\n\n{PROSE}\n\nDi Maio e Conte\n\n{PROSE}\n\n"
            f"Facebook buys a ferry\n\n{PROSE}\n\nTarnow 2030: 5 plans for the harbour\n\n{PROSE}\n")
    assert [r for r, _ in roles(text)] == ["credit"] + ["body", "heading"] * 4 + ["body"]


def test_a_paywall_notice_is_furniture():
    text = f"{PROSE}\n\nVous avez lu 62 % de cet article. La suite est réservée aux abonnés.\n"
    assert [p.role_reason for p in build_paragraphs(text, 1)] == ["", "paywall notice"]


@pytest.mark.parametrize("row", [
    "Del på Facebook   Del på X   Send på e-post", "Deel dit artikel:  Facebook  LinkedIn  WhatsApp  E-mail",
    "Condividi su Facebook | Condividi su X | Invia per email", "Skicka e-post · Facebook · X",
    "Wyślij e-mailem | Facebook | X", "Надіслати поштою · Telegram · Viber", "Send by email  Facebook  X",
])
def test_share_rows_with_e_mail_buttons_are_share_buttons(row):
    assert [p.role_reason for p in build_paragraphs(f"{row}\n\n{PROSE}\n", 1)] == ["share buttons", ""]


def test_a_share_row_above_the_headline_is_not_the_title():
    from builder.metadata import infer_title
    text = ("Forsiden › Nyheter\n\nDel på Facebook   Del på X   Send på e-post\n\n"
            "Ferja til Valmont innstilt etter kranulykke\n\n"
            "Rederiet Fjordlinja innstilte tirsdag alle avganger til Valmont etter at en kran veltet på kaia.\n")
    assert infer_title(build_paragraphs(text, 1)).value == "Ferja til Valmont innstilt etter kranulykke"


@pytest.mark.parametrize("notice", [
    "Questo sito utilizza cookie tecnici e di profilazione. Continuando la navigazione accetti l'uso dei cookie.",
    "Vi bruker informasjonskapsler (cookies). Les mer om hvordan vi bruker dem.",
    "Wij gebruiken cookies om onze website te verbeteren. Accepteren  Weigeren",
    "Ta strona używa plików cookies. Korzystając z niej, zgadzasz się na ich użycie. Więcej »",
    "Este site utiliza cookies para melhorar a sua experiência de navegação. Aceitar | Saber mais",
    "Vi använder kakor (cookies) för att förbättra din upplevelse. Läs mer om kakor.",
    "We use cookies to improve your experience. Accept all",
    "Nous utilisons des cookies pour mesurer l'audience. Accepter",
    "Diese Website verwendet Cookies. Mehr erfahren",
    "Сайт использует файлы cookie. Продолжая, вы соглашаетесь.",
])
def test_cookie_notices_are_furniture_and_a_credit_before_them_stays_a_credit(notice):
    about_cookies = ("The regulator said the retailer's website uses cookies to follow shoppers without asking "
                     "them, and fined the company 2 million euros on Tuesday.")
    text = f"{PROSE}\n\n{about_cookies}\n\nPAP, oprac. Redakcja Valmont24\n\n{notice}\n"
    assert [p.role_reason for p in build_paragraphs(text, 1)] == ["", "", "agency credit", "cookie notice"]


@pytest.mark.parametrize("marker", ["Read more »", "Les mer »", "Läs mer »", "Lees meer"])
def test_the_headline_after_a_read_more_link_at_the_end_is_a_related_story_not_a_subheading(marker):
    headline = "Ferry safety under scrutiny after string of crane accidents"
    at_the_end = f"{PROSE}\n\n{PROSE}\n\n{marker}\n{headline}\n\nWe use cookies to improve your experience.\n"
    assert [p.role for p in build_paragraphs(at_the_end, 1)] == [
        "body", "body", "boilerplate", "related", "boilerplate"]
    within = f"{PROSE}\n\n{marker}\n\nWhat the harbour board decided\n\n{PROSE}\n"
    assert [p.role for p in build_paragraphs(within, 1)] == ["body", "boilerplate", "heading", "body"]


@pytest.mark.parametrize("marker", ["Ti potrebbe interessare:", "Może cię zainteresować:", "Вас може зацікавити:",
                                    "Vous aimerez aussi", "Misschien ook interessant:"])
def test_may_interest_you_markers_open_a_related_list(marker):
    text = f"{PROSE}\n\n{marker}\nPorto di Valmont, traffico in crescita\n"
    assert [p.role for p in build_paragraphs(text, 1)] == ["body", "boilerplate", "related"]


@pytest.mark.parametrize("line, reason", [
    ("(Reporting by Jane Roe in Valmont and Sam Poe in Tarnow; Editing by Kim Lee)", "staff credit"),
    ("PAP, oprac. Redakcja Valmont24", "agency credit"),
    ("dpa, bearbeitet von Lena Vogt", "agency credit"),
    ("ACL // JH", "author initials"),
    ("fb/wmr", "author initials"),
])
def test_desk_credits_in_parentheses_after_agencies_or_as_initials_are_credits(line, reason):
    sentence = "Yes, written by the mayor himself, the letter reached the harbour board on Monday."
    text = f"{sentence}\n\n{PROSE}\n\n{line}\n\nLusa/Fim\n"
    assert [(p.role, p.role_reason) for p in build_paragraphs(text, 1)][:3] == [
        ("body", ""), ("body", ""), ("credit", reason)]


def test_agencies_named_before_a_desk_credit_are_the_article_s_agencies():
    from builder.metadata import infer_agencies
    text = f"{PROSE}\n\nPAP, Reuters, oprac. Redakcja Valmont24\n"
    assert [a.value for a in infer_agencies(build_paragraphs(text, 1))] == ["PAP", "Reuters"]


def test_a_read_more_line_with_its_headline_is_one_link_and_the_subheading_after_it_stays():
    text = ("Die Bergung könnte drei bis vier Wochen dauern, sagte der Einsatzleiter am Mittwoch in Copiapó.\n\n"
            "Lesen Sie auch » Kupferpreis steigt nach Unglück in Chile auf Rekordhoch\n\n"
            "Hilfe aus Deutschland\n\n"
            "Die Rettungskapsel wird in Sachsen gebaut und soll am Freitag aus Frankfurt verschickt werden.\n")
    assert [role for role, _ in roles(text)] == ["body", "related", "heading", "body"]


def test_a_headline_on_the_line_under_a_read_more_link_ends_the_list_at_the_blank_line():
    text = ("A mineradora anunciou um fundo de emergência de US$ 12 milhões para as famílias dos mineiros.\n\n"
            "Leia mais »\nAcidente no Chile reacende debate sobre segurança em minas brasileiras\n\n"
            "Sindicato acusa empresa\n\n"
            "O sindicato afirma que alertou a direção sobre ruídos na rocha meses antes do acidente na mina.\n")
    assert [role for role, _ in roles(text)] == ["body", "boilerplate", "related", "heading", "body"]


def test_related_headlines_behind_arrows_are_listed_even_as_questions():
    text = ("Les secours espèrent atteindre les mineurs d'ici trois à quatre semaines, selon la ministre.\n\n"
            "À lire également\n» Catastrophe de San José : seize ans après, que sont devenus les 33 ?\n"
            "» Mines : le Chili promet une réforme de la sécurité\n")
    assert [role for role, _ in roles(text)][-2:] == ["related", "related"]


def test_a_markdown_heading_is_a_heading_and_a_byline_with_place_and_date_is_a_credit():
    from builder.metadata import infer_title
    text = ("Inicio › Regiones › Atacama\n\n# Derrumbe en mina: 27 mineros atrapados a 620 metros\n\n"
            "Por Camila Fuentes Soto | Copiapó | 10 de marzo de 2026, 08:15\n\n"
            "Foto: Rodrigo Alvear / Diario del Norte\n\n"
            "Veintisiete trabajadores permanecen atrapados desde la madrugada de ayer lunes en la mina de cobre.\n\n"
            "## Antecedentes\n\n"
            "En octubre de 2024 la autoridad minera multó a la empresa por fallas de seguridad en la faena.\n")
    paragraphs = build_paragraphs(text, 1)
    assert [(p.role, p.role_reason) for p in paragraphs][1:3] == [("heading", "Markdown heading"), ("credit", "byline")]
    assert paragraphs[5].role == "heading"
    title = infer_title(paragraphs)
    assert (title.value, title.evidence) == ("Derrumbe en mina: 27 mineros atrapados a 620 metros",
                                             "# Derrumbe en mina: 27 mineros atrapados a 620 metros")


@pytest.mark.parametrize("line, reason", [
    ("Læs op   Del artiklen", "share buttons"),
    ("Del saka: Facebook Messenger E-post", "share buttons"),
    ("Поделиться: ВКонтакте · Одноклассники · Telegram", "share buttons"),
    ("Ao continuar navegando, você concorda com nossa Política de Privacidade e o uso de cookies. Aceitar",
     "cookie notice"),
    ("Vestlandsposten bruker informasjonskapslar (cookies). Les meir", "cookie notice"),
    ("Receba notícias no seu e-mail. Cadastre-se na newsletter.", "newsletter sign-up"),
    ("Suscríbete a nuestro boletín", "newsletter sign-up"),
    ("Подписывайтесь на наш канал в Telegram", "newsletter sign-up"),
])
def test_read_aloud_buttons_share_rows_cookie_notices_and_newsletter_invitations_are_furniture(line, reason):
    text = ("Veintisiete trabajadores permanecen atrapados desde la madrugada de ayer lunes en la mina de cobre.\n\n"
            f"{line}\n")
    assert roles(text)[-1] == ("boilerplate", line) and build_paragraphs(text, 1)[-1].role_reason == reason


@pytest.mark.parametrize("credit", ["Bildquelle: Rodrigo Alvear / AP", "Fuente de la imagen: Rodrigo Alvear / AP",
                                    "Источник фото: Родриго Альвеар / AP"])
def test_a_picture_source_line_is_a_photo_credit(credit):
    paragraphs = build_paragraphs(f"Der Stollen brach am Montag ein, sagte die Behörde am Mittwoch in Copiapó.\n\n{credit}\n", 1)
    assert (paragraphs[-1].role, paragraphs[-1].role_reason) == ("credit", "photo credit")
