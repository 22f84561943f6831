"""The patients' booking site at ``/book``: find a cabin, pick a slot, say who comes, confirm
the phone by an SMS code, then see, move or cancel by the SMS's link; the privacy, legal and
accessibility pages; ``GET /api/cabins`` for the regional directory.

Rendered on the server (Jinja2 through aiohttp-jinja2) in French, English, Arabic (right to
left) and Spanish; it works with JavaScript off and sets no cookie: an unconfirmed booking is
named by a random id carried in its forms and links. See docs/booking-site.md.
"""

from __future__ import annotations

from portal.booking.routes import setup

__all__ = ["setup"]
