"""``[cabin] form``: a mallette runs in a window, without the kiosk's lockdown."""

from __future__ import annotations

import shutil

import pytest

from kiosk import config
from kiosk.errors import ConfigError


def test_the_default_form_is_a_locked_cabin():
    cfg = config.parse('[cabin]\nid = "c1"\n')
    assert cfg.cabin.form == "cabin"
    assert cfg.ui.fullscreen is True and cfg.session.require_cleaning is True


def test_a_mallette_runs_in_a_window_without_cleaning_round():
    cfg = config.parse('[cabin]\nid = "m1"\nform = "mallette"\n')
    assert cfg.ui.fullscreen is False and cfg.session.require_cleaning is False


def test_a_mallette_may_still_be_told_otherwise():
    cfg = config.parse(
        '[cabin]\nid = "m1"\nform = "mallette"\n[ui]\nfullscreen = true\n'
        "[session]\nrequire_cleaning = true\n"
    )
    assert cfg.ui.fullscreen is True and cfg.session.require_cleaning is True


@pytest.mark.parametrize("form", ["borne", "bus"])
def test_other_forms_stay_locked(form):
    assert config.parse(f'[cabin]\nid = "b1"\nform = "{form}"\n').ui.fullscreen is True


def test_an_unknown_form_is_named():
    with pytest.raises(ConfigError, match=r"form.*'cabin', 'borne', 'mallette', 'bus'.*'van'"):
        config.parse('[cabin]\nid = "x"\nform = "van"\n', source="k.toml")


def test_the_mallettes_window_is_not_locked(qtbot, tmp_path_factory):
    from ui.app import KioskApp

    spool = f"/dev/shm/cabine-nurse-{tmp_path_factory.getbasetemp().name}"
    cfg = config.parse(f'[cabin]\nid = "m1"\nform = "mallette"\n[session]\nspool_dir = "{spool}"\n')
    app = KioskApp(cfg)  # no fullscreen argument: the config's own
    try:
        qtbot.addWidget(app.window)
        assert not app.fullscreen and not app.window.locked
        app.show()
        assert not app.window.isFullScreen()
    finally:
        app.close()
        shutil.rmtree(spool, ignore_errors=True)
