"""Where patient-level data lives: Parquet in the data directory, readable only by the application.

Folders are created 0700 and files 0600; nothing patient-level is ever stored in the web database.

    DATA_DIR/population/uploads/<extract id>/     raw uploaded files, removed once validated
    DATA_DIR/population/extracts/<extract id>/    the validated extract as Parquet
    DATA_DIR/population/refreshes/<refresh id>/worklists/<practice code>.parquet
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from django.conf import settings

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def root() -> Path:
    return Path(settings.DATA_DIR) / "population"


def private_folder(path: Path) -> Path:
    """Create `path` (and its parents under the root) readable only by this user."""
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    for folder in (path, *path.parents):
        if folder == root().parent:
            break
        os.chmod(folder, FOLDER_MODE)
    return path


def make_private(folder: Path) -> None:
    os.chmod(folder, FOLDER_MODE)
    for path in folder.rglob("*"):
        os.chmod(path, FOLDER_MODE if path.is_dir() else FILE_MODE)


def upload_folder(extract_id: int) -> Path:
    return root() / "uploads" / str(extract_id)


def extract_folder(extract_id: int) -> Path:
    return root() / "extracts" / str(extract_id)


def refresh_folder(refresh_id: int) -> Path:
    return root() / "refreshes" / str(refresh_id)


def worklist_file(refresh_id: int, practice_code: str) -> Path:
    return refresh_folder(refresh_id) / "worklists" / f"{practice_code}.parquet"


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def publish(temporary: Path, final: Path) -> None:
    """Move a fully written folder into place in one step, so readers never see half of it."""
    make_private(temporary)
    remove(final)
    private_folder(final.parent)
    os.replace(temporary, final)
