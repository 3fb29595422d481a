"""ID-card and phone numbers: GB 11643 validation, SM4-GCM at rest, keyed SM3 index, masks."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from datetime import date

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.utils import timezone

from xuexi.errors import DomainError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CODES = "10X98765432"
_ID_CARD = re.compile(r"^\d{17}[\dX]$")
_PHONE = re.compile(r"^1\d{10}$")
_NONCE_BYTES = 12
_TAG_BYTES = 16


def id_card_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CODES[total % 11]


def normalize_id_card(value: str, *, field: str = "id_card", today: date | None = None) -> str:
    """Validate a resident ID number (GB 11643-1999) and return it with an upper-case X."""
    text = value.strip().upper()
    if not _ID_CARD.match(text):
        raise DomainError("id_card_invalid", "身份证号应为 18 位：前 17 位数字，最后一位数字或 X", field=field)
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError as exc:
        raise DomainError("id_card_invalid", "身份证号中的出生日期不存在", field=field) from exc
    # Checking many numbers, the caller gives today once: finding it costs more than the rest of the check.
    if born.year < 1900 or born > (today or timezone.localdate()):
        raise DomainError("id_card_invalid", "身份证号中的出生日期不合理", field=field)
    if id_card_check_digit(text[:17]) != text[17]:
        raise DomainError("id_card_invalid", "身份证号校验位不正确", field=field)
    return text


def birth_date_of(id_card: str) -> date:
    return date(int(id_card[6:10]), int(id_card[10:12]), int(id_card[12:14]))


def normalize_phone(value: str, *, field: str = "phone") -> str:
    text = re.sub(r"[\s-]", "", value)
    if not _PHONE.match(text):
        raise DomainError("phone_invalid", "手机号应为 1 开头的 11 位数字", field=field)
    return text


def _key(name: str) -> bytes:
    return _parse_key(name, getattr(settings, name))


@functools.lru_cache(maxsize=8)
def _parse_key(name: str, raw: str) -> bytes:
    try:
        key = bytes.fromhex(raw)
    except ValueError as exc:
        raise ValueError(f"{name} 应为 32 位十六进制字符") from exc
    if len(key) != 16:
        raise ValueError(f"{name} 应为 32 位十六进制字符（128 位密钥）")
    return key


def encrypt(value: str, *, purpose: str) -> bytes:
    """SM4-GCM: nonce ‖ ciphertext ‖ tag, bound to its purpose (id_card, phone)."""
    return encrypt_all([value], purpose=purpose)[0]


def encrypt_all(values: Iterable[str], *, purpose: str) -> list[bytes]:
    """Encrypt many values as `encrypt` does each, each with its own nonce; the key is read once."""
    sm4 = algorithms.SM4(_key("XUEXI_FIELD_KEY"))
    associated = purpose.encode()
    sealed: list[bytes] = []
    for value in values:
        nonce = os.urandom(_NONCE_BYTES)
        encryptor = Cipher(sm4, modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(associated)
        ciphertext = encryptor.update(value.encode()) + encryptor.finalize()
        sealed.append(nonce + ciphertext + encryptor.tag)
    return sealed


def decrypt(blob: bytes | memoryview, *, purpose: str) -> str:
    blob = bytes(blob)
    nonce, ciphertext, tag = blob[:_NONCE_BYTES], blob[_NONCE_BYTES:-_TAG_BYTES], blob[-_TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(_key("XUEXI_FIELD_KEY")), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(purpose.encode())
    return (decryptor.update(ciphertext) + decryptor.finalize()).decode()


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed SM3 digest: finds a person by exact number without storing the number."""
    return blind_indexes([value], purpose=purpose)[0]


def blind_indexes(values: Iterable[str], *, purpose: str) -> list[str]:
    """The blind index of each value; the keyed digest is set up once and copied for each."""
    keyed = hmac.HMAC(_key("XUEXI_INDEX_KEY"), hashes.SM3())
    digests: list[str] = []
    for value in values:
        mac = keyed.copy()
        mac.update(f"{purpose}:{value}".encode())
        digests.append(mac.finalize().hex())
    return digests


def mask_id_card(value: str) -> str:
    return f"{value[:6]}{'*' * 8}{value[-4:]}"


def mask_phone(value: str) -> str:
    return f"{value[:3]}****{value[-4:]}"
