"""What runs Cabine without a cabin: the demo (simulated stack, control panel, scripted run),
the doctor's page driven by a real Chromium, network cuts, and the screenshots.

Shipped for technicians and tests, never imported by the cabin's or the portal's code: only
the command line (``kiosk demo``, ``kiosk screenshots``) reaches it.
"""
