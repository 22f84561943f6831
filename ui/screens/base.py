"""What every screen has: the language choice, high contrast and read-aloud switches at the
top; a picture, a title and a body; the time-limit banner; the "call staff" button.

Screens write English source text through :func:`ui.i18n.translate` in :meth:`Screen.retranslate`,
which runs again whenever the language changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PyQt6.QtCore import QChildEvent, QEvent, QObject, Qt, pyqtSignal
from PyQt6.QtGui import QPaintEvent
from PyQt6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.states import STAFF_CALL_STATES
from ui import scaling, theme
from ui.i18n import LANGUAGE_NAMES, RIGHT_TO_LEFT, translate
from ui.pictures import Picture
from ui.theme import big_font
from ui.widgets import big_button, set_direction, text_label, wrap_text

if TYPE_CHECKING:
    from kiosk.session import Event
    from ui.bridge import SessionBridge


# Until the idle screen is first painted, nothing here touches an enum of PyQt's ``Qt``
# namespace: the first use of one builds all ~90 of them (~14 ms of the cold start). Hence a
# QFrame (not Qt.WidgetAttribute.WA_StyledBackground), alignments set by name, a layout
# direction set only when it changes, and what the widgets' polish state is kept here.


class Screen(QFrame):
    """A full screen: top bar, picture beside title/body/content, banner, bottom bar.

    A QFrame (with no frame) so that the style sheet paints its background: Qt's style
    sheets give a QFrame a styled background themselves (a plain QWidget needs the
    Qt.WidgetAttribute.WA_StyledBackground attribute set)."""

    #: The patient picked a language (code).
    language_picked = pyqtSignal(str)
    #: The patient pressed "call staff".
    staff_pressed = pyqtSignal()
    #: The patient asked for more time.
    extend_pressed = pyqtSignal()
    #: The patient pressed the high-contrast switch.
    contrast_pressed = pyqtSignal()
    #: The patient pressed the read-aloud switch.
    speech_pressed = pyqtSignal()
    #: The screen was painted (every time; the window keeps the first).
    painted = pyqtSignal()
    #: Something changed on the screen that a patient using read-aloud must hear (text).
    announce = pyqtSignal(str)

    #: The drawing beside the text ("" for none).
    picture_name = ""
    #: The content takes all the room (video) instead of being centred with the words.
    fill_content = False
    #: The machine, not the patient, is working (reading the card, printing): its time
    #: limit is no question for the patient, so no "more time?" banner here.
    machine_paced = False

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The window size the screen was last fitted to (``fit``), its scale and shape.
        self._fitted: tuple[int, int] = (0, 0)
        self.scale = 1.0
        self.portrait = False
        self._action_buttons: list[QPushButton] = []
        self.setObjectName("screen")
        #: Widgets of this screen that Qt has not polished yet (see ``_set_flag``).
        self._unpolished: set[QObject] = set()
        #: Whether ``set_language`` ran: the screen has its own direction (see there).
        self._own_direction = False
        self.languages = languages
        self.language = languages[0] if languages else "fr"
        self.bridge: SessionBridge | None = None
        self.high_contrast = False
        self.speech_on = False
        self._warning_left: float | None = None
        self._can_extend = False
        #: Where the patient's call for the staff stands ("" for none; see show_staff_call).
        self.staff_call = ""

        # -- top bar: languages, then the two accessibility switches (on a row of their own
        # when one row is too narrow: a portrait borne)
        self.language_buttons: dict[str, QPushButton] = {}
        languages_row = QHBoxLayout()
        languages_row.setSpacing(16)
        for code in languages:
            button = QPushButton(LANGUAGE_NAMES[code], objectName=f"lang_{code}")
            scaling.set_font(button, big_font(theme.BUTTON_PT))
            button.setMinimumHeight(theme.MIN_TOUCH_PX)
            button.setMinimumWidth(theme.MIN_TOUCH_PX * 2)
            button.clicked.connect(lambda _=False, c=code: self.language_picked.emit(c))
            self.language_buttons[code] = button
            languages_row.addWidget(button)
        languages_row.addStretch(1)
        self.contrast_button = QPushButton(objectName="toggle")
        self.speech_button = QPushButton(objectName="toggle")
        switches_row = QHBoxLayout()
        switches_row.setSpacing(16)
        # While the screen is read aloud, a loudspeaker says so beside the switch (seen
        # from the chair, by a patient who cannot read the switch's words too).
        self.speech_sign = QLabel("\U0001f50a", objectName="speechSign")
        scaling.set_font(self.speech_sign, big_font(theme.TITLE_PT))
        self.speech_sign.hide()
        switches_row.addWidget(self.speech_sign)
        for button, signal in (
            (self.contrast_button, self.contrast_pressed),
            (self.speech_button, self.speech_pressed),
        ):
            scaling.set_font(button, big_font(theme.SMALL_PT))
            button.setMinimumHeight(theme.MIN_TOUCH_PX)
            button.clicked.connect(signal)
            switches_row.addWidget(button)
        switches_row.addStretch(1)  # used only on a row of its own
        self._top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._top.setSpacing(16)
        self._top.addLayout(languages_row, 1)
        self._top.addLayout(switches_row, 0)

        # -- middle: picture beside the words
        self.picture = Picture(self.picture_name or "fault")
        self.picture.setVisible(bool(self.picture_name))
        self.title = QLabel(objectName="title")
        scaling.set_font(self.title, big_font(theme.TITLE_PT, bold=True))
        wrap_text(self.title)
        self.body = text_label(name="body")
        self.content = QVBoxLayout()
        self.content.setSpacing(18)
        words = QVBoxLayout()
        words.setSpacing(20)
        if not self.fill_content:
            words.addStretch(1)
        words.addWidget(self.title)
        words.addWidget(self.body)
        words.addLayout(self.content, 1 if self.fill_content else 0)
        if not self.fill_content:
            words.addStretch(1)
        # Beside the words on a landscape screen, above them on a portrait one.
        self._middle = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._middle.setSpacing(48)
        self._middle.addWidget(self.picture, 2)
        self._middle.addLayout(words, 5)

        # -- the time-limit banner
        self.banner = QFrame(objectName="banner")
        self.banner_text = text_label(theme.BODY_PT, name="bannerText", bold=True)
        self.extend_button = big_button("extend", primary=True)
        self.extend_button.clicked.connect(self.extend_pressed)
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(24, 12, 24, 12)
        banner_row.addWidget(self.banner_text, 1)
        banner_row.addWidget(self.extend_button)
        self.banner.hide()

        # -- bottom bar: the screen's own actions, then where the call for the staff stands
        # beside the "call staff" button (its own row would push tall screens off 1080 px);
        # on a narrow screen the actions stack, and the call for the staff gets its own row
        self.action_bar = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.action_bar.setSpacing(24)
        self.staff_button = QPushButton(objectName="staff")
        scaling.set_font(self.staff_button, big_font(theme.BUTTON_PT, bold=True))
        self.staff_button.setMinimumHeight(theme.MIN_TOUCH_PX)
        self.staff_button.setMinimumWidth(theme.MIN_TOUCH_PX * 3)
        self.staff_button.clicked.connect(self.staff_pressed)
        self.staff_notice = QLabel(objectName="notice")
        scaling.set_font(self.staff_notice, big_font(theme.SMALL_PT, bold=True))
        # Words set from the reading side, as a message is (a button's label is centred):
        # a QLabel's own alignment, Qt.AlignmentFlag.AlignLeft | AlignVCenter.
        self.staff_notice.setWordWrap(True)
        self.staff_notice.hide()
        self._actions_row = QHBoxLayout()
        self._actions_row.setSpacing(24)
        self._actions_row.addLayout(self.action_bar)
        self._actions_row.addStretch(1)
        self._staff_row = QHBoxLayout()
        self._staff_row.setSpacing(24)
        self._staff_row.addStretch(1)  # the room goes to the notice when it shows
        self._staff_row.addWidget(self.staff_notice, 0)
        self._staff_row.addWidget(self.staff_button)
        self._bottom = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._bottom.setSpacing(24)
        # The actions keep their width; the rest goes to the staff's row (to its notice).
        self._bottom.addLayout(self._actions_row, 0)
        self._bottom.addLayout(self._staff_row, 1)

        # -- the last line of every patient screen: the cabin is no emergency service (15:
        # SAMU, 112: the European number), said in the patient's language, small, apart
        self.emergency = QLabel(objectName="emergency")
        scaling.set_font(self.emergency, big_font(theme.SMALL_PT))
        wrap_text(self.emergency)
        self.emergency.setProperty("alignment", "AlignCenter")  # Qt.AlignmentFlag.AlignCenter

        layout = QVBoxLayout(self)
        layout.setContentsMargins(56, 24, 56, 12)
        layout.setSpacing(12)
        layout.addLayout(self._top)
        layout.addLayout(self._middle, 1)
        layout.addWidget(self.banner)
        layout.addLayout(self._bottom)
        layout.addWidget(self.emergency)
        self._layout = layout
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Fonts are set with scaling.set_font: scaling then need not ask Qt which are own.
        for widget in (self, self.picture, self.banner):
            scaling.inherits_font(widget)
        # Not one is polished before it is shown or measured, and a polished child tells its
        # parent (QEvent.Type.ChildPolished, see ``event``).
        self._unpolished = {
            self.staff_notice,
            self.contrast_button,
            self.speech_button,
            *self.language_buttons.values(),
        }

    # -- wiring --------------------------------------------------------------------------

    def bind(self, bridge: SessionBridge) -> None:
        """Give the screen the session (to read its data and send it events)."""
        self.bridge = bridge

    def send(self, event: Event) -> bool:
        return self.bridge.send(event) if self.bridge is not None else False

    def add_action(self, name: str, *, primary: bool = False) -> QPushButton:
        button = big_button(name, primary=primary)
        self.action_bar.addWidget(button)
        self._action_buttons.append(button)
        return button

    # -- what the screen says ------------------------------------------------------------

    def set_language(self, language: str) -> None:
        """Lay the screen out for ``language`` (the translator is already installed)."""
        self.language = language
        rtl = language in RIGHT_TO_LEFT
        # The first call (before the first paint) leaves a left-to-right screen inheriting
        # its direction, left to right: no Qt enum. From the second on (the window sets every
        # screen's language when the session comes, before any direction changes) the screen
        # has its own, so that it turns after the window and its new style sheet, not with
        # the window (a label's padding on the reading side depends on it).
        if rtl or self._own_direction or self.isRightToLeft():
            self.setLayoutDirection(
                Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
            )
        self._own_direction = True
        self.retranslate()

    def retranslate(self) -> None:
        self.staff_button.setText("☎  " + translate("Screen", "Call staff"))
        self.emergency.setText(
            translate("Emergency", "Not for emergencies: in an emergency, call 15 or 112.")
        )
        self._retranslate_staff_notice()
        self.extend_button.setText(translate("Screen", "More time"))
        for code, button in self.language_buttons.items():
            chosen = code == self.language
            # The choice is shown by a mark as well as by colour.
            button.setText(("✓ " if chosen else "") + LANGUAGE_NAMES[code])
            self._set_flag(button, "selected", chosen)
        self._retranslate_switches()
        self._retranslate_banner()
        self.retranslate_screen()
        self.body.setVisible(bool(self.body.text()))
        self._reflow()

    def retranslate_screen(self) -> None:
        """Set this screen's own texts (override)."""

    def refresh(self) -> None:
        """Read the session again (entering the state, data changed); override."""

    def spoken_text(self) -> str:
        """What read-aloud says for this screen."""
        parts = [self.title.text(), self.body.text() if self.body.isVisible() else ""]
        return "\n".join(p for p in parts if p)

    # -- accessibility switches ----------------------------------------------------------

    def set_high_contrast(self, on: bool) -> None:
        self.high_contrast = on
        for picture in self.findChildren(Picture):
            picture.set_high_contrast(on)
        self._retranslate_switches()

    def set_speech(self, on: bool) -> None:
        self.speech_on = on
        self._retranslate_switches()

    def _retranslate_switches(self) -> None:
        # A box, ticked or not, says the state; the colour only repeats it.
        self.contrast_button.setText(
            ("☑ " if self.high_contrast else "☐ ") + translate("Screen", "High contrast")
        )
        self.speech_button.setText(
            ("☑ " if self.speech_on else "☐ ") + translate("Screen", "Read aloud")
        )
        self._set_flag(self.contrast_button, "on", self.high_contrast)
        self._set_flag(self.speech_button, "on", self.speech_on)
        self.speech_sign.setVisible(self.speech_on)
        self.speech_sign.setAccessibleName(translate("Screen", "This screen is read aloud"))

    # -- time limit ----------------------------------------------------------------------

    def show_time_warning(self, seconds_left: float, *, can_extend: bool) -> None:
        self._warning_left = seconds_left
        self._can_extend = can_extend
        self._retranslate_banner()
        self.banner.show()

    def hide_time_warning(self) -> None:
        self._warning_left = None
        self.banner.hide()

    def closing_text(self, seconds: int) -> str:
        """What happens when the time is up (a screen whose end means more says so)."""
        # Qt's plural forms: "1 second", "2 seconds"; Arabic has six ("%n" is the number).
        return translate("Screen", "This screen will close in %n seconds.", None, seconds)

    def extend_question(self) -> str:
        return translate("Screen", "Do you need more time?")

    def warning_text(self) -> str:
        return self.banner_text.text() if self.banner.isVisible() else ""

    def _retranslate_banner(self) -> None:
        if self._warning_left is None:
            return
        seconds = max(0, round(self._warning_left))
        closing = self.closing_text(seconds)
        if self._can_extend:
            ask = self.extend_question()
            self.banner_text.setText(f"{ask}\n{closing}")
        else:
            self.banner_text.setText(closing)
        self.extend_button.setVisible(self._can_extend)

    # -- the patient's call for the staff ------------------------------------------------

    def show_staff_call(self, state: str) -> bool:
        """Say where the call for the staff stands: ``calling``, ``coming``, ``unreachable``;
        ``""`` (no call) hides the notice. A changed notice is announced (read-aloud says it
        when this is the screen shown); returns whether it changed."""
        if state not in STAFF_CALL_STATES:
            state = ""
        if state == self.staff_call:
            return False
        self.staff_call = state
        self._retranslate_staff_notice()
        if state:
            self.announce.emit(self.staff_notice.text())
        return True

    def staff_notice_text(self) -> str:
        return self.staff_notice.text() if self.staff_call else ""

    def _retranslate_staff_notice(self) -> None:
        # Calm words, no promise of a time, no staff name: only what the cabin knows.
        if self.staff_call == "calling":
            text = translate(
                "Screen", "The staff has been called. Please stay here: someone will come."
            )
        elif self.staff_call == "coming":
            text = translate("Screen", "Someone is on their way to help you.")
        elif self.staff_call == "unreachable":
            text = translate(
                "Screen",
                "We could not call the staff from here. "
                "Please go to the reception desk, or ask someone nearby.",
            )
        else:
            text = ""
        self.staff_notice.setText(text)
        # "No one could be called" is a warning, not a good news: it looks like one.
        self._set_flag(self.staff_notice, "warning", self.staff_call == "unreachable")
        self.staff_notice.setVisible(bool(text))
        # With a notice, the room beside the buttons is the notice's.
        self._staff_row.setStretch(0, 0 if text else 1)
        self._staff_row.setStretchFactor(self.staff_notice, 1 if text else 0)
        self._reflow()

    # -- screen size ---------------------------------------------------------------------

    def fit(self, width: int, height: int) -> None:
        """Lay the screen out for a ``width``×``height`` window: the design scaled to it,
        turned for a portrait screen, rows that do not fit in one stacked."""
        self._fitted = (width, height)
        scale = scaling.scale_for(width, height)
        if scale != self.scale or self.property(scaling.SCALE_PROPERTY) is None:
            self.scale = scale
            scaling.apply_scale(self, scale)
        portrait = scaling.is_portrait(width, height)
        if portrait != self.portrait:
            self.portrait = portrait
            self.set_portrait(portrait)
        self._reflow()

    def set_portrait(self, portrait: bool) -> None:
        """Turn the screen's blocks for a portrait screen (override to turn more)."""
        set_direction(self._middle, horizontal=not portrait)
        # Above the words, the picture takes less of the height than it takes of the width.
        self._middle.setStretch(0, 1 if portrait else 2)
        self._middle.setStretch(1, 4 if portrait else 5)

    def room(self) -> int:
        """The width the screen's rows have (0 before the screen is fitted)."""
        width = self._fitted[0]
        if width <= 0 or not hasattr(self, "_layout"):
            return 0
        margins = self._layout.contentsMargins()
        return width - margins.left() - margins.right()

    def _reflow(self) -> None:
        room = self.room()
        if room <= 0:
            return
        gap = self._top.spacing()
        languages = _row_width(list(self.language_buttons.values()), gap)
        switches = _row_width([self.speech_sign, self.contrast_button, self.speech_button], gap)
        set_direction(self._top, horizontal=languages + gap + switches <= room)
        actions = self._action_buttons
        in_row = _row_width(actions, self.action_bar.spacing())
        set_direction(self.action_bar, horizontal=in_row <= room)
        shown = [w for w in actions if not w.isHidden()]
        actions_width = (
            in_row if in_row <= room else max((_hint_width(w) for w in shown), default=0)
        )
        staff = _hint_width(self.staff_button)
        if self.staff_call:
            # The notice needs room enough to stay a few lines, not a column of words.
            staff += self._bottom.spacing() + room // 3
        needed = actions_width + (self._bottom.spacing() if shown else 0) + staff
        set_direction(self._bottom, horizontal=needed <= room)

    def event(self, event: QEvent | None) -> bool:
        if event is not None:
            kind = event.type()
            if kind is QEvent.Type.LayoutRequest:
                # A text or a button changed size: the rows may have to stack (or unstack).
                self._reflow()
            elif kind is QEvent.Type.ChildPolished and self._unpolished:
                child = event.child() if isinstance(event, QChildEvent) else None
                if child is not None:
                    self._unpolished.discard(child)
        return super().event(event)

    def _set_flag(self, widget: QWidget, name: str, value: bool) -> None:
        """Set the style sheet's property ``name`` of ``widget`` (one of this screen's)."""
        if widget.property(name) == value:
            return
        widget.setProperty(name, value)
        # Known unpolished here, else asked (Qt.WidgetAttribute: after the first paint).
        if widget in self._unpolished or not widget.testAttribute(
            Qt.WidgetAttribute.WA_WState_Polished
        ):
            return  # its first polish, when shown, reads the property: re-polishing costs ~4 ms
        style = widget.style()
        if style is not None:
            style.unpolish(widget)
            style.polish(widget)

    # -- misc ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent | None) -> None:
        super().paintEvent(event)
        self.painted.emit()


def _hint_width(widget: QWidget) -> int:
    return max(widget.sizeHint().width(), widget.minimumWidth())


def _row_width(widgets: list[QWidget], spacing: int) -> int:
    """The width ``widgets`` need side by side (the hidden ones take none)."""
    shown = [w for w in widgets if not w.isHidden()]
    if not shown:
        return 0
    return sum(_hint_width(w) for w in shown) + spacing * (len(shown) - 1)
