"""Settings for the test suite: production settings with test keys and fast hashing.

Environment values set by scripts/run-tests.sh win; these defaults let `pytest` run on its own.
"""

import os
import tempfile

os.environ.setdefault(
    "WERKBRUG_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghij"
)
os.environ.setdefault("WERKBRUG_PSEUDONYM_KEY", "test-pseudonym-key-0123456789abcdef")
os.environ.setdefault("WERKBRUG_ENCRYPTION_KEY", "test-encryption-key-0123456789abcdef")
os.environ.setdefault("WERKBRUG_HTTPS", "0")
os.environ.setdefault("WERKBRUG_TASKS_IMMEDIATE", "1")
os.environ.setdefault("WERKBRUG_EMAIL_BACKEND", "locmem")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="werkbrug-test-"))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from werkbrug.settings import *  # noqa: E402,F403

# Argon2 is deliberately slow; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303 - tests only

# Rate limits (core.ratelimit): the access matrix and the journeys send far more requests to
# the public link pages from one address than a person would. tests/core/test_rate_limits.py
# sets its own small limits.
RATE_LIMITS = {
    scope: (requests * 1000, seconds)
    for scope, (requests, seconds) in RATE_LIMITS.items()  # noqa: F405
}
