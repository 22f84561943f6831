"""The patient's paper: results sheet and prescription composed with reportlab, uploaded
prescriptions validated, and everything printed through the session's tmpfs spool.

Import the composing functions from their modules (``kiosk.documents.results`` ...): reportlab
loads only when a document is made.
"""
