"""Appointments: booked on the booking site, confirmed by SMS (Kannel), matched at the cabin.

An appointment holds a cabin, a slot, a language, a phone number, a booking code and a
*match key*, a keyed hash of the patient's normalised last name, first name and birth date
(:func:`protocol.match_key`), never the NIR nor the names. It is erased a configurable
time after its slot. Nothing about it is logged but its internal id and cabin id.
"""
