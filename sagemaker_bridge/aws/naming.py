"""Tuning job names that are valid, deterministic and distinct per execution.

SageMaker allows 32 characters of `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}`, unique per account and region without regard
to case (the old Flyte plugin made names of up to 50). The same parts always give the same name, so a retried
submission finds its own job; a digest of the exact parts keeps different executions apart even when their readable
prefixes are cut or clean up to the same text.
"""

from __future__ import annotations

import hashlib
import re

MAX_LENGTH = 32
DIGEST_LENGTH = 10  # hex digits: 40 bits


def job_name(*parts: object, max_length: int = MAX_LENGTH) -> str:
    """`job_name(execution_id, node_id, attempt)` -> e.g. "f3a1c9e0b2-n0-0-5d41402abc"."""
    if not parts:
        raise ValueError("job_name needs at least one part, such as the Flyte execution id")
    if not DIGEST_LENGTH + 2 <= max_length <= MAX_LENGTH:
        raise ValueError(f"max_length must be between {DIGEST_LENGTH + 2} and {MAX_LENGTH}")
    texts = [str(p) for p in parts]
    digest = hashlib.sha256()
    for text in texts:  # each part length-prefixed: no part's own text can fake a boundary between two parts
        data = text.encode("utf-8", "surrogatepass")
        digest.update(f"{len(data)}:".encode() + data)
    hex_digest = digest.hexdigest()[:DIGEST_LENGTH]
    readable = re.sub(r"[^a-z0-9]+", "-", "-".join(texts).lower()).strip("-")
    readable = readable[: max_length - DIGEST_LENGTH - 1].rstrip("-")
    return f"{readable}-{hex_digest}" if readable else hex_digest
