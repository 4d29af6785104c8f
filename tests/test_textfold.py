"""Folding Vietnamese text for search."""

import unicodedata

from bot.core.textfold import fold, fold_words, normalize


def test_tone_and_vowel_marks_are_dropped() -> None:
    assert fold("Tôi thấy hoa vàng trên cỏ xanh") == "toi thay hoa vang tren co xanh"


def test_d_with_stroke_folds_to_d_in_both_cases() -> None:
    assert fold("Đắc nhân tâm") == "dac nhan tam"
    assert fold("đường ĐI") == "duong di"


def test_decomposed_input_folds_like_composed() -> None:
    composed = "Dế Mèn phiêu lưu ký"
    assert fold(unicodedata.normalize("NFD", composed)) == fold(composed) == "de men phieu luu ky"


def test_fold_words_keeps_letters_and_digits_only() -> None:
    assert fold_words("Toán 6 – Tập 1 (Kết nối)!") == ["toan", "6", "tap", "1", "ket", "noi"]


def test_normalize_composes() -> None:
    assert normalize(unicodedata.normalize("NFD", "Nguyễn")) == "Nguyễn"


def test_normalize_drops_controls_and_bidi_marks_but_keeps_lines_and_emoji() -> None:
    typed = "Lớp\u202e 6A\u200b\x00\n\tcô 👩\u200d🏫\u2066"
    assert normalize(typed) == "Lớp 6A\n\tcô 👩\u200d🏫"
