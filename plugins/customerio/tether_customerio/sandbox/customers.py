"""App API: people (§A5.2) — lookups, search, batch attributes, and per-person listings."""

from __future__ import annotations

import json
from typing import Any

from tether.connector import Abort

from . import model
from .base import SANDBOX, api_error, app_auth, json_body, not_found, page, page_of
from .queries import check_filter, filter_activities, filter_messages, id_type

# §A7 lists no 400 body for these endpoints; the App API's JSON:API shape is used [INF].
BAD_BODY = api_error(400, "the request body must be a JSON object")

# §A7/§A9.5: POST /v1/customers/attributes takes at most 100 ids.
MAX_ATTRIBUTE_IDS = 100


def person_or_404(req, ctx):
    person = model.find(ctx, req.path_params["customer_id"], id_type(req))
    if person is None:
        raise not_found("Customer")
    return person


@SANDBOX.route("GET", "/v1/customers/{customer_id}/attributes", auth=app_auth)
def attributes(req, ctx):
    return {"customer": model.customer_view(person_or_404(req, ctx))}


# -- GET /v1/customers?email= and POST /v1/customers (search) -------------------------------------


@SANDBOX.route("GET", "/v1/customers", auth=app_auth)
def by_email(req, ctx):
    email = (req.query.get("email") or "").strip()
    if not email:
        raise SANDBOX.fail(400, "email is required")
    wanted = email.lower()  # §A3: email identifiers are case-insensitive
    found = model.people(ctx).find(lambda p: (p.get("email") or "").lower() == wanted)
    return {"results": [{"email": p.get("email"), "id": p.get("id"), "cio_id": p["cio_id"]} for p in found]}


@SANDBOX.route("POST", "/v1/customers", auth=app_auth)
def search(req, ctx):
    body = json_body(req, bad=BAD_BODY)
    if "filter" not in body:
        raise Abort(api_error(400, "filter is required", "/filter"))
    flt = check_filter(body["filter"], "/filter")
    items, next_token = page_of(req, model.people(ctx), default=50, maximum=1000, where=lambda p: model.matches(ctx, p, flt))
    # §A5.2: identifiers and ids (strings; "" for a person without an id, as in §A5.3 membership).
    return {
        "identifiers": [model.identifiers(p) for p in items],
        "ids": [p.get("id") or "" for p in items],
        "next": next_token,
    }


# -- POST /v1/customers/attributes (§A5.2) --------------------------------------------------------


@SANDBOX.route("POST", "/v1/customers/attributes", auth=app_auth)
def batch_attributes(req, ctx):
    body = json_body(req, bad=BAD_BODY)
    ids = body.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise Abort(api_error(400, "ids must be a list of strings", "/ids"))
    if len(ids) > MAX_ATTRIBUTE_IDS:
        raise Abort(api_error(400, f"at most {MAX_ATTRIBUTE_IDS} ids per request", "/ids"))
    out, seen = [], set()
    for value in ids:
        person = model.find(ctx, value, "id")
        if person is None or person["cio_id"] in seen:  # §A5.2: unknown ids are omitted
            continue
        seen.add(person["cio_id"])
        out.append({"customer": model.customer_view(person)})
    return {"customers": out}


# -- per-person listings (§A5.2) -------------------------------------------------------------------


@SANDBOX.route("GET", "/v1/customers/{customer_id}/segments", auth=app_auth)
def person_segments(req, ctx):
    person = person_or_404(req, ctx)
    mine = [seg for seg in model.segments(ctx) if any(p["cio_id"] == person["cio_id"] for p in model.members(ctx, seg))]
    # §A5.2 shows {id, name, description}; the full segment object is sent [INF: the spec
    # example is condensed, and the segment object's other fields are harmless extras].
    return {"segments": [model.segment_view(seg) for seg in mine]}


@SANDBOX.route("GET", "/v1/customers/{customer_id}/messages", auth=app_auth)
def person_messages(req, ctx):
    person = person_or_404(req, ctx)
    docs = filter_messages(req, ctx, model.messages(ctx, person), strict=False, filters=False)
    items, next_token = page(req, docs, default=50, maximum=1000)
    return {"messages": [model.public(m) for m in items], "next": next_token}


