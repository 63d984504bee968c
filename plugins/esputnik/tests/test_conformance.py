"""The conformance kit over every ESputnik action."""

from tether.testing import ConformanceSuite


class TestEsputnikConformance(ConformanceSuite):
    connector = "esputnik"
