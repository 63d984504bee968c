"""The engine's and the sandbox's logger loads ``logging`` only when a record would be
emitted: a default run skips debug and info lines without it, a warning still reaches stderr
(logging's last resort, as before), and once logging is configured it is the real logger."""

from __future__ import annotations

import logging
import subprocess
import sys

PROBE = """
import sys
from tether._http.lazylog import get_logger
log = get_logger("tether.http")
log.debug("a debug line %s", 1)
log.info("an info line")
assert "logging" not in sys.modules, "a skipped line loaded logging"
log.warning("a warning %s", 2)
assert "logging" in sys.modules
"""


def test_skipped_lines_load_nothing_and_a_warning_still_shows():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "a warning 2\n"


def test_once_logging_is_configured_the_records_are_the_real_loggers(caplog):
    from tether._http.lazylog import get_logger

    log = get_logger("tether.test-lazy")

    def caller() -> None:
        log.debug("debug %s", "x")
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("failed")

    with caplog.at_level(logging.DEBUG, logger="tether.test-lazy"):
        caller()
    debug, failed = caplog.records
    assert (debug.levelno, debug.getMessage(), debug.funcName) == (logging.DEBUG, "debug x", "caller")
    assert (failed.levelno, failed.funcName, failed.exc_info[0]) == (logging.ERROR, "caller", ValueError)
