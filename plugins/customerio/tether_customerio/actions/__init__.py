"""Customer.io's actions, one module per family of endpoints.

Most actions are one request declared with ``rest`` (see tether.connector); those that need
several requests, or shape errors, are generators over ``rest`` or ``Request``. Track actions use
paths relative to https://track.customer.io/api (so /v1/… and /v2/…), App actions paths
relative to https://api.customer.io/v1 (and the EU hosts for region eu).
"""

from . import activity, broadcasts, campaigns, customers, exports, segments, track, transactional, webhooks

ACTIONS = (
    track.ACTIONS
    + customers.ACTIONS
    + segments.ACTIONS
    + exports.ACTIONS
    + activity.ACTIONS
    + campaigns.ACTIONS
    + broadcasts.ACTIONS
    + transactional.ACTIONS
    + webhooks.ACTIONS
)
