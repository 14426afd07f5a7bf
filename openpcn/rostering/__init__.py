"""Cross-site rotas: session demand, Enhanced Access, planning with the engine, publishing, swaps, feeds."""
