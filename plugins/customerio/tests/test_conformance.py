"""Customer.io passes tether's conformance kit: what every connector must do."""

from tether.testing import ConformanceSuite


class TestCustomerIOConformance(ConformanceSuite):
    connector = "customerio"
