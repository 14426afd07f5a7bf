"""Where board papers live: DATA_DIR/boards/papers/, readable only by the application (0700/0600).

The folder is read from settings when used (not when the model loads), so tests can point
DATA_DIR at a temporary folder. Papers are served only through the board's own pages.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from openpcn.core import uploads

# The content type a paper is served with, by extension; the bytes were checked on upload.
SERVED_TYPES = {extension: kind for kind, extension in uploads.EXTENSIONS.items()}
MAX_PAPER_BYTES = 20 * 1024 * 1024


def papers_root() -> Path:
    return Path(settings.DATA_DIR) / "boards" / "papers"


@deconstructible(path="openpcn.boards.storage.PaperStorage")
class PaperStorage(FileSystemStorage):
    def __init__(self) -> None:
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(papers_root())

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def check_paper(paper: Any) -> str | None:
    """Why an uploaded paper is refused, or None when it may be stored.

    The file's bytes decide its type (core.uploads); its name must then say the same, because a
    paper is served by its extension.
    """
    name = paper.name or "paper"
    content = paper.read()
    paper.seek(0)
    try:
        kind = uploads.sniff(name, content, max_bytes=MAX_PAPER_BYTES)
    except ValidationError as refusal:
        return refusal.messages[0]
    if Path(name).suffix.lower() != uploads.EXTENSIONS[kind]:
        return f"{name}: the file is a {uploads.NAMES[kind]} file but its name does not say so"
    return None
