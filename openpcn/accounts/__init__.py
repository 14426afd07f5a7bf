"""Users, their memberships of organisations, roles, permissions and two-factor sign-in."""
