"""The conformance kit over every ESputnik action.

get-workflows is the one action that sends nothing (the platform has no workflow API): its
example must fail with the explanation, whatever the credentials, and reach no endpoint.
"""

from __future__ import annotations

from typing import Any

import pytest

from tether.testing import ConformanceSuite

NO_API = {"get-workflows"}


class TestEsputnikConformance(ConformanceSuite):
    connector = "esputnik"

    def _sends_nothing(self, action_key: str, kit: Any) -> None:
        from tether_esputnik.actions.activity import NoPublicApi

        conn = kit.sandbox_connection(self.connector)
        runtime = kit.sandbox_runtime(self.connector)
        before = runtime.last_seq()
        with pytest.raises(NoPublicApi) as info:
            kit.run(action_key, connection_id=conn.id, input=self._action(action_key).examples[0])
        assert "no public API" in str(info.value)
        assert runtime.journal(after=before) == []

    def test_examples_run(self, action_key: str, kit: Any) -> None:
        if action_key in NO_API:
            self._sends_nothing(action_key, kit)
        else:
            super().test_examples_run(action_key, kit)

    def test_wrong_credentials_refused(self, action_key: str, kit: Any) -> None:
        if action_key in NO_API:
            self._sends_nothing(action_key, kit)
        else:
            super().test_wrong_credentials_refused(action_key, kit)
