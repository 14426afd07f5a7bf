"""The population health engine: plain Python (no Django), runnable on DuckDB or Spark via Ibis.

Layers, from the bottom up: `schema` (extract tables), `loading` (validated extracts),
`query_model` (an immutable, typed query graph), `engines` (reference oracle and Ibis),
`indicators` (definitions as data), `statistics`, `disclosure`, `outputs` and `synthetic`.
"""
