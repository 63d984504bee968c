"""Transactional sends and templates (§A5.6), and the bodies the official Python SDK sends (§A8)."""

import base64
import json

import pytest
from tether import PlatformError, ValidationError
from tether_customerio import samples as s


def _message(cio, delivery_id, region="us"):
    return next(m for m in cio.collection("messages", region) if m["id"] == delivery_id)


def _activities(cio, delivery_id):
    return [a for a in cio.collection("activities") if a.get("delivery_id") == delivery_id]


def _nothing_sent(cio, before):
    assert cio.runtime.journal(after=before) == []


# -- email ---------------------------------------------------------------------------------------------------


def test_send_email_by_trigger_name_records_the_delivery(cio):
    out = cio.run(
        "send-transactional-email",
        transactional_message_id=s.PASSWORD_RESET_NAME.upper(),  # trigger names are case-insensitive
        identifiers={"id": s.ADA},
        message_data={"link": "https://example.com/reset"},
    )
    assert set(out) == {"delivery_id", "queued_at"} and out["delivery_id"]
    entry = cio.runtime.journal()[-1]
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/v1/send/email", 200)
    message = _message(cio, out["delivery_id"])
    assert message["type"] == "email" and message["transactional_message_id"] == s.PASSWORD_RESET_EMAIL
    assert message["customer_id"] == s.ADA and message["recipient"] == s.ADA_EMAIL and message["subject"] == "Reset your password"
    assert "sent" in message["metrics"] and message["failure_message"] is None
    assert [a["type"] for a in _activities(cio, out["delivery_id"])] == ["sent_email"]


def test_send_email_without_template_creates_the_person(cio):
    assert cio.person("buyer@example.com") is None
    out = cio.run(
        "send-transactional-email",
        identifiers={"email": "buyer@example.com"},
        to="buyer@example.com",
        bcc="audit@example.com",
        **{"from": "Example <orders@example.com>"},
        subject="Your receipt",
        body="<p>Thanks!</p>",
        headers={"X-Order": "1001"},
    )
    person = cio.person("buyer@example.com")
    assert person is not None and person["id"] is None  # §A5.6: created if missing
    message = _message(cio, out["delivery_id"])
    assert message["transactional_message_id"] == 1  # §A5.6: template-less metrics go to message 1
    assert message["subject"] == "Your receipt" and message["recipient"] == "buyer@example.com"
    assert message["customer_identifiers"]["cio_id"] == person["cio_id"]


def test_email_headers_travel_as_a_json_string(cio):
    with cio.http("app") as http:
        as_object = http.post(
            "/v1/send/email",
            json={"transactional_message_id": 3, "identifiers": {"id": s.ADA}, "headers": {"X-Order": "1"}},
        )
        as_string = http.post(
            "/v1/send/email",
            json={"transactional_message_id": 3, "identifiers": {"id": s.ADA}, "headers": json.dumps([{"name": "X-Order", "value": "1"}])},
        )
    assert as_object.status_code == 400 and "headers" in as_object.json()["meta"]["error"]
    assert as_string.status_code == 200


def test_python_sdk_email_body_is_accepted(cio):
    # §A8: APIClient.send_email(SendEmailRequest(transactional_message_id="3", to=…, _from=…, identifiers=…)).
    sdk_body = b'{"transactional_message_id": "3", "identifiers": {"email": "p@example.com"}, "message_data": {"n": 1}, "from": "s@example.com", "to": "p@example.com"}'
    with cio.http("app") as http:
        reply = http.post("/v1/send/email", content=sdk_body, headers={"Content-Type": "application/json"})
    assert reply.status_code == 200 and set(reply.json()) == {"delivery_id", "queued_at"}
    message = _message(cio, reply.json()["delivery_id"])
    assert message["transactional_message_id"] == s.ORDER_CONFIRMATION_EMAIL and message["recipient"] == "p@example.com"
    assert cio.person("p@example.com") is not None


def test_template_less_email_needs_body_subject_and_from(cio):
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError) as info:
        cio.run("send-transactional-email", identifiers={"id": s.ADA}, subject="Hi", body="<p>x</p>")
    assert info.value.path == "input.from"
    _nothing_sent(cio, before)
    with cio.http("app") as http:
        reply = http.post("/v1/send/email", json={"identifiers": {"id": s.ADA}, "subject": "Hi"})
    assert reply.status_code == 400
    assert reply.json() == {"meta": {"error": "without transactional_message_id, body, from are required"}}


def test_at_most_fifteen_recipients(cio):
    sixteen = ",".join(f"p{n}@example.com" for n in range(12))
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError) as info:
        cio.run("send-transactional-email", transactional_message_id=2, identifiers={"id": s.ADA}, to=sixteen, bcc="a@x.io, b@x.io,c@x.io,d@x.io")
    assert info.value.path == "input.to" and "16" in info.value.message
    _nothing_sent(cio, before)
    fifteen = cio.run("send-transactional-email", transactional_message_id=2, identifiers={"id": s.ADA}, to=sixteen, bcc="a@x.io,b@x.io,c@x.io")
    assert fifteen["delivery_id"]
    with cio.http("app") as http:
        reply = http.post("/v1/send/email", json={"transactional_message_id": 2, "identifiers": {"id": s.ADA}, "to": sixteen, "bcc": "a@x.io,b@x.io,c@x.io,d@x.io"})
    assert reply.status_code == 400 and "15" in reply.json()["meta"]["error"]


