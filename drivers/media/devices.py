"""The cabin's real media: its V4L2 cameras and ALSA/Pulse microphone, through aiortc's
media helpers (opened only when a call starts, so a machine without them still imports)."""

from __future__ import annotations

from typing import Any

from aiortc import MediaStreamTrack


class DeviceMedia:
    """The cabin's V4L2 camera and ALSA/Pulse microphone, and the exam camera when given."""

    def __init__(
        self,
        *,
        video_device: str = "/dev/video0",
        audio_device: str = "default",
        audio_format: str = "pulse",
        exam_video_device: str = "",
        width: int = 640,
        height: int = 480,
        fps: int = 30,
    ) -> None:
        self.video_device, self.exam_video_device = video_device, exam_video_device
        self.audio_device, self.audio_format = audio_device, audio_format
        self.width, self.height, self.fps = width, height, fps
        self._players: list[Any] = []

    def tracks(self) -> list[MediaStreamTrack]:
        # imported here: contrib.media opens devices and is only needed with real hardware
        from aiortc.contrib.media import MediaPlayer

        options = {"video_size": f"{self.width}x{self.height}", "framerate": str(self.fps)}
        video = MediaPlayer(self.video_device, format="v4l2", options=dict(options))
        audio = MediaPlayer(self.audio_device, format=self.audio_format)
        self._players = [video, audio]
        tracks = [video.video, audio.audio]
        if self.exam_video_device:  # otoscope, dermatoscope: a UVC camera
            exam = MediaPlayer(self.exam_video_device, format="v4l2", options=dict(options))
            self._players.append(exam)
            tracks.append(exam.video)
        return [t for t in tracks if t is not None]

    def stop(self) -> None:
        for player in self._players:
            for track in (player.audio, player.video):
                if track is not None:
                    track.stop()
        self._players = []
