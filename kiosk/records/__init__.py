"""Records of the session for the doctor's own software: the readings as a FHIR bundle.

Nothing here is imported by the idle kiosk: the FHIR models (pydantic) load with the first
bundle the doctor asks for.
"""
