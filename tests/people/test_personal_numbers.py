from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import valid_id_card
from xuexi.errors import DomainError
from xuexi.people import personal_numbers as pn
from xuexi.people.services import personal_number_columns, personal_number_fields


def test_valid_id_card_is_accepted_and_x_upper_cased() -> None:
    first17 = "11010519491231002"
    number = first17 + pn.id_card_check_digit(first17)
    assert number == "11010519491231002X"
    assert pn.normalize_id_card(number.lower()) == number


def test_wrong_check_digit_is_refused_with_reason() -> None:
    good = valid_id_card(seq=5)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(DomainError) as caught:
        pn.normalize_id_card(bad)
    assert "校验位" in caught.value.detail


def test_impossible_birth_date_is_refused() -> None:
    first17 = "22010219800230001"  # 30 February
    with pytest.raises(DomainError) as caught:
        pn.normalize_id_card(first17 + pn.id_card_check_digit(first17))
    assert "出生日期" in caught.value.detail


def test_future_birth_date_is_refused() -> None:
    first17 = "22010221990101001"
    with pytest.raises(DomainError) as caught:
        pn.normalize_id_card(first17 + pn.id_card_check_digit(first17))
    assert "出生日期" in caught.value.detail


@pytest.mark.parametrize("value", ["", "2201021980010100", "22010219800101001A", "abcdefghijklmnopqr"])
def test_malformed_id_card_is_refused(value: str) -> None:
    with pytest.raises(DomainError):
        pn.normalize_id_card(value)


def test_masks_keep_only_the_permitted_digits() -> None:
    assert pn.mask_id_card("220102198001011234") == "220102********1234"
    assert pn.mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize("value", ["1381234567", "23812345678", "138123456789", "1381234567a"])
def test_malformed_phone_is_refused(value: str) -> None:
    with pytest.raises(DomainError):
        pn.normalize_phone(value)


@given(st.text(min_size=0, max_size=40))
def test_sm4_gcm_round_trips_any_text(value: str) -> None:
    assert pn.decrypt(pn.encrypt(value, purpose="id_card"), purpose="id_card") == value


def test_ciphertext_is_bound_to_its_purpose() -> None:
    from cryptography.exceptions import InvalidTag

    blob = pn.encrypt("13812345678", purpose="phone")
    with pytest.raises(InvalidTag):
        pn.decrypt(blob, purpose="id_card")


def test_ciphertext_differs_each_time_and_hides_the_number() -> None:
    a = pn.encrypt("13812345678", purpose="phone")
    b = pn.encrypt("13812345678", purpose="phone")
    assert a != b
    assert b"13812345678" not in a


def test_blind_index_is_stable_keyed_and_purpose_bound(settings: object) -> None:
    first = pn.blind_index("13812345678", purpose="phone")
    assert first == pn.blind_index("13812345678", purpose="phone")
    assert first != pn.blind_index("13812345678", purpose="id_card")
    settings.XUEXI_INDEX_KEY = "0123456789abcdef0123456789abcdef"  # type: ignore[attr-defined]
    assert pn.blind_index("13812345678", purpose="phone") != first


@given(st.lists(st.text(max_size=20), max_size=5))
def test_enciphering_many_is_enciphering_each_with_its_own_nonce(values: list[str]) -> None:
    sealed = pn.encrypt_all([*values, *values], purpose="phone")
    assert [pn.decrypt(blob, purpose="phone") for blob in sealed] == [*values, *values]
    assert len({blob[:12] for blob in sealed}) == len(sealed)


@given(st.lists(st.text(max_size=20), max_size=5))
def test_blind_indexes_of_many_are_each_ones_blind_index(values: list[str]) -> None:
    assert pn.blind_indexes(values, purpose="id_card") == [pn.blind_index(v, purpose="id_card") for v in values]


def test_a_birth_date_after_the_given_today_is_refused() -> None:
    number = valid_id_card(born="20240301", seq=7)
    assert pn.normalize_id_card(number, today=date(2024, 3, 1)) == number
    with pytest.raises(DomainError) as caught:
        pn.normalize_id_card(number, today=date(2024, 2, 29))
    assert "出生日期" in caught.value.detail


def test_personal_number_columns_store_as_personal_number_fields_do() -> None:
    # given
    numbers = [valid_id_card(seq=8), None]
    indexes = [pn.blind_index(numbers[0] or "", purpose="id_card"), "ignored"]
    # when
    columns = personal_number_columns(numbers, indexes, purpose="id_card")
    # then: the first as personal_number_fields stores it (its own nonce), the second as a blank number
    one = personal_number_fields(id_card=numbers[0], phone=None)
    blank = personal_number_fields(id_card="", phone=None)
    assert set(columns) == set(one)
    assert pn.decrypt(columns["id_card_cipher"][0], purpose="id_card") == numbers[0]
    assert {k: v[0] for k, v in columns.items() if k != "id_card_cipher"} == {
        k: v for k, v in one.items() if k != "id_card_cipher"}
    assert {k: v[1] for k, v in columns.items()} == blank
