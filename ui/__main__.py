"""``python -m ui`` is the ``kiosk`` command."""

from ui.entry import main

raise SystemExit(main())
