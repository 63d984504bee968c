"""Engage's 22 actions, grouped by what they act on.

Each ``run`` yields requests and returns the output (see tether._wire); paths are relative to
https://api.engage.so/v1. Parameter names follow the third-party catalog of Engage actions
(uid, aid, list_id, subscriber_uid, …) so tools written against it carry over.
"""

from . import accounts, batch, lists, users

ACTIONS = users.ACTIONS + accounts.ACTIONS + lists.ACTIONS + batch.ACTIONS
