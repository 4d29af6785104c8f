"""Purchase suggestions: what readers type is cleaned, and similar suggestions are one book."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.core.suggestions import (
    MAX_TITLE,
    Problem,
    Proposal,
    best_match,
    check,
    clean,
    is_skip,
    merged_author,
    same_book,
    similarity,
)


def test_the_same_title_without_accents_or_in_another_case_is_the_same_book() -> None:
    typed = Proposal("Hoàng tử bé", "Antoine de Saint-Exupéry")
    assert same_book(typed, Proposal("hoang tu be", ""))
    assert same_book(typed, Proposal("HOÀNG TỬ BÉ", "antoine de saint exupery"))
    assert same_book(Proposal("Đắc nhân tâm"), Proposal("dac nhan tam"))


def test_word_order_and_a_small_typo_do_not_make_another_book() -> None:
    assert same_book(Proposal("Dế Mèn phiêu lưu ký"), Proposal("de men phieu luu ki"))
    assert same_book(
        Proposal("Tôi thấy hoa vàng trên cỏ xanh"), Proposal("toi thay hoa vang tren co xan")
    )
    assert similarity("phiêu lưu ký Dế Mèn", "Dế Mèn phiêu lưu ký") == 1.0


def test_another_volume_is_another_book() -> None:
    assert not same_book(Proposal("Harry Potter tập 1"), Proposal("Harry Potter tập 2"))
    assert not same_book(Proposal("Toán 6"), Proposal("Toán 7"))
    assert same_book(Proposal("Doraemon tập 12"), Proposal("doraemon tap 12"))


def test_a_short_title_inside_a_longer_one_is_not_merged_into_it() -> None:
    assert not same_book(Proposal("Harry Potter"), Proposal("Harry Potter và hòn đá phù thủy"))
    assert not same_book(Proposal("Nam Cao"), Proposal("Nam"))


def test_authors_must_agree_when_both_are_given() -> None:
    assert same_book(Proposal("Mắt biếc", "Nguyễn Nhật Ánh"), Proposal("mat biec", ""))
    assert same_book(Proposal("Mắt biếc", "Nguyễn Nhật Ánh"), Proposal("mat biec", "Nhật Ánh"))
    assert same_book(
        Proposal("Mắt biếc", "Nguyen Nhat Anh"), Proposal("Mắt biếc", "Nguyễn Nhật Anh")
    )
    assert not same_book(Proposal("Tuyển tập", "Tô Hoài"), Proposal("Tuyển tập", "Nam Cao"))


def test_the_closest_known_suggestion_wins_and_ties_go_to_the_oldest() -> None:
    known = [
        (3, Proposal("Hoàng tử bé")),
        (5, Proposal("Hoàng tử bé")),
        (7, Proposal("Cô bé bán diêm")),
    ]
    assert best_match(Proposal("hoang tu be"), known) == 3
    assert best_match(Proposal("hoang tu bee"), [(9, Proposal("hoang tu be")), *known]) == 3
    assert best_match(Proposal("Không gia đình"), known) is None
    assert best_match(Proposal("Hoàng tử bé"), []) is None


def test_a_merged_suggestion_keeps_its_author_or_takes_the_first_one_given() -> None:
    assert merged_author("", "Hector Malot") == "Hector Malot"
    assert merged_author("Hector Malot", "H. Malot") == "Hector Malot"


def test_typed_values_are_cleaned_and_checked() -> None:
    assert clean("  «Hoàng   tử\nbé»  ") == "Hoàng tử bé"
    decomposed = unicodedata.normalize("NFD", "Hoàng tử bé")
    assert clean(decomposed) == unicodedata.normalize("NFC", "Hoàng tử bé")
    assert check("📚🙂", MAX_TITLE) == ("📚🙂", Problem.EMPTY)
    assert check("   ", MAX_TITLE)[1] is Problem.EMPTY
    assert check("a" * 5000, MAX_TITLE)[1] is Problem.TOO_LONG
    assert check("Hoàng tử bé 📚", MAX_TITLE) == ("Hoàng tử bé 📚", None)


def test_skipping_an_optional_answer_is_understood_in_the_usual_ways() -> None:
    for typed in ("bỏ qua", "Bo qua", "BỎ QUA.", "không biết", "-", "  bỏ   qua "):
        assert is_skip(typed), typed
    for typed in ("Tô Hoài", "bỏ qua đi mà", ""):
        assert not is_skip(typed), typed


@given(st.text(max_size=60), st.text(max_size=60))
def test_being_the_same_book_is_symmetric_and_never_raises(a: str, b: str) -> None:
    assert same_book(Proposal(a), Proposal(b)) == same_book(Proposal(b), Proposal(a))
    assert 0.0 <= similarity(a, b) <= 1.0


@given(st.text(alphabet="abcdđeêghiklmnoôơpqrstuưvxyàáảãạăắằẳẵặâấầẩẫậ ", min_size=1, max_size=40))
def test_a_title_is_the_same_book_as_itself_folded_or_upper_case(title: str) -> None:
    if not title.strip():
        return
    assert same_book(Proposal(title), Proposal(title.upper()))
    assert similarity(title, unicodedata.normalize("NFD", title)) == 1.0
