"""The cabin printer: a CUPS queue driven through ``lp``/``lpstat`` (``cups.py``), its typed
errors (``errors.py``) and a private CUPS with a cups-pdf queue for tests and demos (``sim.py``).
"""
