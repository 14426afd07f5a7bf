"""The `openpcn` command line."""
