"""Uploaded documents, checked by their bytes (never by their name or the type a browser sends)
and kept privately under DATA_DIR/<area>/<key>/ (folders 0700, files 0600).

Every app that takes a file (contract documents, board papers, policies, CVs) checks it here, so
one rule decides what OpenPCN will keep.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from collections.abc import Collection
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx"}
NAMES = {PDF: "PDF", DOCX: "Word (.docx)", XLSX: "Excel (.xlsx)"}
OFFICE_AND_PDF = frozenset(EXTENSIONS)


def sniff(
    name: str,
    content: bytes,
    *,
    allowed: Collection[str] = OFFICE_AND_PDF,
    max_bytes: int = MAX_BYTES,
) -> str:
    """The file's real type, or a ValidationError naming the file and what is wrong."""
    if not content:
        raise ValidationError(f"{name}: the file is empty")
    if len(content) > max_bytes:
        raise ValidationError(
            f"{name}: {len(content) / 1_048_576:.1f} MB is over the {max_bytes // 1_048_576} MB limit"
        )
    found = _real_type(name, content)
    if found is None or found not in allowed:
        kinds = [NAMES[kind] for kind in EXTENSIONS if kind in allowed]
        listed = ", ".join(kinds[:-1]) + (" or " if len(kinds) > 1 else "") + kinds[-1]
        raise ValidationError(f"{name}: only {listed} files can be kept")
    return found


def _real_type(name: str, content: bytes) -> str | None:
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except zipfile.BadZipFile as error:
            raise ValidationError(f"{name}: the file is damaged") from error
        if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
            return DOCX
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return XLSX
    return None


def folder(area: str, key: object) -> Path:
    return Path(settings.DATA_DIR) / area / str(key)


def store(area: str, key: object, content: bytes, content_type: str) -> tuple[str, str]:
    """Write the file (0600 in a 0700 folder) and return its path under DATA_DIR and SHA-256."""
    digest = hashlib.sha256(content).hexdigest()
    target_dir = folder(area, key)
    target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = target_dir / f"{digest}{EXTENSIONS[content_type]}"
    temporary = target.with_suffix(".part")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    temporary.replace(target)  # in one step, so no half-written file is ever served
    return str(target.relative_to(Path(settings.DATA_DIR))), digest


def read(path: str) -> bytes:
    return (Path(settings.DATA_DIR) / path).read_bytes()
