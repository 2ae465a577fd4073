"""Masking credentials before anything is shown: a key can hide in a URL as well as in
``OPENAI_API_KEY``. Everything a user sees (messages, reprs, batch reasons) goes through here.

Two views, for two jobs: ``redact`` masks any URL credentials inside free text (error messages,
the engine's server address), user name included; ``display_url`` shows one source URL the user
gave, keeping its user name beside a masked password so they can tell which account it was.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")
_SECRET_QUERY = re.compile(r"(?i)([?&][^=&\s]*(?:key|token|secret|password|sig)[^=&\s]*=)[^&\s#]+")


def redact(text: str) -> str:
    """``text`` with URL credentials (``https://user:key@host``, ``?api-key=...``) masked, for
    anything shown to a user: a key may hide in a base URL as well as in ``OPENAI_API_KEY``."""
    return _SECRET_QUERY.sub(r"\1***", _USERINFO.sub(r"\1***@", text))


def display_url(url: str) -> str:
    """The URL as messages show it: a password replaced by ``***``, and a user name given
    alone too (``https://TOKEN@host`` is how tokens ride in URLs)."""
    try:
        parts = urlsplit(url)
        if parts.username is None:
            return url
        netloc = parts.netloc.rsplit("@", 1)
        if parts.password is None:
            return urlunsplit(parts._replace(netloc=f"***@{netloc[1]}"))
        user = netloc[0].split(":", 1)[0]
        return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))
    except ValueError:  # unparseable ("http://u:p@[::1/"): mask whatever sits between : and @
        return re.sub(r"^([^:/]*://[^:/@]*:)[^@/]*@", r"\1***@", url)
