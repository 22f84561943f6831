"""Fixtures of the end-to-end tests, from the areas they join: the portal in a private network
namespace with the doctor's page in Chromium, and the instrument simulators on ptys."""

from tests.cabin.conftest import sims  # noqa: F401
from tests.portal.conftest import (  # noqa: F401
    doctor_page,
    loopback_netns,
    netns_portal,
    portal_config,
)
