"""The cabin's services, one room per job: the card reader, the measurements, the papers, the
booking codes and walk-ins, the patient's call for the staff.

Each turns hardware or the portal into session events and session notices into actions;
:class:`kiosk.cabin.Cabin` composes them around one session and none lets an error escape.
"""
