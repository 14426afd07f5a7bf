"""OpenPCN: one open system for GP alliances, federations and collaboratives and their PCNs."""

__version__ = "0.1.0"
