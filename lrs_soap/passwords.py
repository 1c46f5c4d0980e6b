"""Organisation password hashing: Argon2id (argon2-cffi), with a verified-password cache.

Argon2 is slow on purpose (tens of milliseconds); every SOAP call carries the password, so a
successful verification is remembered for a short time. The cache key is a keyed hash of
(stored hash, password) under a per-process random key: the plaintext is never kept, and a
rotated password (new stored hash) never hits an old entry. Failures are never cached.
"""

import contextlib
import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2Passwords:
    def __init__(self, *, cache_seconds: float = 300.0, cache_size: int = 1024,
                 hasher: PasswordHasher | None = None):
        # OWASP's Argon2id minimum (19 MiB, 2 passes, 1 lane) rather than argon2-cffi's
        # 64 MiB default: every web worker verifies on its first call per password, and a
        # 64 MiB spike per worker is most of a small server's memory.
        self._hasher = hasher or PasswordHasher(time_cost=2, memory_cost=19 * 1024,
                                                parallelism=1)
        self._key = secrets.token_bytes(32)
        self._cache: OrderedDict[bytes, float] = OrderedDict()
        self._cache_seconds = cache_seconds
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._decoy: str | None = None  # a hash of nothing anyone knows, made on first use

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify_nothing(self, password: str) -> None:
        """Fail as slowly as a wrong password does: one full Argon2 verification of a decoy
        hash with the same parameters (never cached, never matching)."""
        if self._decoy is None:
            self._decoy = self._hasher.hash(secrets.token_urlsafe(24))
        with contextlib.suppress(VerifyMismatchError, VerificationError, InvalidHashError):
            self._hasher.verify(self._decoy, password)

    def verify(self, password_hash: str, password: str) -> bool:
        token = hmac.new(self._key, f"{password_hash}\0{password}".encode(),
                         hashlib.sha256).digest()
        now = time.monotonic()
        with self._lock:
            expires = self._cache.get(token)
            if expires is not None and expires > now:
                self._cache.move_to_end(token)
                return True
        try:
            self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        with self._lock:
            self._cache[token] = now + self._cache_seconds
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return True
