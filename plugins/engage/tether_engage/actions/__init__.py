"""Engage's 22 actions, grouped by what they act on.

Most are one request, declared with ``rest``; create-user and send-batch-request may need
several and are generators (see tether.connector). Paths are relative to
https://api.engage.so/v1. Parameter names follow the third-party catalog of Engage actions
(uid, aid, list_id, subscriber_uid, …) so tools written against it carry over.
"""

from . import accounts, batch, lists, users

ACTIONS = users.ACTIONS + accounts.ACTIONS + lists.ACTIONS + batch.ACTIONS