@SANDBOX.route("GET", "/v1/customers/{customer_id}/activities", auth=app_auth)
def person_activities(req, ctx):
    person = person_or_404(req, ctx)
    items, next_token = page(req, filter_activities(req, model.activities(ctx, person)), default=10, maximum=100)
    return {"activities": [model.public(a) for a in items], "next": next_token}


# -- GET /v1/customers/{id}/subscription_preferences (§A5.2) ----------------------------------------

# [INF] The workspace's subscription topics: a small fixed list (the sandbox has no subscription
# centre to configure). Topic ids are integers and a person's preference for topic N is stored
# under "topic_N" (§A3 #1 cio_subscription_preferences). ``default`` is what a person who never
# chose gets: opt-out topics (True) or opt-in topics (False).
TOPICS = (
    {"id": 1, "default": True, "text": {
        "en": ("Product updates", "News about features and improvements."),
        "fr": ("Nouveautés produit", "Les nouvelles fonctionnalités et améliorations."),
        "es": ("Novedades del producto", "Noticias sobre funciones y mejoras."),
        "de": ("Produkt-Updates", "Neuigkeiten zu Funktionen und Verbesserungen."),
    }},
    {"id": 2, "default": True, "text": {
        "en": ("Newsletter", "Our monthly newsletter."),
        "fr": ("Lettre d'information", "Notre lettre d'information mensuelle."),
        "es": ("Boletín", "Nuestro boletín mensual."),
        "de": ("Newsletter", "Unser monatlicher Newsletter."),
    }},
    {"id": 3, "default": False, "text": {
        "en": ("Offers and promotions", "Discounts and special offers."),
        "fr": ("Offres et promotions", "Remises et offres spéciales."),
        "es": ("Ofertas y promociones", "Descuentos y ofertas especiales."),
        "de": ("Angebote und Aktionen", "Rabatte und Sonderangebote."),
    }},
)

HEADERS = {
    "en": ("Manage your subscription preferences", "Choose which messages you want to receive."),
    "fr": ("Gérez vos préférences d'abonnement", "Choisissez les messages que vous souhaitez recevoir."),
    "es": ("Gestiona tus preferencias de suscripción", "Elige qué mensajes quieres recibir."),
    "de": ("Verwalten Sie Ihre Abonnement-Einstellungen", "Wählen Sie, welche Nachrichten Sie erhalten möchten."),
}


def _language(req) -> str:
    """§A5.2: ``language``, else the Accept-Language header; [INF] unknown ones fall back to en."""
    raw = req.query.get("language") or (req.header("accept-language") or "").split(",")[0].split(";")[0]
    primary = raw.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in HEADERS else "en"


def chosen_topics(person: dict[str, Any]) -> dict[str, bool]:
    """The person's topic choices from cio_subscription_preferences (an object, or JSON text)."""
    prefs = person["attributes"].get("cio_subscription_preferences")
    if isinstance(prefs, str):
        try:
            prefs = json.loads(prefs)
        except ValueError:
            return {}
    topics = prefs.get("topics") if isinstance(prefs, dict) else None
    return {str(k): bool(v) for k, v in topics.items()} if isinstance(topics, dict) else {}


@SANDBOX.route("GET", "/v1/customers/{customer_id}/subscription_preferences", auth=app_auth)
def subscription_preferences(req, ctx):
    person = person_or_404(req, ctx)
    language = _language(req)
    chosen = chosen_topics(person)
    topics = []
    for topic in TOPICS:
        name, description = topic["text"][language]
        subscribed = chosen.get(f"topic_{topic['id']}", topic["default"])
        topics.append({"id": topic["id"], "subscribed": subscribed, "name": name, "description": description})
    title, subtitle = HEADERS[language]
    return {
        "customer": {
            "id": person.get("id"),
            "identifiers": model.identifiers(person),
            "topics": topics,
            "unsubscribed": person["unsubscribed"],
            "header": {"title": title, "subtitle": subtitle},
        }
    }
