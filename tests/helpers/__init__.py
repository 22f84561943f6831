"""What the test suites share beyond one folder's conftest: waiting for a condition within a
deadline (``waiting``), a cabin's call to the test portal and its recorded updates (``call``),
and the kiosk's command line run as a technician runs it (``cli``)."""
