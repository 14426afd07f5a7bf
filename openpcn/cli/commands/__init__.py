"""Subcommands of `openpcn`; each module defines `register(subparsers)`."""
