from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from tests.assessment import world
from tests.conftest import Tree


@pytest.fixture(scope="module")
def scored(django_db_setup: None, django_db_blocker: Any) -> Iterator[Tree]:
    """The hand-computed world, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["tests.hashers.QuickArgon2PasswordHasher"]):
            built = world.build()
        yield built
        transaction.set_rollback(True)
