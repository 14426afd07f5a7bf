"""Registry pages: the organisation tree, an organisation, people, the board."""
