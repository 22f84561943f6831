"""The demo: the whole cabin on simulated hardware, interactive or scripted end to end."""
