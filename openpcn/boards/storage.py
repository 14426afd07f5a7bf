"""Where board papers live: DATA_DIR/boards/papers/, readable only by the application (0700/0600).

The folder is read from settings when used (not when the model loads), so tests can point
DATA_DIR at a temporary folder. Papers are served only through the board's own pages.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

# The paper types a board pack carries, by extension, with the content types browsers send.
ALLOWED_PAPER_TYPES: dict[str, frozenset[str]] = {
    ".pdf": frozenset({"application/pdf"}),
    ".docx": frozenset({"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
    ".xlsx": frozenset({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
}
# The content type a paper is served with, whatever the browser sent when it was uploaded.
SERVED_TYPES = {ext: sorted(types)[0] for ext, types in ALLOWED_PAPER_TYPES.items()}
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


def check_paper(name: str, content_type: str, size: int) -> str | None:
    """Why an uploaded paper is refused, or None when it may be stored."""
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED_PAPER_TYPES:
        return "A paper must be a PDF, Word (.docx) or Excel (.xlsx) file"
    if content_type not in ALLOWED_PAPER_TYPES[extension]:
        return f"The file's type ({content_type or 'unknown'}) does not match its name ({name})"
    if size > MAX_PAPER_BYTES:
        return f"A paper can be at most {MAX_PAPER_BYTES // (1024 * 1024)} MB"
    if size == 0:
        return "The file is empty"
    return None
