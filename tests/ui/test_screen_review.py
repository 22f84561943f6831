"""The review of every screen: the emergency line everywhere, right to left done right,
devices named by their kind, the main action unmistakable, dates alike, the technician's
failed checks marked with what to do."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from PyQt6.QtCore import QPoint
from PyQt6.QtGui import QColor, QImage
from PyQt6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from kiosk.config import LANGUAGES, DeviceConfig
from kiosk.domain import Beneficiary, DeviceInfo, ReadingKind, Unit
from kiosk.selftest import CheckResult, Report
from kiosk.session import (
    CardInserted,
    CardRead,
    Fault,
    FaultKind,
    MeasurementGivenUp,
    MeasurementRequested,
    State,
)
from tests.ui.helpers import all_text, click, layout_problems, reading
from tests.ui.test_screens import go_to
from ui.i18n import Translations
from ui.readings import device_text
from ui.screens.confirm_identity import birth_text

EMERGENCY = "Not for emergencies: in an emergency, call 15 or 112."
SIZES = ((1280, 800), (1920, 1080), (1080, 1920))


def show(app, screen: QWidget) -> None:
    """Put ``screen`` on the window, laid out, as the patient would see it."""
    app.window.stack.setCurrentWidget(screen)
    QApplication.processEvents()
    QApplication.processEvents()


def at(widget: QWidget, root: QWidget) -> int:
    return widget.mapTo(root, QPoint(0, 0)).y()


def pixel(widget: QWidget, x: int, y: int) -> QColor:
    image: QImage = widget.grab().toImage()
    return QColor(image.pixel(x, y))


def ink_columns(label: QLabel) -> tuple[int, int]:
    """The first and last columns where ``label`` draws something."""
    image = label.grab().toImage()
    background = QColor(image.pixel(0, 0)).lightness()
    columns = [
        x
        for x in range(image.width())
        if any(
            abs(QColor(image.pixel(x, y)).lightness() - background) > 60
            for y in range(0, image.height(), 2)
        )
    ]
    return columns[0], columns[-1]


# -- 1. the emergency line -----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_emergency_line_ends_every_patient_screen_in_the_patient_s_language(
    kiosk_app, language
):
    expected = Translations().text(language, "Emergency", EMERGENCY)
    if language != "en":
        assert expected != EMERGENCY  # translated, not the English source
    kiosk_app.bridge.on_language(language)
    go_to(kiosk_app, State.WAITING_ROOM)
    assert len(kiosk_app.window.screens) == len(State)
    for state, screen in kiosk_app.window.screens.items():
        show(kiosk_app, screen)
        line = screen.emergency
        assert line.isVisible(), state
        assert line.text() == expected, (state, line.text())
        # The last thing on the screen, below every button, and no larger than the body.
        bottom = at(line, screen)
        for other in screen.findChildren(QPushButton) + screen.findChildren(QLabel):
            if other is not line and other.isVisible():
                assert at(other, screen) < bottom, (state, other.objectName())
        assert line.font().pointSizeF() <= screen.body.font().pointSizeF()
        assert not line.font().bold()


def test_the_out_of_service_screen_has_the_emergency_line_in_every_language(qtbot):
    from ui.fault_screen import EMERGENCY as LINES
    from ui.fault_screen import MESSAGES, OutOfServiceWindow

    translations = Translations()
    # The screen's languages are fr, en, ar, es, in that order (as its messages).
    assert len(LINES) == len(MESSAGES) == 4
    for language, line in zip(("fr", "en", "ar", "es"), LINES, strict=True):
        assert line == translations.text(language, "Emergency", EMERGENCY), language
    screen = OutOfServiceWindow(cabin="yvelines-mantes-01", locked=False)
    qtbot.addWidget(screen)
    screen.show()
    for width, height in SIZES:
        screen.resize(width, height)
        QApplication.processEvents()
        assert [label.text() for label in screen.emergency] == list(LINES)
        assert all(label.isVisible() for label in screen.emergency)
        assert not layout_problems(screen), (width, height, layout_problems(screen))


# -- 7. right to left ------------------------------------------------------------------------


def test_the_pin_keypad_keeps_1_2_3_in_arabic_like_the_booking_keypad(kiosk_app):
    window = kiosk_app.window
    kiosk_app.bridge.on_language("ar")
    window.open_pin_pad()
    QApplication.processEvents()
    pin = window.pin_screen
    assert pin is not None
    xs = [pin.digit_buttons[d].mapTo(window, QPoint(0, 0)).x() for d in "123"]
    assert xs == sorted(xs) and xs[0] < xs[2], xs
    window.close_technician()
    from kiosk.session import BookingCodeRequested

    kiosk_app.runtime.takes_booking_codes = True
    assert kiosk_app.bridge.send(BookingCodeRequested())
    booking = window.current
    QApplication.processEvents()
    keys = [booking.keys[c].mapTo(window, QPoint(0, 0)).x() for c in "3469"]
    assert keys == sorted(keys), keys


@pytest.mark.parametrize(("language", "bar_side"), [("ar", "right"), ("fr", "left")])
def test_the_high_contrast_notice_bar_is_on_the_reading_side(kiosk_app, language, bar_side):
    window = kiosk_app.window
    kiosk_app.bridge.on_language(language)
    window.set_high_contrast(True)
    screen = window.current
    screen.show_staff_call("calling")
    QApplication.processEvents()
    notice = screen.staff_notice
    assert notice.isVisible()
    middle = notice.height() // 2
    left, right = pixel(notice, 2, middle), pixel(notice, notice.width() - 3, middle)
    bar, other = (right, left) if bar_side == "right" else (left, right)
    assert bar.name() == "#ffff00", bar.name()
    assert other.name() == "#000000", other.name()


def test_the_other_languages_line_stands_on_the_reading_side_of_the_arabic_idle_screen(
    kiosk_app,
):
    kiosk_app.bridge.on_language("ar")
    idle = kiosk_app.window.screens[State.IDLE]
    show(kiosk_app, idle)
    line = idle.attract
    assert "Français" in line.text() or "English" in line.text() or "Español" in line.text()
    first, last = ink_columns(line)
    # Flush with the Arabic lines: against the right, far from the left.
    assert line.width() - 1 - last < first, (first, last, line.width())
    kiosk_app.bridge.on_language("fr")
    first, last = ink_columns(line)
    assert first < line.width() - 1 - last  # in French, against the left


def unisolated_paths(text: str) -> list[str]:
    """Paths (``/usr/sbin/pcscd``) not inside a left-to-right isolate: in Arabic their
    slashes would be laid out right to left ("usr/sbin/pcscd/")."""
    found = []
    depth = 0
    for i, char in enumerate(text):
        if char in "\u2066\u2067\u2068":
            depth += 1
        elif char == "\u2069":
            depth = max(0, depth - 1)
        elif char == "/" and depth == 0 and re.match(r"/\w", text[i : i + 2]):
            found.append(text[i : i + 20])
    return found


def test_technician_paths_stay_left_to_right_in_arabic(qtbot, kiosk_config):
    from ui.screens.technician import TechnicianScreen

    translations = Translations()
    translations.install("ar")
    try:
        screen = TechnicianScreen(
            kiosk_config,
            logs=lambda subject: [f"{subject}: /dev/ttyUSB1 gave no answer in 2 s"],
        )
        qtbot.addWidget(screen)
        screen.setLayoutDirection(screen.layoutDirection().RightToLeft)
        screen.show_report(
            Report(
                [
                    CheckResult("system:pcscd", True, "/usr/sbin/pcscd"),
                    CheckResult(
                        "device:balance",
                        False,
                        "/dev/ttyUSB1: no answer in 2 s",
                        "plug it in, or fix [devices.balance] port (ls -l /dev/serial/by-id/)",
                    ),
                ]
            )
        )
        screen.table.setCurrentCell(1, 0)
        screen._on_print_done("/var/spool/cups: job 12 completed")
        texts = [screen.status.text(), screen.log_view.text()]
        for row in range(screen.table.rowCount()):
            for col in range(screen.table.columnCount()):
                item = screen.table.item(row, col)
                if item is not None:
                    texts.append(item.text())
        assert any("/dev/serial/by-id/" in t for t in texts)  # the hint is shown
        assert any("/dev/ttyUSB1 gave no answer" in t for t in texts)  # and the logs
        for text in texts:
            assert not unisolated_paths(text), text
    finally:
        translations.uninstall()


def test_counted_words_in_arabic_take_the_plural(kiosk_app):
    kiosk_app.bridge.on_language("ar")
    go_to(kiosk_app, State.WAITING_ROOM)
    kiosk_app.runtime.queue_position = 2
    for seconds, words in ((7 * 60, "7 دقائق"), (60, "دقيقة واحدة"), (120, "دقيقتين")):
        kiosk_app.runtime.queue_estimate_s = float(seconds)
        kiosk_app.window.current.refresh()
        assert words in kiosk_app.window.current.queue.text()
    assert "7 دقيقة" not in kiosk_app.window.current.queue.text()


# -- 4. devices by their kind ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("fr", ("tensiomètre", "thermomètre", "balance", "oxymètre")),
        ("en", ("blood pressure monitor", "thermometer", "scale", "pulse oximeter")),
        ("es", ("tensiómetro", "termómetro", "báscula", "pulsioxímetro")),
        ("ar", ("مقياس ضغط الدم", "ميزان الحرارة", "الميزان", "مقياس الأكسجين في الدم")),
    ],
)
def test_readings_name_the_device_by_its_kind(qapp, language, names):
    translations = Translations()
    translations.install(language)
    try:
        kinds = ("blood_pressure", "temperature", "weight", "spo2")
        for kind, name in zip(kinds, names, strict=True):
            shown = reading(kind, {}, unit=Unit.KG)
            shown = replace(shown, device=DeviceInfo(id="oxymetre", model="Nonin 3150"))
            text = device_text(shown)
            assert name in text, (language, text)
            assert "oxymetre" not in text  # its id in the cabin's configuration
            assert "\u2066Nonin\u00a03150\u2069" in text  # the model, as printed, in one piece
    finally:
        translations.uninstall()


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fr", "La balance ne répond pas"),
        ("ar", "الميزان لا يستجيب"),
        ("es", "La báscula no responde"),
        ("en", "The scale is not responding"),
    ],
)
def test_an_unplugged_device_is_named_by_its_kind_from_the_config(kiosk_app, language, title):
    config = kiosk_app.runtime.config
    kiosk_app.runtime.config = replace(
        config,
        devices={"balance": DeviceConfig(driver="and-weight", kind="weight", port="/dev/x")},
    )
    kiosk_app.bridge.on_language(language)
    go_to(kiosk_app, State.IN_CALL)
    assert kiosk_app.bridge.send(Fault(FaultKind.INSTRUMENT_UNPLUGGED, "balance"))
    screen = kiosk_app.window.current
    assert screen.title.text() == title
    assert "balance" not in screen.body.text()


def test_an_unplugged_device_is_no_dead_end(kiosk_app, qtbot):
    send = kiosk_app.bridge.send
    session = kiosk_app.runtime.session
    go_to(kiosk_app, State.IN_CALL)
    assert send(Fault(FaultKind.NETWORK_LOST))
    assert not kiosk_app.window.current.skip_button.isVisible()
    from kiosk.session import FaultCleared

    assert send(FaultCleared())
    assert not send(MeasurementGivenUp())  # nothing to give up in a call
    assert send(MeasurementRequested(ReadingKind.WEIGHT))
    assert send(Fault(FaultKind.INSTRUMENT_UNPLUGGED, "balance"))
    screen = kiosk_app.window.current
    assert screen.title.text() == "La balance ne répond pas"
    assert screen.skip_button.text() == "Continuer sans cette mesure"
    click(qtbot, screen.skip_button)
    assert session.state is State.IN_CALL  # back with the doctor, without the measurement
    assert session.requested is None


# -- 8. the main action in high contrast ----------------------------------------------------


@pytest.mark.parametrize("high_contrast", [True, False])
def test_the_main_action_is_unmistakable(kiosk_app, high_contrast):
    kiosk_app.window.set_high_contrast(high_contrast)
    go_to(kiosk_app, State.CONSENT)
    screen = kiosk_app.window.current
    QApplication.processEvents()
    main, staff, other = screen.agree_button, screen.staff_button, screen.refuse_button

    def fill(button: QPushButton) -> str:
        return pixel(button, button.width() // 2, 10 if button.height() > 30 else 5).name()

    # Filled, where "call staff" and the other choices are not filled alike.
    assert fill(main) != fill(staff)
    assert fill(main) != fill(other)
    if high_contrast:
        assert fill(main) == "#ffff00"
        assert fill(staff) == "#000000"


# -- 9. dates alike, read-aloud shown -------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ("né(e) le 12/03/1944", "né(e) en novembre 1941", "né(e) en 1943")),
        ("es", ("nacido/a el 12/03/1944", "nacido/a en noviembre de 1941", "nacido/a en 1943")),
        ("en", ("born on 12/03/1944", "born in November 1941", "born in 1943")),
    ],
)
def test_birth_dates_read_alike(qapp, language, expected):
    translations = Translations()
    translations.install(language)
    try:
        texts = [
            birth_text(date, language).replace("\u2066", "").replace("\u2069", "")
            for date in ("19440312", "19411100", "19430000")
        ]
        assert tuple(texts) == expected
    finally:
        translations.uninstall()


def test_the_card_family_s_dates_on_the_screen(kiosk_app):
    family = (
        Beneficiary(
            last_name="MARTIN",
            first_name="Jeanne",
            birth_date="19440312",
            nir="244037512345612",
            rank=1,
        ),
        Beneficiary(
            last_name="MARTIN",
            first_name="Paul",
            birth_date="19411100",
            nir="141117512345612",
            rank=2,
        ),
    )
    send = kiosk_app.bridge.send
    assert send(CardInserted())
    assert send(CardRead(family))
    people = kiosk_app.window.current.people
    assert "né(e) le \u206612/03/1944\u2069" in people[1].text()
    assert "né(e) en novembre \u20661941\u2069" in people[2].text()
    assert "11/1941" not in people[2].text()
    kiosk_app.bridge.on_language("ar")
    assert "نوفمبر" in kiosk_app.window.current.people[2].text()


def test_a_sign_shows_while_read_aloud_is_on(kiosk_app):
    go_to(kiosk_app, State.CONFIRM_IDENTITY)
    screens = kiosk_app.window.screens.values()
    assert not any(screen.speech_sign.isVisibleTo(screen) for screen in screens)
    for screen in screens:
        screen.set_speech(True)
    for screen in screens:
        assert screen.speech_sign.isVisibleTo(screen)
        assert screen.speech_sign.text() == "\U0001f50a"
    screen = kiosk_app.window.current
    show(kiosk_app, screen)
    assert screen.speech_sign.isVisible()
    assert not layout_problems(screen)
    for screen in screens:
        screen.set_speech(False)
    assert not kiosk_app.window.current.speech_sign.isVisible()


# -- 11. the technician's failed checks -----------------------------------------------------


def test_failed_checks_are_marked_with_what_to_do_under_them(kiosk_app):
    window = kiosk_app.window
    window.open_technician()
    screen = window.technician
    hint = "switch the instrument on and check its cable"
    screen.show_report(
        Report(
            [
                CheckResult("config", True, "config/demo.toml"),
                CheckResult("device:balance", False, "no answer in 2 s", hint),
                CheckResult("spool", True, "/dev/shm in memory"),
            ]
        )
    )
    table = screen.table
    assert table.rowCount() == 4  # the hint has a row of its own
    headers = [table.horizontalHeaderItem(c).text() for c in range(3)]
    assert headers == ["Vérification", "Résultat", "Détail"]
    failed, under, passed = 1, 2, 0
    assert table.item(failed, 1).text() == "✗ ÉCHEC"
    assert table.item(failed, 0).font().bold()
    assert not table.item(passed, 0).font().bold()
    assert table.item(failed, 0).background().color() != table.item(passed, 0).background().color()
    assert table.item(under, 0).text() == ""
    assert table.item(under, 2).text() == f"À faire : \u2066{hint}\u2069"  # under the detail
    assert screen.is_failed_row(failed) and screen.is_failed_row(under)
    assert not screen.is_failed_row(passed)
    assert "1 vérification sur 3 en échec." in screen.status.text()
    normal = table.item(failed, 0).background().color().name()
    window.set_high_contrast(True)
    assert table.item(failed, 0).background().color().name() != normal
    table.setCurrentCell(under, 0)  # the hint's row: the failed check's log lines
    assert "device:balance" in screen.log_view.text()
    assert all_text(screen)
