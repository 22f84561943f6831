"""The examination's data-channel messages (the doctor's still of the exam camera, the
patient's guidance), merged into :data:`protocol.DATA_SCHEMAS`; imports nothing at all, the
field type is handed in."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

#: Raw JPEG bytes per ``exam_still`` (base64 makes it ~43 KiB, under the data cap).
STILL_CHUNK_BYTES = 32 * 1024
#: The most pieces one still is sent in (8 MiB: a 4K JPEG of the best quality).
MAX_STILL_CHUNKS = 256
#: What the doctor may guide the patient through (``exam_guide``), and each one's points:
#: heart 1-4 (aortic, pulmonary, tricuspid, mitral), lungs front 1-4 and back 1-6 (top to
#: bottom, the patient's right first); 0: no point (ears, throat, skin).
GUIDE_POINTS = {
    "ear_left": 0,
    "ear_right": 0,
    "throat": 0,
    "skin": 0,
    "heart": 4,
    "lungs_front": 4,
    "lungs_back": 6,
}
#: The doctor's quick phrases, shown large and spoken in the patient's language.
PHRASES = ("higher", "lower", "hold_still", "breathe_deeply", "cough", "hold_breath", "done")


def exam_schemas(
    field: Callable[..., Any], *, msg_id: Mapping[str, Any], an_id: Any
) -> dict[str, Mapping[str, Any]]:
    """The schemas, built with the protocol's field type ``field`` (``protocol.F``)."""
    b64 = -(-STILL_CHUNK_BYTES // 3) * 4
    return {
        # doctor -> cabin: a still of the exam camera at its full resolution; answered by its
        # ``exam_still`` pieces, then the ack (or an error: no camera, busy, not the session)
        "still_request": {**msg_id, "session_id": an_id},
        # cabin -> doctor: the JPEG in ``chunks`` base64 pieces, in order (``ref``: the request)
        "exam_still": {
            **msg_id,
            "session_id": an_id,
            "ref": an_id,
            "index": field(int),
            "chunks": field(int),
            "width": field(int),
            "height": field(int),
            "data": field(str, max_len=b64),
        },
        # doctor -> cabin: where the patient places the instrument (``point``: 1.. of
        # ``GUIDE_POINTS``, 0 or absent for none); ``exam`` "none" takes the drawing away
        "exam_guide": {
            **msg_id,
            "exam": field(str, choices=(*GUIDE_POINTS, "none")),
            "point": field(int, required=False),
        },
        # doctor -> cabin: a quick phrase, shown large and spoken in the patient's language
        "exam_phrase": {**msg_id, "phrase": field(str, choices=PHRASES)},
    }
