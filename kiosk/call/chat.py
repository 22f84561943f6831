"""The written exchange and the patient's microphone on the call's data channel: the doctor's
message is acknowledged once the call screen shows it, the patient's preset answers and mute
go to the page. The texts are health data: held by the session, never logged here."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kiosk.call.mute import MutableMicrophone
from kiosk.call.updates import CallUpdate
from kiosk.session import ChatReceived
from protocol import ErrorCode, ProtocolError

log = logging.getLogger(__name__)


class ChatMixin:
    """The chat and mute half of :class:`~kiosk.call.peer.CabinCall` (the data channel's
    dispatch calls :meth:`_chat`)."""

    call_id: str
    microphone_muted: bool
    mute_told: bool
    _microphone: MutableMicrophone | None

    if TYPE_CHECKING:  # the data channel's, after this in the call's bases

        def _emit(self, update: CallUpdate) -> None: ...

        def _send_data(self, msg_type: str, **fields: Any) -> bool: ...

        def _refuse(self, exc: ProtocolError, ref: str = "") -> None: ...

    def _chat(self, msg: dict[str, Any]) -> bool:
        """The doctor's message goes to the session (the call screen); its ack comes from
        :meth:`chat_settled`, once shown (or refused)."""
        text = " ".join(msg["text"].split())
        msg_id = str(msg.get("id", ""))
        if not text or not msg_id:
            raise ProtocolError(ErrorCode.BAD_FIELD, "a message needs an id and words", ref="chat")
        self._emit(ChatReceived(msg_id, text))
        return True

    def chat_settled(self, msg_id: str, *, shown: bool) -> None:
        """The doctor's message ``msg_id`` shows on the cabin's screen (ack), or no screen
        could show it (error): the page says which."""
        log.info("call %s: doctor's message %s", self.call_id, "shown" if shown else "not shown")
        if shown:
            self._send_data("ack", id=msg_id)
        else:
            self._refuse(ProtocolError(ErrorCode.NOT_FOUND, "no call screen shows it"), ref=msg_id)

    def send_chat_answer(self, answer: str) -> bool:
        """The patient's preset answer (``protocol.CHAT_ANSWERS``) to the doctor's page."""
        return self._send_data("chat_answer", answer=answer)

    def mute_microphone(self, muted: bool) -> bool:
        """Mute (or unmute) the patient's microphone in the call and tell the doctor's page;
        False when the page could not be told now (it is told when the channel opens)."""
        self.microphone_muted = muted
        self.mute_told = True
        if self._microphone is not None:
            self._microphone.muted = muted
        log.info("call %s: patient microphone %s", self.call_id, "muted" if muted else "on")
        return self._send_data("mute", muted=muted)
