"""The shaped link in the kernel: a TCP transfer across the veth runs at the token bucket's
rate, a share of datagrams is lost, a cut drops everything and the namespaces go away."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harness.shaping import Shape, ShapedLink, ShapingError

pytestmark = pytest.mark.slow


@pytest.fixture
def link() -> Iterator[ShapedLink]:
    with ShapedLink() as shaped:
        yield shaped
    assert not shaped.exists()


def in_thread(link: ShapedLink, side: str, fn: Callable[[], Any]) -> threading.Thread:
    """Run ``fn`` on a thread of its own inside ``side``'s namespace."""

    def body() -> None:
        link.enter(side)
        fn()

    thread = threading.Thread(target=body, name=f"shaping-{side}", daemon=True)
    thread.start()
    return thread


def tcp_rate_kbit(link: ShapedLink, *, seconds: float = 2.5) -> float:
    """What a TCP stream from the cabin's side delivers at the doctor's, in kbit/s (the
    first half second, the bucket's burst and slow start, not counted)."""
    ready = threading.Event()
    got: list[tuple[float, int]] = []

    def server() -> None:
        with socket.create_server((link.doctor_address, 5001)) as srv:
            ready.set()
            srv.settimeout(10)
            conn, _ = srv.accept()
            with conn:
                conn.settimeout(5)
                while data := conn.recv(65536):
                    got.append((time.monotonic(), len(data)))

    def client() -> None:
        assert ready.wait(10)
        with socket.create_connection((link.doctor_address, 5001), timeout=5) as sock:
            sock.settimeout(5)
            end = time.monotonic() + seconds
            block = b"x" * 16384
            while time.monotonic() < end:
                sock.sendall(block)

    threads = [in_thread(link, "doctor", server), in_thread(link, "cabin", client)]
    for thread in threads:
        thread.join(30)
        assert not thread.is_alive()
    start = got[0][0] + 0.5
    counted = [(t, n) for t, n in got if t >= start]
    elapsed = counted[-1][0] - start
    return sum(n for _, n in counted) * 8 / 1000 / elapsed


def udp_delivered(link: ShapedLink, count: int = 2000) -> int:
    """How many of ``count`` small datagrams from the cabin's side reach the doctor's."""
    received = [0]
    ready = threading.Event()

    def server() -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind((link.doctor_address, 5002))
            sock.settimeout(0.5)
            ready.set()
            while True:
                try:
                    sock.recv(2048)
                except TimeoutError:
                    return
                received[0] += 1

    def client() -> None:
        assert ready.wait(10)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for i in range(count):
                sock.sendto(b"%d" % i, (link.doctor_address, 5002))
                if i % 50 == 0:
                    time.sleep(0.001)

    threads = [in_thread(link, "doctor", server), in_thread(link, "cabin", client)]
    for thread in threads:
        thread.join(30)
        assert not thread.is_alive()
    return received[0]


def test_the_bucket_sets_the_rate(link: ShapedLink) -> None:
    free = tcp_rate_kbit(link, seconds=1.0)
    assert free > 5_000, f"the unshaped veth runs at {free:.0f} kbit/s"

    link.set_shape(Shape(rate_kbit=1000, queue_ms=200))
    assert "tbf" in link.qdisc("cabin") and "rate 1Mbit" in link.qdisc("doctor")
    shaped = tcp_rate_kbit(link)
    assert 800 < shaped < 1150, f"at 1 Mbit/s the veth carries {shaped:.0f} kbit/s"

    link.set_shape(Shape())
    assert "tbf" not in link.qdisc("cabin")
    assert tcp_rate_kbit(link, seconds=1.0) > 5_000  # five times the bucket, at least


def test_a_share_of_packets_is_lost_and_a_cut_drops_all(link: ShapedLink) -> None:
    assert udp_delivered(link) >= 1990
    link.set_shape(Shape(loss_percent=20))
    assert "numgen random mod 100 < 20" in link.ruleset()
    delivered = udp_delivered(link)
    assert 1400 < delivered < 1800, f"{delivered} of 2000 with 20 % loss"

    link.cut()
    assert udp_delivered(link) == 0
    link.restore()
    # the cut lifted, the loss chosen before it is back
    assert 1400 < udp_delivered(link) < 1800
    link.set_shape(Shape())
    assert udp_delivered(link) >= 1990


def test_a_wrong_shape_is_refused_and_nothing_is_left(link: ShapedLink) -> None:
    with pytest.raises(ShapingError, match="impossible shape"):
        link.set_shape(Shape(loss_percent=120))
    assert link.exists()


def test_namespaces_are_deleted_even_when_a_step_fails() -> None:
    shaped = ShapedLink()
    with pytest.raises(RuntimeError), shaped:
        assert shaped.exists()
        raise RuntimeError("the test failed inside")
    assert not shaped.exists()
