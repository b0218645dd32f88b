"""The password hash: Argon2id with OWASP's recommended cost, not Django's default.

Django's ``Argon2PasswordHasher`` uses 100 MiB of memory, 2 passes and 8 lanes: every
sign-in then takes 100 MiB in the worker (a worker's peak went from ~170 to ~280 MB in the
benchmark of issue 17) and several at once could exhaust a small server.  OWASP's Password
Storage Cheat Sheet recommends for Argon2id at least m = 19 MiB, t = 2, p = 1 — equivalent
in attack cost per guess to its other configurations — which is what ISA uses
(docs/decisions.md).  The algorithm name stays ``argon2``: existing hashes still verify,
and Django rehashes them with these parameters at the next sign-in (``must_update``).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB: 19 MiB
    parallelism = 1