def test_attachments_are_checked(cio):
    pdf = base64.b64encode(b"%PDF-1.4 receipt").decode()
    ok = cio.run("send-transactional-email", transactional_message_id=3, identifiers={"id": s.ADA}, attachments={"receipt.pdf": pdf})
    assert ok["delivery_id"]
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError) as info:
        cio.run("send-transactional-email", transactional_message_id=3, identifiers={"id": s.ADA}, attachments={"receipt.pdf": "not base64!"})
    assert info.value.path == 'input.attachments["receipt.pdf"]'
    big = base64.b64encode(b"\0" * (2 * 1024 * 1024)).decode()
    with pytest.raises(ValidationError):
        cio.run("send-transactional-email", transactional_message_id=3, identifiers={"id": s.ADA}, attachments={"big.bin": big})
    _nothing_sent(cio, before)
    base = {"transactional_message_id": 3, "identifiers": {"id": s.ADA}}
    with cio.http("app") as http:
        encoded = http.post("/v1/send/email", json={**base, "attachments": {"filename.xyz": "%%%"}})
        forbidden = http.post("/v1/send/email", json={**base, "attachments": {"setup.exe": pdf}})
        too_big = http.post("/v1/send/email", json={**base, "attachments": {"big.bin": big}})
    # §A5.6, §A7: {"meta": {"error": …}} with 400, 403 and 413.
    assert encoded.status_code == 400 and encoded.json() == {"meta": {"error": 'Attachment must be base64 encoded: "filename.xyz"'}}
    assert forbidden.status_code == 403 and forbidden.json() == {"meta": {"error": "Forbidden file type exe for attachment setup.exe."}}
    assert too_big.status_code == 413 and too_big.json() == {"meta": {"error": "Total attachment size exceeds the limit"}}


def test_send_at_and_unknown_templates(cio):
    with pytest.raises(PlatformError) as far:
        cio.run("send-transactional-email", transactional_message_id=2, identifiers={"id": s.ADA}, send_at=4_000_000_000)
    assert far.value.status == 400 and "90 days" in far.value.body["meta"]["error"]
    with pytest.raises(PlatformError) as unknown:
        cio.run("send-transactional-email", transactional_message_id="no_such_template", identifiers={"id": s.ADA})
    assert unknown.value.status == 400 and "not found" in unknown.value.body["meta"]["error"]
    with pytest.raises(PlatformError) as channel:
        cio.run("send-transactional-email", transactional_message_id=s.LOGIN_ALERT_PUSH, identifiers={"id": s.ADA})
    assert channel.value.status == 400 and "push" in channel.value.body["meta"]["error"]
    assert [m for m in cio.collection("messages") if m.get("transactional_message_id")] == []


def test_identifiers_must_be_exactly_one(cio):
    before = cio.runtime.last_seq()
    for identifiers in ({"id": s.ADA, "email": s.ADA_EMAIL}, {}, {"phone": "+1555"}):
        with pytest.raises(ValidationError):
            cio.run("send-transactional-email", transactional_message_id=2, identifiers=identifiers)
    _nothing_sent(cio, before)
    with cio.http("app") as http:
        reply = http.post("/v1/send/email", json={"transactional_message_id": 2, "identifiers": {"id": s.ADA, "email": s.ADA_EMAIL}})
    assert reply.status_code == 400 and "exactly one" in reply.json()["meta"]["error"]


def test_unsubscribed_person_with_send_to_unsubscribed_false_is_not_sent(cio):
    cio.run("identify-customer", identifier=s.GRACE, attributes={"unsubscribed": True})
    out = cio.run("send-transactional-email", transactional_message_id=2, identifiers={"id": s.GRACE}, send_to_unsubscribed=False)
    message = _message(cio, out["delivery_id"])
    assert message["failure_message"] and "sent" not in message["metrics"]
    assert _activities(cio, out["delivery_id"]) == []
    draft = cio.run("send-transactional-email", transactional_message_id=2, identifiers={"id": s.ADA}, queue_draft=True)
    assert set(_message(cio, draft["delivery_id"])["metrics"]) == {"drafted"}


# -- push ----------------------------------------------------------------------------------------------------


def test_send_push_to_the_last_used_device(cio):
    out = cio.run("send-transactional-push", transactional_message_id=s.LOGIN_ALERT_PUSH, identifiers={"id": s.ADA}, to="last_used")
    message = _message(cio, out["delivery_id"])
    assert message["type"] == "push" and message["recipient"] == s.ADA_DEVICE and message["subject"] == "New login"
    assert [a["type"] for a in _activities(cio, out["delivery_id"])] == ["sent_push"]


