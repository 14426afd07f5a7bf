"""The `openpcn` command: one entry point whose subcommands live in `openpcn.cli.commands`.

Each module in that package defines `register(subparsers)`, which adds its parser and sets
`handler=<callable(args) -> int>`. Adding a capability's commands means adding a module there.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Callable, Sequence
from typing import cast

from openpcn import __version__
from openpcn.cli import commands


class CommandError(Exception):
    """A user-facing failure: the message is printed, the exit code is 1."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="openpcn",
        description="OpenPCN: run primary care at scale across PCNs and practices.",
    )
    parser.add_argument("--version", action="version", version=f"openpcn {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return cast(Callable[[argparse.Namespace], int], handler)(args)
    except CommandError as error:
        print(f"openpcn: {error}", file=sys.stderr)
        return 1


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
