"""Record Access Control Point 0x2A52: a host asks a device for its stored records.

One value type serves both ways: a request (host -> device) and a response (device -> host).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from drivers.ble.gatt.common import Reader, short_payload
from drivers.errors import FrameError, InstrumentErrorReason


class RacpOp(IntEnum):
    REPORT_STORED_RECORDS = 1
    DELETE_STORED_RECORDS = 2
    ABORT = 3
    REPORT_NUMBER_OF_RECORDS = 4
    NUMBER_OF_RECORDS_RESPONSE = 5
    RESPONSE_CODE = 6


class RacpOperator(IntEnum):
    NULL = 0
    ALL = 1
    LESS_OR_EQUAL = 2
    GREATER_OR_EQUAL = 3
    WITHIN_RANGE = 4
    FIRST = 5
    LAST = 6


class RacpResponse(IntEnum):
    SUCCESS = 1
    OP_CODE_NOT_SUPPORTED = 2
    INVALID_OPERATOR = 3
    OPERATOR_NOT_SUPPORTED = 4
    INVALID_OPERAND = 5
    NO_RECORDS_FOUND = 6
    ABORT_UNSUCCESSFUL = 7
    PROCEDURE_NOT_COMPLETED = 8
    OPERAND_NOT_SUPPORTED = 9


@dataclass(frozen=True)
class Racp:
    """One RACP value: a request (host -> device) or a response (device -> host)."""

    op: RacpOp
    operator: RacpOperator = RacpOperator.NULL
    operand: bytes = b""

    @property
    def count(self) -> int:
        """The record count of a NUMBER_OF_RECORDS_RESPONSE."""
        return int.from_bytes(self.operand[:2], "little")

    @property
    def request_op(self) -> int:
        """The request a RESPONSE_CODE answers."""
        return self.operand[0]

    @property
    def response(self) -> RacpResponse | int:
        """The result of a RESPONSE_CODE (an int when the code is not one we know)."""
        code = self.operand[1]
        try:
            return RacpResponse(code)
        except ValueError:
            return code


def decode_racp(data: bytes | bytearray) -> Racp:
    r = Reader("record access control point", data, 2)
    op_raw, operator_raw = r.u8(), r.u8()
    try:
        op = RacpOp(op_raw)
        operator = RacpOperator(operator_raw)
    except ValueError as exc:
        raise FrameError(
            f"record access control point: unknown op code {op_raw} or operator {operator_raw}",
            reason=InstrumentErrorReason.UNUSABLE_FRAME,
            data=bytes(data),
        ) from exc
    operand = r.data[r.at :]
    need = {RacpOp.NUMBER_OF_RECORDS_RESPONSE: 2, RacpOp.RESPONSE_CODE: 2}.get(op, 0)
    if len(operand) < need:
        raise short_payload("record access control point", 2 + need, r.data)
    return Racp(op, operator, operand)


def encode_racp(m: Racp) -> bytes:
    return bytes([m.op, m.operator]) + m.operand


def racp_response(request_op: int, code: RacpResponse) -> Racp:
    return Racp(RacpOp.RESPONSE_CODE, RacpOperator.NULL, bytes([request_op, code]))
