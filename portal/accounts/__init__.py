"""The portal's accounts in the database: doctors, staff, admins and cabins, each enabled or
disabled (:mod:`.service`: the rules and the live copy; :mod:`.repository`: the table;
:mod:`.web`: the admin page and its API; :mod:`.cli`: ``portal accounts``).

Without ``[appointments] database`` nothing here runs: the config file's accounts are read as
they are.
"""
