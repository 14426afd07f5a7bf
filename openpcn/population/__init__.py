"""Population health: GP extracts turned into registers, indicators, variation and worklists."""
