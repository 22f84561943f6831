"""The codes of the FHIR bundle: which reading value becomes which Observation, on which
vital-signs profile, with its LOINC code and the IEEE 11073-10101 (MDC) code beside it.

Pure data. Each MDC code was checked against published nomenclature tables (HL7 Denmark's
DK Core IEEE value set, the Antidote IEEE 11073-20601 nomenclature); see docs/fhir.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain import ReadingKind, Unit

LOINC = "http://loinc.org"
MDC = "urn:iso:std:iso:11073:10101"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
PROFILE = "http://hl7.org/fhir/StructureDefinition/"


@dataclass(frozen=True)
class Code:
    system: str
    code: str
    display: str

    def coding(self) -> dict[str, str]:
        return {"system": self.system, "code": self.code, "display": self.display}


@dataclass(frozen=True)
class Measure:
    """What one reading value becomes: ``profile`` is claimed only for ``units`` it allows
    (a cuff reporting kPa is relayed in kPa, without the blood-pressure profile)."""

    text: str
    codes: tuple[Code, ...]
    profile: str
    units: frozenset[Unit]
    category: str = "vital-signs"


def loinc(code: str, display: str) -> Code:
    return Code(LOINC, code, display)


def mdc(code: int, display: str) -> Code:
    return Code(MDC, str(code), display)


MM_HG = frozenset({Unit.MM_HG})

#: The blood-pressure panel and its components (systolic and diastolic are the profile's).
BP_PANEL = Measure(
    "Blood pressure",
    (
        loinc("85354-9", "Blood pressure panel with all children optional"),
        mdc(150020, "MDC_PRESS_BLD_NONINV"),
    ),
    PROFILE + "bp",
    MM_HG,
)
BP_COMPONENTS: dict[str, Measure] = {
    "systolic": Measure(
        "Systolic blood pressure",
        (loinc("8480-6", "Systolic blood pressure"), mdc(150021, "MDC_PRESS_BLD_NONINV_SYS")),
        "",
        MM_HG,
    ),
    "diastolic": Measure(
        "Diastolic blood pressure",
        (loinc("8462-4", "Diastolic blood pressure"), mdc(150022, "MDC_PRESS_BLD_NONINV_DIA")),
        "",
        MM_HG,
    ),
    "map": Measure(
        "Mean blood pressure",
        (loinc("8478-0", "Mean blood pressure"), mdc(150023, "MDC_PRESS_BLD_NONINV_MEAN")),
        "",
        MM_HG,
    ),
}

_HEART_RATE = loinc("8867-4", "Heart rate")
_PER_MINUTE = frozenset({Unit.PER_MINUTE})
_PERCENT = frozenset({Unit.PERCENT})

#: (reading kind, value name) -> its Observation; the order is the bundle's.
SINGLE: dict[tuple[ReadingKind, str], Measure] = {
    (ReadingKind.BLOOD_PRESSURE, "pulse"): Measure(
        "Heart rate",
        (_HEART_RATE, mdc(149546, "MDC_PULS_RATE_NON_INV")),
        PROFILE + "heartrate",
        _PER_MINUTE,
    ),
    (ReadingKind.TEMPERATURE, "temperature"): Measure(
        "Body temperature",
        (loinc("8310-5", "Body temperature"), mdc(150364, "MDC_TEMP_BODY")),
        PROFILE + "bodytemp",
        frozenset({Unit.CELSIUS, Unit.FAHRENHEIT}),
    ),
    (ReadingKind.WEIGHT, "weight"): Measure(
        "Body weight",
        (loinc("29463-7", "Body weight"), mdc(188736, "MDC_MASS_BODY_ACTUAL")),
        PROFILE + "bodyweight",
        frozenset({Unit.KG, Unit.GRAM, Unit.POUND}),
    ),
    (ReadingKind.WEIGHT, "bmi"): Measure(
        "Body mass index",
        (
            loinc("39156-5", "Body mass index (BMI) [Ratio]"),
            mdc(188752, "MDC_RATIO_MASS_BODY_LEN_SQ"),
        ),
        PROFILE + "bmi",
        frozenset({Unit.KG_PER_M2}),
    ),
    # no vital-signs profile of its own: the generic one (its code binding is extensible)
    (ReadingKind.BODY_COMPOSITION, "body_fat"): Measure(
        "Body fat",
        (loinc("41982-0", "Percentage of body fat Measured"), mdc(188748, "MDC_BODY_FAT")),
        PROFILE + "vitalsigns",
        _PERCENT,
    ),
    (ReadingKind.SPO2, "spo2"): Measure(
        "Oxygen saturation",
        (
            loinc("2708-6", "Oxygen saturation in Arterial blood"),
            loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
            mdc(150456, "MDC_PULS_OXIM_SAT_O2"),
        ),
        PROFILE + "oxygensat",
        _PERCENT,
    ),
    (ReadingKind.SPO2, "pulse"): Measure(
        "Heart rate",
        (_HEART_RATE, mdc(149530, "MDC_PULS_OXIM_PULS_RATE")),
        PROFILE + "heartrate",
        _PER_MINUTE,
    ),
}

#: What each kind of instrument is, for Device.type (text only: a serial module or a BLE
#: device does not claim an IEEE 11073 device specialisation it was never certified for).
DEVICE_TYPES: dict[ReadingKind, str] = {
    ReadingKind.BLOOD_PRESSURE: "Blood pressure monitor",
    ReadingKind.TEMPERATURE: "Thermometer",
    ReadingKind.WEIGHT: "Weighing scale",
    ReadingKind.BODY_COMPOSITION: "Body composition analyser",
    ReadingKind.SPO2: "Pulse oximeter",
}

#: The device's reason for no value -> the data-absent-reason code (otherwise ``error``).
ABSENT_CODES: dict[str, tuple[str, str]] = {
    "not_a_number": ("not-a-number", "Not a Number (NaN)"),
    "plus_infinity": ("positive-infinity", "Positive Infinity (PINF)"),
    "minus_infinity": ("negative-infinity", "Negative Infinity (NINF)"),
}
ERROR = ("error", "Error")

#: Every code the bundle may carry (for the tests and docs/fhir.md).
ALL_CODES: tuple[Code, ...] = (
    *BP_PANEL.codes,
    *(code for m in BP_COMPONENTS.values() for code in m.codes),
    *(code for m in SINGLE.values() for code in m.codes),
)
