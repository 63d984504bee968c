"""The credential page's HTML: one self-contained document, no scripts, no external resources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

_STYLE = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1d2330;margin:0}
main{max-width:34rem;margin:3rem auto;background:#fff;border-radius:12px;box-shadow:0 2px 12px #0002;padding:2rem 2.25rem}
h1{font-size:1.35rem;margin:0 0 .25rem}
.sub{color:#5b6475;margin:0 0 1.25rem}
.where{background:#f0f4ff;border-left:4px solid #3d63dd;padding:.75rem 1rem;border-radius:6px;margin:0 0 1.25rem;font-size:.95rem}
label{display:block;font-weight:600;margin:1rem 0 .2rem}
.hint{display:block;font-weight:400;color:#5b6475;font-size:.88rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.6rem .7rem;border:1px solid #c4c9d4;border-radius:6px;font:inherit}
button{margin-top:1.5rem;background:#3d63dd;color:#fff;border:0;border-radius:6px;padding:.7rem 1.4rem;font:inherit;font-weight:600;cursor:pointer}
.msg{padding:.75rem 1rem;border-radius:6px;margin:0 0 1rem}
.bad{background:#fdecec;border-left:4px solid #d33}
.good{background:#e9f7ef;border-left:4px solid #2a9d5b}
.foot{color:#5b6475;font-size:.85rem;margin-top:1.5rem;border-top:1px solid #e3e6ec;padding-top:1rem}
"""


def document(title: str, body: str) -> bytes:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body><main>{body}</main></body></html>"
    ).encode()


def form_page(
    *, connector_name: str, connection_id: str, where: str, fields: Mapping[str, Any], required: Iterable[str],
    already_set: Iterable[str], csrf: str, action: str, message: str = "", rotation: bool = False,
) -> bytes:
    required, already_set = set(required), set(already_set)
    parts = [
        f"<h1>Connect tether to {escape(connector_name)}</h1>",
        f"<p class=sub>Connection <code>{escape(connection_id)}</code>. "
        + ("Enter new keys to replace the current ones; leave a field empty to keep it." if rotation else
           "Your keys are stored on this computer only; the assistant that sent you here never sees them.")
        + "</p>",
    ]
    if message:
        parts.append(f"<p class='msg bad' role=alert>{escape(message)}</p>")
    if where:
        parts.append(f"<p class=where><strong>Where to find them:</strong> {escape(where)}</p>")
    parts.append(f"<form method=post action='{escape(action)}' autocomplete=off>")
    parts.append(f"<input type=hidden name=_csrf value='{escape(csrf)}'>")
    for name, spec in fields.items():
        label = spec.get("title") or name
        secret = bool(spec.get("writeOnly"))
        note = " (set; leave empty to keep)" if name in already_set else ("" if name in required else " (optional)")
        parts.append(
            f"<label for='f-{escape(name)}'>{escape(label)}{escape(note)}"
            f"<span class=hint>{escape(spec.get('description', ''))}</span></label>"
            f"<input id='f-{escape(name)}' name='{escape(name)}' type={'password' if secret else 'text'} "
            "autocomplete=off spellcheck=false>"
        )
    parts.append("<button type=submit>Check and save</button></form>")
    parts.append("<p class=foot>tether checks the keys with the platform before saving them. "
                 "This page works once and only from this computer.</p>")
    return document(f"Connect {connector_name}", "".join(parts))


def outcome_page(*, connector_name: str, title: str, message: str, good: bool) -> bytes:
    body = (
        f"<h1>{escape(title)}</h1>"
        f"<p class='msg {'good' if good else 'bad'}'>{escape(message)}</p>"
        "<p class=foot>You can close this tab and go back to your assistant or terminal.</p>"
    )
    return document(f"{connector_name}: {title}", body)
