"""The organisation registry: alliance, places, PCNs, practices, sites, populations, people and boards."""
