"""App API: people (§A5.2)."""

from __future__ import annotations

from . import model
from .base import SANDBOX, api_error, app_auth, fail, not_found

ID_TYPES = ("id", "email", "cio_id")


def id_type(req) -> str:
    value = req.query.get("id_type") or "id"
    if value not in ID_TYPES:
        raise fail(api_error(400, "id_type must be one of id, email, cio_id"))
    return value


def person_or_404(req, ctx):
    person = model.find(ctx, req.path_params["customer_id"], id_type(req))
    if person is None:
        raise not_found("Customer")
    return person


@SANDBOX.route("GET", "/v1/customers/{customer_id}/attributes", auth=app_auth)
def attributes(req, ctx):
    return {"customer": model.customer_view(person_or_404(req, ctx))}
