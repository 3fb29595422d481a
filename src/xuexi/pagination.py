"""One page of a query: the same bounds for pages, the API and exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpRequest

M = TypeVar("M", bound=Model)
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    count: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(qs: QuerySet[M], *, page: int = 1, page_size: int | None = None) -> Page[M]:
    size = min(max(1, page_size or settings.XUEXI_PAGE_SIZE), MAX_PAGE_SIZE)
    number = max(1, page)
    count = qs.count()
    start = (number - 1) * size
    return Page(items=list(qs[start : start + size]), count=count, page=number, page_size=size)


def page_number(request: HttpRequest) -> int:
    """The ?page= of a request, 1 when absent or not a number."""
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1
