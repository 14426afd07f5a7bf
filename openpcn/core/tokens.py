"""Secret links and API tokens: only a token's SHA-256 is kept, so the database cannot give it back."""

from __future__ import annotations

import hashlib


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
