"""One screen per session state; :mod:`ui.screens.base` holds what every screen shares."""
