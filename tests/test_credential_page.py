"""The credential page: an agent gets clientAction.uiUrl, a person types the keys there.

The protocol checks use plain HTTP (wrong token, foreign Host, replayed form, refused keys);
one test drives the page in a real headless Chromium (Debian's chromium + chromedriver,
which .ci/run installs) and saves a screenshot in the test's temporary folder.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from cli_runner import run_cli


def _fetch(url: str, *, data: dict | None = None, host: str | None = None, origin: str | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body)
    if host:
        req.add_header("Host", host)
    if origin:
        req.add_header("Origin", origin)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _csrf(page: str) -> str:
    return re.search(r"name=_csrf value='([^']+)'", page).group(1)


def _connect_for_page(capsys, served) -> dict:
    made = run_cli(capsys, "connect", "--connectorId", "engage", "--setting", f"baseUrl={served['url']}", "--json")
    assert made.code == 0, made.err
    return made.json()


def _waiter(home: Path, conn_id: str) -> subprocess.Popen:
    env = {**os.environ, "TETHER_HOME": str(home), "TETHER_SECRETS_BACKEND": "file"}
    return subprocess.Popen(
        [sys.executable, "-m", "tether", "connection", "get", conn_id, "--wait", "--timeout", "120", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def test_connect_without_terminal_offers_a_page_guarded_by_token_host_and_single_use_form(tether_home, capsys, served_sandbox):
    served = served_sandbox("engage")
    keys = served["credentials"]
    conn = _connect_for_page(capsys, served)
    action = conn["clientAction"]
    assert conn["state"] == "CLIENT_ACTION_REQUIRED"
    url = action["uiUrl"]
    parts = urllib.parse.urlsplit(url)
    assert parts.hostname == "127.0.0.1" and len(parts.path) > 40  # an unguessable token in the path
    assert url in action["agentInstructions"] and "--wait" in action["agentInstructions"]

    # Without the token, with a wrong one, or through a foreign host name: refused.
    assert _fetch(f"{parts.scheme}://{parts.netloc}/")[0] == 404
    assert _fetch(f"{parts.scheme}://{parts.netloc}/{'x' * 43}")[0] == 404
    assert _fetch(url, host=f"rebind.attacker.example:{parts.port}")[0] == 403
    assert _fetch(url, host=f"localhost:{parts.port}")[0] == 200

    status, page = _fetch(url)
    assert status == 200 and "Engage" in page and "Settings → Account → API keys" in page
    assert "type=password" in page  # the private key is masked
    # A POST from another origin, or without the form's nonce, is refused.
    assert _fetch(url, data={"_csrf": _csrf(page), **keys}, origin="http://evil.example")[0] == 403
    assert _fetch(url, data=keys)[0] == 403

    # Wrong keys: the page says so, keeps the connection as it was, and offers a fresh form.
    wrong = {"public_key": "pk_wrong_1234", "private_key": "sk_wrong_5678"}
    used = _csrf(page)
    status, again = _fetch(url, data={"_csrf": used, **wrong})
    assert status == 200 and "refused" in again and "sk_wrong_5678" not in again
    assert run_cli(capsys, "connection", "get", conn["id"], "--json").json()["state"] == "CLIENT_ACTION_REQUIRED"
    # The used form cannot be replayed.
    assert _fetch(url, data={"_csrf": used, **keys})[0] == 403

    waiter = _waiter(tether_home, conn["id"])
    status, done = _fetch(url, data={"_csrf": _csrf(again), **keys})
    assert status == 200 and "Connected to Engage" in done
    out, err = waiter.communicate(timeout=120)
    assert json.loads(out)["state"] == "READY"
    for secret in (keys["private_key"], "sk_wrong_5678"):
        assert secret not in out + err + done + again


def test_connection_update_serves_the_page_for_key_rotation(tether_home, capsys, served_sandbox):
    served = served_sandbox("engage")
    keys = served["credentials"]
    made = run_cli(capsys, "connect", "--connectorId", "engage", "--setting", f"baseUrl={served['url']}", "--input", json.dumps(keys), "--json")
    conn = made.json()
    assert conn["state"] == "READY"
    offered = run_cli(capsys, "connection", "update", conn["id"], "--json").json()
    assert offered["state"] == "READY"
    url = offered["clientAction"]["uiUrl"]
    status, page = _fetch(url)
    assert "leave a field empty to keep it" in page
    # A Content-Length that is no length is refused at once (a negative one would read until the client gave up).
    parts = urllib.parse.urlsplit(url)
    for length in ("-1", "ten"):
        raw = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        raw.putrequest("POST", parts.path)
        raw.putheader("Content-Length", length)
        raw.endheaders(b"_csrf=x")
        assert raw.getresponse().status == 400
        raw.close()
    # Refused new keys leave the working ones in place.
    status, again = _fetch(url, data={"_csrf": _csrf(page), "private_key": "sk_rotated_wrong"})
    assert "refused" in again
    tested = run_cli(capsys, "connection", "test", conn["id"], "--json")
    assert tested.code == 0 and tested.json()["state"] == "READY"


def test_headless_browser_fills_the_page_and_the_agent_sees_ready(tether_home, capsys, served_sandbox, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    served = served_sandbox("engage")
    keys = served["credentials"]
    conn = _connect_for_page(capsys, served)
    url = conn["clientAction"]["uiUrl"]

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=900,1000", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    try:
        waiter = _waiter(tether_home, conn["id"])
        driver.get(url)
        assert driver.find_element(By.TAG_NAME, "h1").text == "Connect tether to Engage"
        secret_box = driver.find_element(By.NAME, "private_key")
        assert secret_box.get_attribute("type") == "password"
        driver.find_element(By.NAME, "public_key").send_keys(keys["public_key"])
        secret_box.send_keys(keys["private_key"])
        shot = tmp_path / "credential-page.png"
        driver.save_screenshot(str(shot))
        print(f"screenshot: {shot}")
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        try:
            WebDriverWait(driver, 60).until(lambda d: "Connected to Engage" in d.title)
        finally:
            driver.save_screenshot(str(tmp_path / "credential-page-after.png"))
        assert keys["private_key"] not in driver.page_source
    finally:
        driver.quit()
    out, err = waiter.communicate(timeout=120)
    assert json.loads(out)["state"] == "READY"
    assert keys["private_key"] not in out + err
    assert shot.stat().st_size > 10_000


def test_wait_returns_at_once_when_nothing_is_pending_and_at_timeout_with_the_current_state(tether_home, capsys):
    sandboxed = run_cli(capsys, "connect", "--connectorId", "engage", "--sandbox", "--json").json()
    ready = run_cli(capsys, "connection", "get", sandboxed["id"], "--wait", "--timeout", "600", "--json")
    assert ready.code == 0 and ready.json()["state"] == "READY"  # nothing to wait for: no 600 s pause
    pending = run_cli(capsys, "connect", "--connectorId", "example", "--json").json()
    waited = run_cli(capsys, "connection", "get", pending["id"], "--wait", "--timeout", "0.5", "--json")
    assert waited.code == 0 and waited.json()["state"] == "CLIENT_ACTION_REQUIRED"
    helped = run_cli(capsys, "connection", "get", "--help")
    assert "--timeout" in helped.out and "default: 300" in helped.out


def test_connection_ensure_without_a_terminal_also_offers_the_page(tether_home, capsys):
    ensured = run_cli(capsys, "connection", "ensure", "https://engage.so/", "--json").json()
    assert ensured["state"] == "CLIENT_ACTION_REQUIRED" and ensured["clientAction"]["uiUrl"].startswith("http://127.0.0.1:")
    status, page = _fetch(ensured["clientAction"]["uiUrl"])
    assert status == 200 and "Connect tether to Engage" in page


def test_stop_pages_signals_only_a_live_page_of_that_connection(tmp_path):
    """A page killed hard leaves its pid file; the pid may since name another process of the
    user, which stopping pages (or starting a new one) must not kill."""
    import signal
    import subprocess
    import sys
    import time

    from tether._credential_page import _is_page, pid_file, stop_pages

    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    impostor = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "tether._credential_page.server", "other-conn"])
    try:
        stale = pid_file(tmp_path, "conn-1")
        stale.parent.mkdir(parents=True)
        stale.write_text(str(bystander.pid))
        pid_file(tmp_path, "conn-2").write_text(str(impostor.pid))  # a page, but of another connection
        assert not _is_page(bystander.pid, "conn-1")
        stop_pages(tmp_path)
        time.sleep(0.2)
        assert bystander.poll() is None and impostor.poll() is None
        assert not list((tmp_path / "pages").glob("*.pid"))  # stale files are gone
        # The same check says yes for a real page of the connection named in its file.
        assert _is_page(impostor.pid, "other-conn")
        pid_file(tmp_path, "other-conn").write_text(str(impostor.pid))
        stop_pages(tmp_path, "other-conn")
        assert impostor.wait(timeout=10) == -signal.SIGTERM
    finally:
        for proc in (bystander, impostor):
            proc.kill()
            proc.wait()
