"""CleverTap's actions, by family."""

from . import campaigns, counts, exports, profiles, segments, uploads

ACTIONS = uploads.ACTIONS + exports.ACTIONS + counts.ACTIONS + profiles.ACTIONS + campaigns.ACTIONS + segments.ACTIONS
