"""Contract documents: only PDF, Word and Excel files, up to a size limit, checked by their bytes
(not their name) and kept privately under DATA_DIR/contracts/<contract>/."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx"}


def sniff(name: str, content: bytes) -> str:
    """The file's real type, or a ValidationError naming the file and what is wrong."""
    if not content:
        raise ValidationError(f"{name}: the file is empty")
    if len(content) > MAX_BYTES:
        raise ValidationError(
            f"{name}: {len(content) / 1_048_576:.1f} MB is over the {MAX_BYTES // 1_048_576} MB limit"
        )
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
    raise ValidationError(f"{name}: only PDF, Word (.docx) and Excel (.xlsx) files can be kept")


def folder(contract_pk: int) -> Path:
    return Path(settings.DATA_DIR) / "contracts" / str(contract_pk)


def store(contract_pk: int, content: bytes, content_type: str) -> tuple[str, str]:
    """Write the file (0600 in a 0700 folder) and return its path under DATA_DIR and SHA-256."""
    digest = hashlib.sha256(content).hexdigest()
    target_dir = folder(contract_pk)
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
