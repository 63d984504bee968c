"""Ids of the sandbox's seed data, shared by the seed and by the actions' examples.

Every example input must run against a freshly seeded sandbox (the conformance kit resets
it before each one), so the examples name these users and lists.
"""

# Lists (24-hex ids, like Engage's own: engage.md §2.1, §2.4).
NEWSLETTER = "65a1f0c2e4b0a1b2c3d4f001"
PRODUCT_UPDATES = "65a1f0c2e4b0a1b2c3d4f002"
BETA_WAITLIST = "65a1f0c2e4b0a1b2c3d4f003"
ARCHIVED_PROMO = "65a1f0c2e4b0a1b2c3d4f004"

# Users: customers u-1001…u-1005 (u-1005 duplicates u-1001), and two accounts.
GRACE = "u-1001"
ALAN = "u-1002"
KATHERINE = "u-1003"
DOROTHY = "u-1004"
GRACE_DUPLICATE = "u-1005"
ACME = "acct-acme"
GLOBEX = "acct-globex"
