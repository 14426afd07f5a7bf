"""Double-entry ledger: balanced, append-only journals per organisation and fund."""
