"""Importers for the NHS public files that describe practices, PCNs and registered lists.

Each importer validates the whole file, then writes in one transaction and records one audit
event; re-importing the same file changes nothing. See ../shared/nhs-data/README.md for layouts.
"""

from openpcn.organisations.importers.base import ImportFileError, ImportResult
from openpcn.organisations.importers.epcn import import_epcn
from openpcn.organisations.importers.epraccur import import_epraccur
from openpcn.organisations.importers.list_sizes import import_list_sizes
from openpcn.organisations.importers.practice_map import import_practice_map

__all__ = [
    "ImportFileError",
    "ImportResult",
    "import_epcn",
    "import_epraccur",
    "import_list_sizes",
    "import_practice_map",
]
