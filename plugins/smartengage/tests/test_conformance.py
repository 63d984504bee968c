"""SmartEngage passes tether's conformance kit: what every connector must do."""

from tether.testing import ConformanceSuite


class TestSmartEngageConformance(ConformanceSuite):
    connector = "smartengage"