def test_python_sdk_push_body_upserts_the_custom_device(cio):
    # §A8: send_push(SendPushRequest(transactional_message_id=4, identifiers={"id": "2"}, device={…})).
    sdk_body = b'{"transactional_message_id": 4, "identifiers": {"id": "2"}, "custom_device": {"token": "t", "platform": "ios"}}'
    with cio.http("app") as http:
        reply = http.post("/v1/send/push", content=sdk_body, headers={"Content-Type": "application/json"})
    assert reply.status_code == 200
    person = cio.person("2")
    assert person is not None and [d["id"] for d in person["devices"]] == ["t"]
    assert _message(cio, reply.json()["delivery_id"])["recipient"] == "t"


def test_push_without_a_device_is_recorded_as_failed(cio):
    out = cio.run("send-transactional-push", transactional_message_id="LOGIN_ALERT", identifiers={"id": s.ALAN})
    message = _message(cio, out["delivery_id"])
    assert message["failure_message"] and "failed" in message["metrics"]
    with cio.http("app") as http:
        bad = http.post("/v1/send/push", json={"transactional_message_id": 4, "identifiers": {"id": s.ADA}, "custom_device": {"token": "x"}})
    assert bad.status_code == 400 and "meta" in bad.json()


# -- sms -----------------------------------------------------------------------------------------------------


def test_send_sms_records_a_twilio_delivery(cio):
    out = cio.run("send-transactional-sms", transactional_message_id=s.VERIFICATION_SMS, identifiers={"id": s.GRACE}, to="+447700900123")
    message = _message(cio, out["delivery_id"])
    assert message["type"] == "twilio" and message["recipient"] == "+447700900123"  # §A5.2: SMS deliveries are twilio
    assert message["transactional_message_id"] == s.VERIFICATION_SMS
    assert [a["type"] for a in _activities(cio, out["delivery_id"])] == ["sent_twilio"]


def test_sms_number_must_be_e164(cio):
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError) as info:
        cio.run("send-transactional-sms", transactional_message_id=s.VERIFICATION_SMS, identifiers={"id": s.GRACE}, to="07700 900123")
    assert info.value.path == "input.to"
    _nothing_sent(cio, before)
    with cio.http("app") as http:
        bad = http.post("/v1/send/sms", json={"transactional_message_id": 5, "identifiers": {"id": "2"}, "to": "555-1234"})
        sdk = http.post("/v1/send/sms", content=b'{"transactional_message_id": 5, "identifiers": {"id": "2"}, "to": "+15551234567"}')
    assert bad.status_code == 400 and bad.json()["meta"]["error"].startswith("Invalid phone number format.")
    assert sdk.status_code == 200  # §A8: the Python SDK's send_sms body


def test_sends_need_the_app_key(cio):
    with cio.http("app", auth=None) as http:
        reply = http.post("/v1/send/email", json={"transactional_message_id": 2, "identifiers": {"id": s.ADA}})
    assert reply.status_code == 401
    assert not any(m.get("transactional_message_id") for m in cio.collection("messages"))


# -- templates -----------------------------------------------------------------------------------------------


def test_list_transactional_messages(cio):
    out = cio.run("list-transactional-messages")
    by_id = {m["id"]: m for m in out["messages"]}
    assert set(by_id) == {s.PASSWORD_RESET_EMAIL, s.ORDER_CONFIRMATION_EMAIL, s.LOGIN_ALERT_PUSH, s.VERIFICATION_SMS}
    assert by_id[s.PASSWORD_RESET_EMAIL]["name"] == "password reset" and by_id[s.PASSWORD_RESET_EMAIL]["send_to_unsubscribed"] is True
    assert not any(k.startswith("_") for m in out["messages"] for k in m)


# -- the official Python SDK over a served sandbox (§A8) -----------------------------------------------------


def test_official_python_sdk_sends_are_accepted(served_sandbox, tether_client):
    from customerio import APIClient, SendEmailRequest, SendPushRequest, SendSMSRequest

    served = served_sandbox("customerio")
    client = APIClient(served["credentials"]["app_api_key"], url=served["url"].rstrip("/"))
    email = client.send_email(
        SendEmailRequest(
            transactional_message_id="3", to="p@example.com", _from="s@example.com", identifiers={"email": "p@example.com"}, message_data={"n": 1}
        )
    )
    push = client.send_push(SendPushRequest(transactional_message_id=4, identifiers={"id": "2"}, device={"token": "t", "platform": "ios"}))
    sms = client.send_sms(SendSMSRequest(transactional_message_id=5, to="+15551234567", identifiers={"id": "2"}))
    for reply in (email, push, sms):
        assert set(reply) == {"delivery_id", "queued_at"}
    # The served sandbox shares tether_home's state: read what it recorded.
    messages = {m["id"]: m for m in tether_client.sandbox_runtime("customerio").collection("us/messages")}
    assert messages[email["delivery_id"]]["recipient"] == "p@example.com"
    assert messages[push["delivery_id"]]["recipient"] == "t" and messages[push["delivery_id"]]["type"] == "push"
    assert messages[sms["delivery_id"]]["type"] == "twilio"
