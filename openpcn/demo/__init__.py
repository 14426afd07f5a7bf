"""The synthetic demo alliance: seeded, deterministic, clearly labelled as synthetic.

Each capability adds its part in its own module; `load.load_demo` runs them in order.
"""
