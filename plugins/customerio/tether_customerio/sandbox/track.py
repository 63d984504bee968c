"""Track API v1 and v2 (§A3, §A4): every success is 200 {} except form submit (204)."""

from __future__ import annotations

from . import model
from .base import SANDBOX, json_body, meta_errors, region_auth, track_auth


@SANDBOX.route("PUT", "/api/v1/customers/{identifier}", auth=track_auth)
def identify(req, ctx):
    body = json_body(req, bad=meta_errors(400, "invalid JSON body"), required=False)
    identifier = req.path_params["identifier"]
    person = model.find_by_path_identifier(ctx, identifier)
    if person is None:
        if body.get("_update") or identifier.startswith("cio_"):
            return {}  # §A3 #1: update-only (or an unknown cio_id) never creates
        if "@" in identifier:
            person = model.new_person(ctx, email=identifier)
        else:
            person = model.new_person(ctx, id=identifier)
        model.record_activity(ctx, person, "profile_create")
    model.set_attributes(ctx, person, body)
    model.save(ctx, person)
    return {}


TRACK_HOSTS = {"us": "https://track.customer.io", "eu": "https://track-eu.customer.io"}


@SANDBOX.route("GET", "/api/v1/accounts/region", auth=region_auth)
def account_region(req, ctx):
    # §A1: answers on either host with the workspace's own region.
    environment = 3 if ctx.workspace == "us" else 4
    return {"url": TRACK_HOSTS[ctx.workspace], "region": ctx.workspace, "environment_id": environment}
