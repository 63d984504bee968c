"""CleverTap passes tether's conformance kit: every action, against its sandbox."""

from tether.testing import ConformanceSuite


class TestCleverTapConformance(ConformanceSuite):
    connector = "clevertap"
