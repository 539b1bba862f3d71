"""Tests for audio_edition.inputs.language: the article's language, declared and detected."""

from __future__ import annotations

import pytest

from audio_edition.cache import SentenceCache
from audio_edition.inputs import load_article
from audio_edition.inputs.html import extract_html
from audio_edition.inputs.language import choose, detect, normalize_tag
from audio_edition.inputs.markdown import read_markdown
from audio_edition.inputs.text import parse_article

# Short news paragraphs written for these tests, one per language (about 30-45 words each).
PARAGRAPHS = {
    "en": "The county board voted on Tuesday to keep the old ferry running through the winter, after residents "
    "on the island said the new bridge would not be ready until spring and that they had no other way to reach "
    "the hospital on the mainland.",
    "de": "Der Kreistag hat am Dienstag beschlossen, die alte Fähre auch im Winter fahren zu lassen. Die Bewohner "
    "der Insel hatten gesagt, dass die neue Brücke erst im Frühjahr fertig werde und sie sonst keinen Weg zum "
    "Krankenhaus auf dem Festland hätten.",
    "fr": "Le conseil départemental a décidé mardi de maintenir le vieux bac en service pendant tout l'hiver. Les "
    "habitants de l'île avaient expliqué que le nouveau pont ne serait pas prêt avant le printemps et qu'ils "
    "n'avaient pas d'autre moyen de rejoindre l'hôpital.",
    "es": "El consejo del condado decidió el martes mantener el viejo transbordador durante todo el invierno, "
    "después de que los vecinos de la isla explicaran que el nuevo puente no estará listo hasta la primavera y "
    "que no tienen otra forma de llegar al hospital.",
    "it": "Il consiglio provinciale ha deciso martedì di mantenere in servizio il vecchio traghetto per tutto "
    "l'inverno, dopo che gli abitanti dell'isola avevano spiegato che il nuovo ponte non sarà pronto prima "
    "della primavera e che non hanno altro modo per raggiungere l'ospedale.",
    "nl": "Het provinciebestuur heeft dinsdag besloten de oude veerboot ook in de winter te laten varen. De "
    "bewoners van het eiland hadden gezegd dat de nieuwe brug pas in het voorjaar klaar is en dat zij geen "
    "andere manier hebben om het ziekenhuis op het vasteland te bereiken.",
    "pt": "O conselho do distrito decidiu na terça-feira manter a velha balsa a funcionar durante todo o "
    "inverno, depois de os moradores da ilha terem explicado que a nova ponte só ficará pronta na primavera e "
    "que não têm outra forma de chegar ao hospital.",
    "pl": "Rada powiatu zdecydowała we wtorek, że stary prom będzie kursował także zimą. Mieszkańcy wyspy "
    "mówili, że nowy most nie będzie gotowy przed wiosną i że nie mają innej drogi do szpitala na stałym "
    "lądzie, więc prom jest dla nich bardzo ważny.",
    "ru": "Совет района во вторник решил оставить старый паром на всю зиму. Жители острова говорили, что новый "
    "мост не будет готов до весны и что у них нет другого способа добраться до больницы на материке, поэтому "
    "паром для них очень важен.",
    "ja": "郡の委員会は火曜日、古いフェリーを冬の間も運航させることを決めた。島の住民は新しい橋が春まで完成しないと話していた。",
}


@pytest.mark.parametrize("language", sorted(PARAGRAPHS))
def test_each_language_is_detected_from_its_words(language: str) -> None:
    assert detect(PARAGRAPHS[language]) == language


@pytest.mark.parametrize(
    "text",
    [
        "Tuesday, 10:30",  # too few words
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et "
        "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip "
        "ex ea commodo consequat.",  # no language our lists know: no guess
        "",
    ],
)
def test_unclear_text_gives_no_language(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(
    ("raw", "tag"),
    [("en_US", "en-US"), ("EN-us", "en-US"), ("de-DE,en;q=0.8", "de-DE"), ("zh-hant-tw", "zh-Hant-TW"),
     ("fr", "fr"), ("", None), ("x-klingon", None), ("und", None), ("english", None), (None, None), (7, None)],
)  # fmt: skip
def test_declared_tags_are_normalised(raw: object, tag: str | None) -> None:
    assert normalize_tag(raw) == tag


def test_the_text_overrides_a_declared_language_it_plainly_is_not() -> None:
    # A German article on a page whose template says "en": the words win, the region is not kept.
    assert choose(["en-US"], PARAGRAPHS["de"]) == "de"
    # Declared and detected agree: the declared tag keeps its region.
    assert choose(["de-AT"], PARAGRAPHS["de"]) == "de-AT"
    # A language the stop lists do not cover is taken at its word.
    assert choose(["eu"], PARAGRAPHS["es"]) == "eu"
    # Nothing declared: the text's language; nothing clear either: None.
    assert choose([None, ""], PARAGRAPHS["fr"]) == "fr"
    assert choose([], "Tuesday, 10:30") is None
    # A declared tag and too little text: the declared tag.
    assert choose(["pt-BR"], "Rio, 10:30") == "pt-BR"


def _page(lang_attr: str, body: str) -> str:
    paragraphs = "".join(f"<p>{sentence}.</p>" for sentence in body.split(". "))
    return (
        f"<!doctype html><html{lang_attr}><head><title>Ferry</title></head><body><article><h1>Die Fähre</h1>"
        f"{paragraphs}</article></body></html>"
    )


def test_a_web_page_gives_its_declared_language() -> None:
    assert extract_html(_page(' lang="de-DE"', PARAGRAPHS["de"])).language == "de-DE"
    assert extract_html(_page("", PARAGRAPHS["de"])).language == "de"
    assert extract_html(_page(' lang="en"', PARAGRAPHS["de"])).language == "de"


def test_a_web_page_without_lang_uses_its_meta_tags() -> None:
    html = _page("", PARAGRAPHS["fr"]).replace("<head>", '<head><meta property="og:locale" content="fr_CA">')
    assert extract_html(html).language == "fr-CA"


def test_markdown_front_matter_names_the_language() -> None:
    text = "---\ntitle: La traversée\nlang: fr-BE\n---\n\n" + PARAGRAPHS["fr"] + "\n"
    assert read_markdown(text).article.language == "fr-BE"
    assert read_markdown("# La traversée\n\n" + PARAGRAPHS["fr"] + "\n").article.language == "fr"


def test_scraped_text_is_detected_and_kept_in_clean_json(tmp_path) -> None:
    article = parse_article("Die Fähre bleibt\n\n" + PARAGRAPHS["de"] + "\n")
    assert article.language == "de"
    assert article.to_dict()["language"] == "de"
    path = tmp_path / "faehre.txt"
    path.write_text("Die Fähre bleibt\n\n" + PARAGRAPHS["de"] + "\n", encoding="utf-8")
    cache = SentenceCache(tmp_path / "cache")
    assert load_article(str(path), cache=cache).language == "de"
    assert load_article(str(path), cache=cache).language == "de"  # read back from the article cache
