"""The finance pages: the PCNs a user may see, a PCN's year, and the rate table."""
