from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with a small cost, for tests only."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
