"""The idle screen: "Insérez votre carte Vitale", with the language choice."""

from __future__ import annotations

from ui.screens.base import Screen


class IdleScreen(Screen):
    title_key = "idle.title"
    body_key = "idle.body"
