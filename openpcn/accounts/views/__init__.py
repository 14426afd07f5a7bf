"""Views for signing in, two-factor authentication and managing who holds which role."""
