"""The video widget: av frames and H×W×C buffers to QImage, painted off the event loop."""

from __future__ import annotations

import threading

import av
import pytest
from PyQt6.QtGui import QColor, QImage

from ui.video import VideoFrameError, VideoView, frame_to_image


def solid_frame(width: int, height: int, rgb: tuple[int, int, int]) -> av.VideoFrame:
    frame = av.VideoFrame(width, height, "rgb24")
    plane = frame.planes[0]
    row = bytes(rgb) * width
    plane.update(row.ljust(plane.line_size, b"\0") * height)
    return frame


@pytest.mark.parametrize(("width", "height"), [(640, 480), (1280, 720)])
def test_av_frame_becomes_an_image_of_the_same_picture(width, height):
    converted = frame_to_image(solid_frame(width, height, (200, 40, 10)))
    image = converted.image
    assert (image.width(), image.height()) == (width, height)
    colour = QColor(image.pixel(width // 2, height // 2))
    assert (colour.red(), colour.green(), colour.blue()) == (200, 40, 10)


def test_yuv_frame_from_the_call_is_converted():
    frame = solid_frame(320, 240, (0, 0, 255)).reformat(format="yuv420p")  # what aiortc gives
    colour = QColor(frame_to_image(frame).image.pixel(160, 120))
    assert colour.blue() > 200 and colour.red() < 40


def test_array_like_frames():
    width, height = 4, 2
    pixels = bytes([10, 20, 30]) * (width * height)
    array = memoryview(pixels).cast("B", (height, width, 3))  # shape and buffer, like numpy
    image = frame_to_image(array).image
    assert image.format() is QImage.Format.Format_RGB888
    colour = QColor(image.pixel(3, 1))
    assert (colour.red(), colour.green(), colour.blue()) == (10, 20, 30)


@pytest.mark.parametrize(
    "bad", [b"not a frame", memoryview(bytes(8)).cast("B", (2, 2, 2)), object()]
)
def test_bad_frames_raise_a_typed_error(bad):
    with pytest.raises(VideoFrameError):
        frame_to_image(bad)


def test_frames_from_another_thread_are_painted(qtbot):
    view = VideoView("doctor")
    qtbot.addWidget(view)
    view.resize(640, 360)
    view.show()
    qtbot.waitExposed(view)
    assert not view.has_frame
    with qtbot.waitSignal(view.frame_painted, timeout=5000):
        sender = threading.Thread(
            target=lambda: view.push_frame(solid_frame(640, 480, (0, 255, 0))), name="fake-call"
        )
        sender.start()
        sender.join(5)
    assert view.has_frame and view.frames_painted >= 1
    grabbed = view.grab().toImage()
    colour = QColor(grabbed.pixel(320, 180))
    assert colour.green() > 200 and colour.red() < 40
    view.close_video()


def test_only_the_newest_waiting_frame_is_kept(qtbot):
    view = VideoView("doctor")
    qtbot.addWidget(view)
    converter = view.converter
    with converter._cond:  # hold the converter: frames pile up meanwhile
        for _ in range(5):
            converter.submit(solid_frame(64, 48, (1, 2, 3)))
    view.close_video()
    assert converter.dropped >= 4


def test_the_window_hands_out_its_video_sinks(kiosk_app, qtbot):
    from kiosk.session import State

    doctor, own = kiosk_app.window.video_sinks()
    screen = kiosk_app.window.screens[State.IN_CALL]
    with qtbot.waitSignal(screen.doctor_video.converter.converted, timeout=5000):
        doctor(solid_frame(320, 240, (9, 9, 9)))
    assert screen.doctor_video.has_frame
    assert not screen.own_video.has_frame
    with qtbot.waitSignal(screen.own_video.converter.converted, timeout=5000):
        own(solid_frame(320, 240, (9, 9, 9)))
    assert screen.own_video.has_frame
