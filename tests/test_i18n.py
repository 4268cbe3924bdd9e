from content.i18n import translator
from content.localized import Localized, parse_lang


def test_language_tags_map_to_what_we_speak() -> None:
    assert parse_lang("km-KH") == "km"
    assert parse_lang("en_US") == "en"
    assert parse_lang("fr") == "vi"
    assert parse_lang(None) == "vi"


def test_missing_translation_falls_back_to_vietnamese() -> None:
    message = "Một câu chưa có bản dịch"
    for lang in ("vi", "en", "km", "fr"):
        assert translator(lang)(message) == message


def test_localized_text_picks_language() -> None:
    text = Localized(vi="Xin chào", en="Hello", km="សួស្តី")
    assert text.get("km-KH") == "សួស្តី"
    assert text.get("de") == "Xin chào"
