"""The kiosk side of the ``memory_call`` benchmark: the real kiosk (Qt offscreen, the cabin,
the call) with a patient checked in; prints ``in_call`` once the doctor's video plays.

Run by :mod:`bench.bench_memory` inside its private network namespace; stopped by stdin EOF.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from dataclasses import replace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(portal_url: str) -> int:
    import qasync
    from PyQt6.QtWidgets import QApplication

    from drivers.types import Beneficiary
    from kiosk import config as config_mod
    from kiosk.config import PortalLinkConfig
    from kiosk.session import BeneficiaryChosen, CardInserted, CardRead, ConsentGiven, State
    from ui.app import KioskApp

    base = config_mod.load(config_mod.project_config("demo"))
    ws = portal_url.replace("http://", "ws://")
    cfg = replace(
        base,
        portal=PortalLinkConfig(url=ws, token="demo-cabin-token"),
        session=replace(base.session, spool_dir=f"/dev/shm/cabine-bench-mem-{os.getpid()}"),
    )
    app = QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    kiosk = KioskApp(cfg, fullscreen=False)
    kiosk.show()

    async def run() -> None:
        kiosk.start_session(hardware=True)
        await kiosk.start_cabin()
        assert kiosk.cabin is not None
        session = kiosk.cabin.session
        nir13 = "1850578006084"
        person = Beneficiary(
            last_name="Bench",
            first_name="Mémoire",
            birth_date="19850512",
            nir=nir13 + f"{97 - int(nir13) % 97:02d}",
        )
        session.send(CardInserted())
        session.send(CardRead((person,)))
        session.send(BeneficiaryChosen(0))
        session.send(ConsentGiven())
        print("waiting", flush=True)
        call = kiosk.cabin.call
        assert call is not None
        for _ in range(600):
            if session.state is State.IN_CALL and call.stats.remote_video_frames > 60:
                break
            await asyncio.sleep(0.1)
        print("in_call" if session.state is State.IN_CALL else "no_call", flush=True)
        await loop.run_in_executor(None, sys.stdin.read)  # until the bench closes stdin
        await kiosk.stop_cabin()

    try:
        with loop:
            loop.run_until_complete(run())
    finally:
        kiosk.close()
        shutil.rmtree(cfg.session.spool_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
