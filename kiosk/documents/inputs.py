"""The JSON the documents are composed from, checked field by field into frozen values.

The prescription is the structured form the doctor's page sends; the results input carries the
cabin, the patient and the readings (``Reading.to_json()``). A bad or missing field raises
:class:`DocumentInputError` naming it (``lines[3].medicine: missing``), never a KeyError.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from kiosk.documents.errors import DocumentInputError
from kiosk.domain import Reading

SEXES = {"F": "Féminin", "M": "Masculin"}
MAX_INPUT_BYTES = 2 * 1024 * 1024
MAX_LINES = 200
MAX_TEXT = 2000
MAX_SIGNATURE_BYTES = 512 * 1024
_RPPS = re.compile(r"\d{11}")
_BIRTH = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,79}")


def _where(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _object(data: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise DocumentInputError(f"{path or 'input'}: must be a JSON object")
    return data


def _text(data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DocumentInputError(f"{_where(path, key)}: missing")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise DocumentInputError(f"{_where(path, key)}: must be text")
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise DocumentInputError(f"{_where(path, key)}: longer than {MAX_TEXT} characters")
    return text


def _number(data: Mapping[str, Any], key: str, path: str) -> float | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1000:
        raise DocumentInputError(f"{_where(path, key)}: must be a positive number")
    return float(value)


def _flag(data: Mapping[str, Any], key: str, path: str) -> bool:
    """A yes/no field; absent is no."""
    value = data.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise DocumentInputError(f"{_where(path, key)}: must be true or false")
    return value


def _zone(data: Mapping[str, Any], key: str, path: str) -> str:
    """An IANA time zone name, or "" when not given."""
    import zoneinfo

    name = _text(data, key, path, required=False)
    if name:
        try:
            zoneinfo.ZoneInfo(name)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError) as exc:
            raise DocumentInputError(f"{_where(path, key)}: not a time zone: {name!r}") from exc
    return name


def _date(data: Mapping[str, Any], key: str, path: str) -> date:
    raw = _text(data, key, path)
    try:
        return date.fromisoformat(raw[:10])
    except ValueError as exc:
        raise DocumentInputError(f"{_where(path, key)}: not a date (YYYY-MM-DD): {raw!r}") from exc


@dataclass(frozen=True, kw_only=True)
class PatientOnPaper:
    """The patient as the card and the doctor give it; never printed anywhere but on the
    patient's paper (not the portal's waiting-room ``Patient``)."""

    last_name: str = field(repr=False)
    first_name: str = field(repr=False)
    sex: str = field(repr=False, default="")
    birth_date: str = field(repr=False)  # "DD/MM/YYYY"; lunar dates keep their 00
    weight_kg: float | None = field(repr=False, default=None)

    def __repr__(self) -> str:
        return "PatientOnPaper(<identity hidden>)"

    @property
    def sex_label(self) -> str:
        return SEXES.get(self.sex, "")

    @classmethod
    def from_json(
        cls, data: Any, path: str = "patient", *, sex_required: bool = True
    ) -> PatientOnPaper:
        obj = _object(data, path)
        raw_birth = _text(obj, "birth_date", path)
        match = _BIRTH.fullmatch(raw_birth)
        if not match:
            raise DocumentInputError(
                f"{path}.birth_date: not a date (YYYY-MM-DD or YYYYMMDD): {raw_birth!r}"
            )
        year, month, day = match.groups()
        if int(month) > 12 or int(day) > 31:
            raise DocumentInputError(f"{path}.birth_date: not a date: {raw_birth!r}")
        sex = _text(obj, "sex", path, required=sex_required).upper()
        if sex and sex not in SEXES:
            raise DocumentInputError(f"{path}.sex: must be one of {', '.join(SEXES)}")
        return cls(
            last_name=_text(obj, "last_name", path),
            first_name=_text(obj, "first_name", path),
            sex=sex,
            birth_date=f"{day}/{month}/{year}",
            weight_kg=_number(obj, "weight_kg", path),
        )


@dataclass(frozen=True, kw_only=True)
class Prescriber:
    name: str
    specialty: str
    rpps: str
    address: str
    phone: str
    email: str
    signature: bytes | None = field(default=None, repr=False)

    @classmethod
    def from_json(cls, data: Any, path: str = "prescriber") -> Prescriber:
        obj = _object(data, path)
        rpps = _text(obj, "rpps", path).replace(" ", "")
        if not _RPPS.fullmatch(rpps):
            raise DocumentInputError(f"{path}.rpps: must be the 11 digits of the RPPS number")
        email = _text(obj, "email", path)
        if "@" not in email:
            raise DocumentInputError(f"{path}.email: not an e-mail address")
        return cls(
            name=_text(obj, "name", path),
            specialty=_text(obj, "specialty", path),
            rpps=rpps,
            address=_text(obj, "address", path),
            phone=_text(obj, "phone", path),
            email=email,
            signature=_signature(obj.get("signature"), f"{path}.signature"),
        )


def _signature(value: Any, path: str) -> bytes | None:
    """An optional PNG or JPEG, base64 (a ``data:image/...;base64,`` prefix is accepted)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise DocumentInputError(f"{path}: must be a base64 PNG or JPEG")
    encoded = value.split(",", 1)[1] if value.startswith("data:") else value
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DocumentInputError(f"{path}: not valid base64") from exc
    if len(raw) > MAX_SIGNATURE_BYTES:
        raise DocumentInputError(f"{path}: image larger than {MAX_SIGNATURE_BYTES} bytes")
    if not (raw.startswith(b"\x89PNG\r\n\x1a\n") or raw.startswith(b"\xff\xd8\xff")):
        raise DocumentInputError(f"{path}: must be a PNG or JPEG image")
    try:
        with Image.open(io.BytesIO(raw)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DocumentInputError(f"{path}: the image cannot be read") from exc
    return raw


#: The assisting professional and the place, as the papers word them (``kiosk.nurse``'s values).
PROFESSIONS = {
    "infirmier": "infirmier(ère)",
    "medecin": "médecin",
    "sage_femme": "sage-femme",
    "pharmacien": "pharmacien(ne)",
    "autre": "professionnel(le) de santé",
}
PLACES = {"health_centre": "centre de santé", "home": "domicile du patient", "other": "autre lieu"}


@dataclass(frozen=True, kw_only=True)
class NurseOnPaper:
    """The professional who assisted the consultation (a mallette) and where it happened."""

    name: str = field(repr=False)
    profession: str
    rpps: str
    place: str

    @property
    def line(self) -> str:
        """One line of plain text (the documents escape it)."""
        return (
            f"Avec l'assistance de : {self.name}, {PROFESSIONS[self.profession]}, "
            f"N° RPPS {self.rpps} — Lieu : {PLACES[self.place]}"
        )

    @classmethod
    def from_json(cls, data: Any, path: str = "nurse") -> NurseOnPaper | None:
        """None when no one assisted (absent or null)."""
        if data is None:
            return None
        obj = _object(data, path)
        rpps = _text(obj, "rpps", path).replace(" ", "")
        if not _RPPS.fullmatch(rpps):
            raise DocumentInputError(f"{path}.rpps: must be the 11 digits of the RPPS number")
        profession = _text(obj, "profession", path)
        if profession not in PROFESSIONS:
            raise DocumentInputError(f"{path}.profession: must be one of {', '.join(PROFESSIONS)}")
        place = _text(obj, "place", path)
        if place not in PLACES:
            raise DocumentInputError(f"{path}.place: must be one of {', '.join(PLACES)}")
        return cls(name=_text(obj, "name", path), profession=profession, rpps=rpps, place=place)


@dataclass(frozen=True, kw_only=True)
class PrescriptionLine:
    medicine: str
    dose: str
    duration: str = ""
    quantity: str = ""
    renewals: int = 0
    #: the prescriber excludes substitution by a generic: "Non substituable" printed beside it
    non_substitutable: bool = False
    #: for the treatment of the long-term condition (ALD): printed in the bizone's upper zone
    ald: bool = False

    @classmethod
    def from_json(cls, data: Any, path: str) -> PrescriptionLine:
        obj = _object(data, path)
        duration = _text(obj, "duration", path, required=False)
        quantity = _text(obj, "quantity", path, required=False)
        if not duration and not quantity:
            raise DocumentInputError(f"{path}.duration: missing (give a duration or a quantity)")
        renewals = obj.get("renewals", 0)
        if renewals is None:
            renewals = 0
        if isinstance(renewals, bool) or not isinstance(renewals, int) or not 0 <= renewals <= 12:
            raise DocumentInputError(f"{path}.renewals: must be a whole number from 0 to 12")
        return cls(
            medicine=_text(obj, "medicine", path),
            dose=_text(obj, "dose", path),
            duration=duration,
            quantity=quantity,
            renewals=renewals,
            non_substitutable=_flag(obj, "non_substitutable", path),
            ald=_flag(obj, "ald", path),
        )


@dataclass(frozen=True, kw_only=True)
class Prescription:
    id: str
    date: date
    prescriber: Prescriber
    patient: PatientOnPaper
    lines: tuple[PrescriptionLine, ...]
    notes: str = ""
    #: The professional who assisted (a mallette), or None.
    nurse: NurseOnPaper | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"Prescription(id={self.id}, {len(self.lines)} lines)"

    @property
    def bizone(self) -> bool:
        """Whether the paper is an ordonnance bizone: any line is for the ALD."""
        return any(line.ald for line in self.lines)

    @classmethod
    def from_json(cls, data: Any) -> Prescription:
        obj = _object(data, "")
        rx_id = _text(obj, "id", "")
        if not _ID.fullmatch(rx_id):
            raise DocumentInputError("id: letters, digits and . _ : - only, at most 80 characters")
        raw_lines = obj.get("lines")
        if not isinstance(raw_lines, list) or not raw_lines:
            raise DocumentInputError("lines: missing (at least one line is needed)")
        if len(raw_lines) > MAX_LINES:
            raise DocumentInputError(f"lines: more than {MAX_LINES} lines")
        return cls(
            id=rx_id,
            date=_date(obj, "date", ""),
            prescriber=Prescriber.from_json(obj.get("prescriber")),
            patient=PatientOnPaper.from_json(obj.get("patient")),
            lines=tuple(
                PrescriptionLine.from_json(line, f"lines[{i}]") for i, line in enumerate(raw_lines)
            ),
            notes=_text(obj, "notes", "", required=False),
            nurse=NurseOnPaper.from_json(obj.get("nurse")),
        )


@dataclass(frozen=True, kw_only=True)
class CabinOnPaper:
    """The cabin as its papers name it (not ``kiosk.cabin.Cabin``, the running cabin)."""

    id: str
    name: str = ""
    site: str = ""
    address: str = ""
    #: The time zone of the times printed (IANA name); "" for the system's.
    timezone: str = ""

    @classmethod
    def from_json(cls, data: Any, path: str = "cabin") -> CabinOnPaper:
        if isinstance(data, str) and data.strip():
            return cls(id=data.strip())
        obj = _object(data, path)
        return cls(
            id=_text(obj, "id", path),
            name=_text(obj, "name", path, required=False),
            site=_text(obj, "site", path, required=False),
            address=_text(obj, "address", path, required=False),
            timezone=_zone(obj, "timezone", path),
        )


@dataclass(frozen=True, kw_only=True)
class ResultsInput:
    cabin: CabinOnPaper
    patient: PatientOnPaper
    readings: tuple[Reading, ...]
    printed_at: datetime | None = None
    #: The patient's language (the fixed texts also print in it, below the French).
    language: str = "fr"
    #: The doctor of the consultation, as their page names them ("" when unknown).
    doctor: str = field(default="", repr=False)
    #: The professional who assisted (a mallette), or None.
    nurse: NurseOnPaper | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"ResultsInput(cabin={self.cabin.id}, {len(self.readings)} readings)"

    @classmethod
    def from_json(cls, data: Any) -> ResultsInput:
        obj = _object(data, "")
        raw = obj.get("readings")
        if not isinstance(raw, list):
            raise DocumentInputError("readings: missing (a list, possibly empty)")
        readings: list[Reading] = []
        for i, item in enumerate(raw):
            try:
                readings.append(Reading.from_json(_object(item, f"readings[{i}]")))
            except ValueError as exc:
                raise DocumentInputError(f"readings[{i}]: {exc}") from exc
        if "cabin" not in obj:
            raise DocumentInputError("cabin: missing")
        return cls(
            cabin=CabinOnPaper.from_json(obj["cabin"]),
            patient=PatientOnPaper.from_json(obj.get("patient"), sex_required=False),
            readings=tuple(readings),
            language=_text(obj, "language", "", required=False) or "fr",
            doctor=_text(obj, "doctor", "", required=False),
            nurse=NurseOnPaper.from_json(obj.get("nurse")),
        )


def load_json(path: str | Path) -> Any:
    """Read a JSON input file; any problem is one :class:`DocumentInputError` line."""
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise DocumentInputError(f"{source}: cannot read: {exc.strerror or exc}") from exc
    if len(raw) > MAX_INPUT_BYTES:
        raise DocumentInputError(f"{source}: larger than {MAX_INPUT_BYTES} bytes")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DocumentInputError(f"{source}: not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise DocumentInputError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
