"""Rostering: cross-site rotas for PCNs and practices (the engine lives in `engine/`)."""
