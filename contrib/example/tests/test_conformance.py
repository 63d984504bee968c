"""The example connector passes tether's conformance kit: what every connector must do."""

from tether.testing import ConformanceSuite


class TestJotterConformance(ConformanceSuite):
    connector = "example"
