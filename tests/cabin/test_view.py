"""What the screens read of a cabin (kiosk.view.CabinView): a cabin offers all of it, and the
answers of a cabin without a portal are "none"."""

from __future__ import annotations

from kiosk import config as config_mod
from kiosk.cabin import Cabin
from kiosk.view import CabinView

CONFIG = """
[cabin]
id = "c1"
[devices.scale]
driver = "and-weight"
kind = "weight"
port = "/dev/null"
"""


def test_a_cabin_without_a_portal_offers_the_whole_view_and_says_none() -> None:
    cabin = Cabin(config_mod.parse(CONFIG), card=False, tick=False)
    assert isinstance(cabin, CabinView)
    assert cabin.last_reading is None
    assert cabin.speaking == ""
    assert cabin.checkin_answer is None
    assert (cabin.queue_position, cabin.queue_estimate_s) == (None, None)
    assert cabin.staff_call == ""
    assert not cabin.takes_booking_codes and not cabin.takes_walk_ins
    assert cabin.booking_code_status is None
    assert cabin.submit_booking_code("K7MP3X") is False
    assert cabin.continue_without_card() is False
    assert cabin.print_test_page() == "no printer configured"
    assert (cabin.device_kind("scale"), cabin.device_kind("nothing")) == ("weight", "")
    assert cabin.ticks_session is False
    assert Cabin(config_mod.parse(CONFIG), card=False).ticks_session is True
