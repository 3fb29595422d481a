"""Reading one cell of an exchange file: the value types of exchange-formats.md."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

TRUE_WORDS = {"是", "true", "1", "y", "yes"}
FALSE_WORDS = {"否", "false", "0", "n", "no"}
LIST_SEPARATORS = re.compile(r"[;；,，、]")
_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
)


class CellError(ValueError):
    """The cell's value does not fit; the message says what is expected."""


def parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise CellError("是 或 否（也可写 true/false、1/0、Y/N）")


def parse_date(text: str) -> date:
    value = text.strip()
    for form in _DATE_FORMS:
        match = form.match(value)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError as exc:
                raise CellError("存在的日期") from exc
    raise CellError("日期，如 2025-03-01、2025/3/1 或 2025年3月1日")


def parse_decimal(text: str) -> Decimal:
    try:
        number = Decimal(text.strip())
    except InvalidOperation as exc:
        raise CellError("不小于 0 的数") from exc
    if not number.is_finite() or number < 0:
        raise CellError("不小于 0 的数")
    if number != number.quantize(Decimal("0.01")):
        raise CellError("不小于 0、至多两位小数的数")
    return number


def parse_list(text: str, allowed: tuple[str, ...]) -> list[str]:
    items: list[str] = []
    for raw in LIST_SEPARATORS.split(text):
        item = raw.strip()
        if not item:
            continue
        if item not in allowed:
            raise CellError(f"以下各项，可多选，用 ; 、 或 , 分隔：{'、'.join(allowed)}（“{item}”不在其中）")
        if item not in items:
            items.append(item)
    return items


def parse_choice(text: str, allowed: tuple[str, ...]) -> str:
    value = text.strip()
    if value not in allowed:
        raise CellError("、".join(allowed) + " 之一")
    return value
