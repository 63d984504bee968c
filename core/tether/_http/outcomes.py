"""What an exchange ends in: the platform's answer as a :class:`~tether._wire.Response`, or
the :class:`~tether.TetherError` that says what happened (with the platform's own message)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._errors import (
    AuthError,
    NetworkError,
    PlatformError,
    PlatformNotFoundError,
    RateLimitedError,
    TetherError,
    UsageError,
)
from .._models import Api
from .._redact import redact, redact_obj
from .._wire import Request, Response
from .lazylog import get_logger
from .messages import Answer, TransportFailure
from .retry import as_failure, parse_retry_after, rule_for

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Session

log = get_logger("tether.http")  # logging loads only when a record is emitted


def already_gone(req: Request, outcome: Answer) -> Response:
    """A retried DELETE found nothing: the attempt whose answer was lost deleted it."""
    note = (
        f"a retry found nothing ({outcome.status}) after an attempt whose answer was lost: "
        "that attempt deleted it (or it was already gone), so this is reported as done"
    )
    log.warning("%s %s: %s", req.method, redact(str(outcome.url)), note)
    url = redact(str(outcome.url))
    if outcome.status in req.accept:  # the caller reads statuses itself (`tether request`)
        return Response(outcome.status, dict(outcome.headers), outcome.content, url, note=note)
    return Response(204, {}, b"", url, note=note)


def finish(session: Session, req: Request, api: Api, outcome: Answer | Exception, attempt: int, reason: str) -> Response:
    tries = f" after {attempt + 1} attempts" if attempt else ""
    if isinstance(outcome, Exception):
        failure = as_failure(outcome)
        rule = rule_for(failure)
        name = failure.name if isinstance(failure, TransportFailure) else type(failure).__name__
        detail = redact(str(failure)) or name
        if rule.local:
            raise UsageError(f"{req.method} {session.connector.name}: {rule.meaning} ({detail}); nothing was sent")
        note = "" if rule.processed is False or req.is_idempotent else (
            "; it may have been processed, so it was not retried (not idempotent): check before sending it again"
        )
        raise NetworkError(
            f"{req.method} {session.connector.name}: {rule.meaning}{tries} ({name}: {detail}){note}",
            processed=rule.processed,
        )
    response = Response(outcome.status, outcome.headers, outcome.content, redact(str(outcome.url)))
    if response.ok or response.status in req.accept:
        return response
    raise error_for(session, api, response, tries, reason)

def error_for(session: Session, api: Api, response: Response, tries: str = "", reason: str = "") -> TetherError:
    body: Any = response.json(default=None)
    if body is None and response.content:
        body = response.text[:2000]
    body = redact_obj(body)
    message = None
    if session.connector.error_message is not None:
        try:
            message = session.connector.error_message(response.status, body)
        except Exception:  # a connector's parser must never hide the platform's answer
            message = None
    if not message:
        message = _default_message(body) or reason_phrase(response.status) or "error"
    text = f"{session.connector.name} answered {response.status}{tries}: {redact(str(message))}"
    processed = rule_for(response.status).processed
    if response.status in api.auth_statuses:
        return AuthError(text, status=response.status, body=body, processed=processed)
    if response.status == 429:
        if reason and "exceeds" in reason:
            text += f" ({reason})"
        retry_after = parse_retry_after(response.header("retry-after"))
        return RateLimitedError(text, status=429, body=body, retry_after=retry_after, processed=processed)
    if response.status == 404:
        return PlatformNotFoundError(text, status=404, body=body, processed=processed)
    if processed is None:
        text += " (it may have been processed: check before sending it again)"
    return PlatformError(text, status=response.status, body=body, processed=processed)


def _default_message(body: Any) -> str | None:
    """Best effort over common error shapes when a connector gives no parser."""
    if isinstance(body, str):
        return body.strip()[:500] or None
    if isinstance(body, Mapping):
        for key in ("error", "message", "detail", "error_description", "errors"):
            value = body.get(key)
            if isinstance(value, str):
                return value
            if isinstance(value, Mapping):
                nested = _default_message(value)
                if nested:
                    return nested
            if isinstance(value, list) and value:
                first = value[0]
                return first if isinstance(first, str) else _default_message(first)
    return None


def reason_phrase(status: int) -> str:
    """The standard phrase for ``status`` (as ``httpx.codes`` words it), or ""."""
    if status == 418:
        return "I'm a teapot"  # http.HTTPStatus capitalises it; httpx does not
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
