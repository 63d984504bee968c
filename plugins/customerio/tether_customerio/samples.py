"""Ids of the sandbox's seed data, shared by the seed and by the actions' examples.

Every example input must run against a freshly seeded sandbox (the conformance kit resets it
before each one). Both regions' workspaces are seeded alike.
"""

SEEDED_AT = 1_700_000_000  # 2023-11-14: seed objects carry fixed, plausible times

# People (§A5.2: ids are strings; cio_ids are Customer.io's own).
ADA, ADA_EMAIL, ADA_CIO = "cust-1001", "ada@example.com", "03000001"
GRACE, GRACE_EMAIL, GRACE_CIO = "cust-1002", "grace@example.com", "03000002"
ALAN, ALAN_EMAIL, ALAN_CIO = "cust-1003", "alan+test@example.com", "03000003"
KATHERINE, KATHERINE_EMAIL, KATHERINE_CIO = "cust-1004", "katherine@example.com", "03000004"
ADA_DEVICE = "ios/ada-token-1"  # a device token with a "/" in it (§A3: path ids are encoded)

# Segments (§A5.3): 7 and 8 are manual, 9 is data-driven.
VIP_SEGMENT = 7  # manual, members: Ada and Grace
BETA_SEGMENT = 8  # manual, empty
ACTIVE_SEGMENT = 9  # dynamic

# Campaigns, their actions, newsletters and broadcasts (§A5.4).
ONBOARDING_CAMPAIGN = 5
ONBOARDING_EMAIL_ACTION = 101
WINBACK_CAMPAIGN = 6
NOVEMBER_NEWSLETTER = 21
BLACK_FRIDAY_NEWSLETTER = 22
OUTAGE_BROADCAST = 31
PRICING_BROADCAST = 32
OUTAGE_TRIGGER = 1  # an earlier trigger of broadcast 31, with one error line

# Transactional templates (§A5.6): id and trigger name.
PASSWORD_RESET_EMAIL, PASSWORD_RESET_NAME = 2, "password_reset"
ORDER_CONFIRMATION_EMAIL = 3
LOGIN_ALERT_PUSH = 4
VERIFICATION_SMS = 5

# Deliveries (messages) of Ada's, exports and a reporting webhook.
ADA_WELCOME_DELIVERY = "RPILAgUBcRhIBqSfeiIwdIYJKxTY"
CUSTOMERS_EXPORT = 110
DELIVERY_WEBHOOK = 4
