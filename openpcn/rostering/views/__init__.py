"""Rota pages: plans, the site week grid, coverage, my rota, swaps, Enhanced Access, exports, feeds."""
