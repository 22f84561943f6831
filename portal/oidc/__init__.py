"""Doctors signing in with Pro Santé Connect (OpenID Connect: authorization code with PKCE,
the e-CPS or CPS level of assurance): :mod:`.config` (``[psc]``), :mod:`.client` (the
provider's discovery, keys, token endpoint, and the ID token's checks, with Authlib's PKCE and
JOSE), :mod:`.web` (``/auth/psc/login`` and ``/auth/psc/callback``).
"""
