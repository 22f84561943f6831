"""The call screen while the doctor leads an exam (``kiosk screenshots``): the otoscope in the
left ear with the exam camera's picture and a quick phrase, the throat, the heart's point 2
while the doctor listens, the lungs from the back, and the exam camera that stopped responding
during the ear's exam (the patient told, calmly, that the doctor knows)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

#: (picture name, exam, point, phrase, listening, the instruments that failed)
EXAMS: tuple[tuple[str, str, int, str, bool, tuple[str, ...]], ...] = (
    ("07-in_call-exam-ear_left", "ear_left", 0, "higher", False, ()),
    ("07-in_call-exam-throat", "throat", 0, "", False, ()),
    ("07-in_call-exam-heart", "heart", 2, "hold_breath", True, ()),
    ("07-in_call-exam-lungs_back", "lungs_back", 4, "", True, ()),
    ("07-in_call-exam-camera_lost", "ear_left", 0, "", False, ("exam_camera",)),
)


def exam_guide(kiosk: Any, screen: Any) -> Iterator[str]:
    """Each guidance state on the call screen ``screen``, then none again. The phrases are
    not said (``said`` stays 0: no voice while the screenshots run)."""
    from harness.screenshots import doctor_frame
    from kiosk.exam import ExamGuide
    from ui.video import frame_to_image

    runtime = kiosk.runtime
    screen.clear_hear_notice()  # the answer to "I can't hear" of the state before has gone
    # the exam camera's picture, set at once (the call's frames go through a converter)
    picture = frame_to_image(doctor_frame(1280, 720))
    for name, exam, point, phrase, listening, trouble in EXAMS:
        runtime.exam_guide = ExamGuide(exam, point, phrase, 0, listening, trouble)
        screen.exam_guide.refresh()
        screen.exam_guide.preview.clear()  # a camera that failed shows no picture
        if not trouble and not screen.exam_guide.preview.isHidden():
            screen.exam_guide.preview.set_image(picture)
        yield name
    runtime.exam_guide = ExamGuide()
    screen.exam_guide.refresh()
