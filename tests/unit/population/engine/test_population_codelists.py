"""Our default codelists are the OpenCodelists files' codes; --codelists reads those files."""

from __future__ import annotations

from pathlib import Path

import pytest

from openpcn.population.engine.codelist_library import (
    CODE_SETS,
    CodelistError,
    load_codelists,
)


def test_defaults_hold_exactly_the_codes_of_the_shared_opencodelists_files(
    shared_dir: Path,
) -> None:
    ours = load_codelists()
    shared = load_codelists(shared_dir / "codelists")
    assert ours.codes == shared.codes
    assert ours.ethnicity6 == shared.ethnicity6
    assert ours.efi_deficits == shared.efi_deficits
    assert len({deficit for _, deficit in ours.efi_deficits}) == 35


def test_every_default_file_is_listed_with_its_slug_in_the_readme() -> None:
    readme = (Path(load_codelists().directory) / "README.md").read_text()
    for name, _ in CODE_SETS.values():
        assert name in readme


def test_missing_codelist_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CodelistError, match="hyp_cod"):
        load_codelists(tmp_path)
