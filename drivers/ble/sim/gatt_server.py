"""The simulated devices' GATT servers: characteristic calls (read, write, subscriptions) and
what a device sends once subscribed (stored records, its measurement, RACP answers).
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime

from dbus_fast import DBusError, Message

from drivers.ble import gatt as g
from drivers.ble.sim.adapter import Adapter
from drivers.ble.sim.device import Characteristic, Pending, SimDevice
from drivers.ble.sim.profiles import Fault
from drivers.ble.sim.tree import CHARACTERISTIC, Handler, ObjectTree, ok

log = logging.getLogger(__name__)


class GattServer:
    """Characteristic calls and notifications of the adapter's devices; runs on the sim's loop."""

    def __init__(self, tree: ObjectTree, adapter: Adapter) -> None:
        self.tree = tree
        self.adapter = adapter
        self._racp_waiters: dict[str, list[asyncio.Event]] = {}

    # -- D-Bus calls -------------------------------------------------------------------

    def handlers(self) -> dict[str, Handler]:
        return {
            f"{CHARACTERISTIC}.ReadValue": self._read_value,
            f"{CHARACTERISTIC}.WriteValue": self._write_value,
            f"{CHARACTERISTIC}.StartNotify": self._start_notify,
            f"{CHARACTERISTIC}.StopNotify": self._stop_notify,
        }

    def _char_at(self, msg: Message) -> tuple[SimDevice, Characteristic]:
        try:
            device, char = self.adapter.by_char_path[msg.path or ""]
        except KeyError:
            raise DBusError("org.freedesktop.DBus.Error.UnknownObject", str(msg.path)) from None
        if not device.connected:
            raise DBusError("org.bluez.Error.Failed", "Not connected")
        return device, char

    def _read_value(self, msg: Message) -> Message:
        _device, char = self._char_at(msg)
        if "read" not in char.flags:
            raise DBusError("org.bluez.Error.NotPermitted", "Read not permitted")
        return Message.new_method_return(msg, "ay", [char.value])

    def _write_value(self, msg: Message) -> Message:
        device, char = self._char_at(msg)
        if "write" not in char.flags:
            raise DBusError("org.bluez.Error.NotPermitted", "Write not permitted")
        data = bytes(msg.body[0])
        device.writes.append((char.uuid, data))
        if char.uuid == g.CURRENT_TIME:
            try:
                written = g.decode_current_time(data).time.to_datetime()
            except ValueError as exc:
                raise DBusError("org.bluez.Error.InvalidArguments", "Invalid Length") from exc
            if written is not None:
                device.clock_offset = (written - datetime.now()).total_seconds()
        elif char.uuid == g.RECORD_ACCESS_CONTROL_POINT:
            asyncio.get_running_loop().call_soon(self._racp, device, data)
        return ok(msg)

    @staticmethod
    def _protected(device: SimDevice, char: Characteristic) -> bool:
        return device.spec.pairing and char.uuid in g.MEASUREMENT_DECODERS

    def _start_notify(self, msg: Message) -> Message:
        device, char = self._char_at(msg)
        if not {"notify", "indicate"} & set(char.flags):
            raise DBusError("org.bluez.Error.NotSupported", "Operation is not supported")
        if self._protected(device, char) and not (device.host_paired and device.bonded):
            raise DBusError("org.bluez.Error.Failed", "Operation failed with ATT error: 0x05")
        if not char.notifying:
            char.notifying = True
            self.tree.set(char.path, CHARACTERISTIC, Notifying=True)
        if char.uuid == device.main:
            device.subscribed_at = time.monotonic()
        if char.uuid == device.main and device.session is None:
            device.session = asyncio.get_running_loop().create_task(
                self._measurement_session(device), name=f"ble-sim-{device.spec.address}"
            )
        return ok(msg)

    def _stop_notify(self, msg: Message) -> Message:
        _device, char = self._char_at(msg)
        if char.notifying:
            char.notifying = False
            self.tree.set(char.path, CHARACTERISTIC, Notifying=False)
        return ok(msg)

    # -- the device's side -------------------------------------------------------------

    def notify(self, device: SimDevice, uuid: int, payload: bytes) -> float:
        """Send ``payload`` if the host listens; returns its monotonic send time."""
        char = device.chars.get(uuid)
        sent_at = time.monotonic()
        if char is None or not char.notifying or not device.connected:
            return sent_at
        char.value = payload
        device.sent.append((uuid, payload, sent_at))
        self.tree.set(char.path, CHARACTERISTIC, Value=payload)
        return sent_at

    @staticmethod
    async def _pause(seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))  # the device's own pace, not a wait for an event

    async def _measurement_session(self, device: SimDevice) -> None:
        """Subscribed: re-send old records if the device does, wait for RACP, measure."""
        try:
            racp = device.chars.get(g.RECORD_ACCESS_CONTROL_POINT)
            if racp is not None and racp.notifying:
                device.racp_busy = True  # the host fetches stored records first
            for uuid, record in list(device.history):
                for _ in range(device.spec.resend_stored):
                    self.notify(device, uuid, record)
                    await self._pause(device.spec.interval_s)
            if time.monotonic() < device.silent_until:
                await asyncio.sleep(device.silent_until - time.monotonic())  # the device sleeps
            while device.connected and device.pending and device.pending[0].raw is not None:
                raw = device.pending.popleft().raw  # malformed bytes go out with the next one
                assert raw is not None
                self.notify(device, device.main, raw)
            if not device.pending and device.spec.auto_measure:
                device.pending.append(Pending())
            # one new measurement per connection, as a cuff sends the one it just took
            if device.connected and device.pending:
                while device.racp_busy:
                    await self._racp_done(device)
                pending = device.pending[0]
                before, record = device.encode(pending)
                every = float(pending.values.get("every", device.spec.interval_s))
                for uuid, payload in before:
                    self.notify(device, uuid, payload)
                    await self._pause(every)
                if device.take_fault(Fault.LINK_DROP):
                    log.info("ble sim %s: link drops before the indication", device.spec.address)
                    device.session = None
                    self.adapter.drop(device)
                    return
                if device.noise:
                    self.notify(device, device.main, record[:2])  # a truncated record
                device.pending.popleft()
                self.notify(device, device.main, record)
                device.history.append((device.main, record))
        finally:
            if device.session is asyncio.current_task():
                device.session = None

    async def _racp_done(self, device: SimDevice) -> None:
        event = asyncio.Event()
        self._racp_waiters.setdefault(device.spec.address, []).append(event)
        await event.wait()

    def _answer_racp(self, device: SimDevice, answer: g.Racp) -> None:
        self.notify(device, g.RECORD_ACCESS_CONTROL_POINT, g.encode_racp(answer))

    def _racp(self, device: SimDevice, data: bytes) -> None:
        try:
            request = g.decode_racp(data)
        except ValueError:
            self._answer_racp(
                device,
                g.racp_response(data[0] if data else 0, g.RacpResponse.OP_CODE_NOT_SUPPORTED),
            )
            return
        if request.op is g.RacpOp.REPORT_NUMBER_OF_RECORDS:
            count = len(device.history).to_bytes(2, "little")
            self._answer_racp(
                device, g.Racp(g.RacpOp.NUMBER_OF_RECORDS_RESPONSE, g.RacpOperator.NULL, count)
            )
        elif request.op is g.RacpOp.REPORT_STORED_RECORDS:
            records = list(device.history)
            if request.operator is g.RacpOperator.LAST:
                records = records[-1:]
            elif request.operator is g.RacpOperator.FIRST:
                records = records[:1]
            for uuid, record in records:
                self.notify(device, uuid, record)
            code = g.RacpResponse.SUCCESS if records else g.RacpResponse.NO_RECORDS_FOUND
            self._answer_racp(device, g.racp_response(request.op, code))
        else:
            self._answer_racp(
                device, g.racp_response(request.op, g.RacpResponse.OP_CODE_NOT_SUPPORTED)
            )
        device.racp_busy = False
        for event in self._racp_waiters.pop(device.spec.address, []):
            event.set()
