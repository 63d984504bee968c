"""Customer.io connector (in progress)."""
