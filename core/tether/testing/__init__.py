"""The connector author's test kit.

Switch it on in a connector's test suite::

    from tether.testing import ConformanceSuite

    class TestMyConnector(ConformanceSuite):
        connector = "my-platform"

Every action is then checked: valid schemas, kebab-case unique keys, descriptions, examples
that validate and run on the sandbox with output matching the output schema, invalid input
refused before any request, wrong credentials refused by the sandbox for the endpoint the
action uses, and the platform's rate-limit reply retried. The fixtures in
:mod:`tether.testing.plugin` (``tether_home``, ``tether_client``, ``sandbox_connection``)
come with it.
"""

from .conformance import ConformanceSuite, fast_retry
from .raw_http import sandbox_http

__all__ = ["ConformanceSuite", "fast_retry", "sandbox_http"]
