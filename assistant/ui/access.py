"""Who may reach the server, and who may change the corpus through it (docs/security.md).

- **Listening**: loopback (127.0.0.1, ::1, localhost) without login is the default and reaches only
  this computer. Any other address without login is refused, unless ``allow_anonymous`` is set
  (``--allow-anonymous``, ``RAPPORT_ALLOW_ANONYMOUS``); then the server starts with a warning and is
  read-only: questions, drafts and comparisons, but no upload, correction or removal.
- **Changing the corpus**: every handler that uploads, corrects or removes asks :func:`change_refusal`
  itself, on the server, whatever the page showed and whatever gradio's API visibility says: with
  login the request must carry a logged-in session; without login only a loopback server takes
  changes.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from ..config import Config
from ..errors import ConfigError

__all__ = ["change_refusal", "exposure_warning", "is_loopback", "login_configured"]


def is_loopback(host: str) -> bool:
    """Is ``host`` an address only this computer reaches?"""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name, 0.0.0.0, "::" …: assume others reach it


def login_configured(config: Config) -> bool:
    return bool(config.auth_user and config.auth_password)


def exposure_warning(config: Config) -> str:
    """Raise ConfigError for a non-loopback address without login (unless allowed); the warning to
    print when it is allowed; "" when there is nothing to say."""
    if login_configured(config) or is_loopback(config.host):
        return ""
    if not config.allow_anonymous:
        raise ConfigError(
            f"Appen skulle lyssna på {config.host} utan inloggning, så vem som helst som når datorn kunde "
            "läsa rapporterna. Sätt RAPPORT_USER och RAPPORT_PASSWORD, lyssna på 127.0.0.1, eller starta med "
            "--allow-anonymous om alla som når adressen får läsa allt (se docs/security.md)."
        )
    return (
        f"Varning: appen lyssnar på {config.host} utan inloggning (--allow-anonymous). Alla som når adressen "
        "kan läsa alla rapporter. Uppladdning, rättning och borttagning är avstängda i det läget; "
        "sätt RAPPORT_USER och RAPPORT_PASSWORD för att kunna ändra rapporterna."
    )


def read_only(config: Config) -> bool:
    """A server that takes no changes at all: anonymous on an address others reach."""
    return not login_configured(config) and not is_loopback(config.host)


def change_refusal(config: Config, request: Any) -> str:
    """Why this request may not change the corpus (Swedish), or "" when it may. ``request`` is the
    handler's ``gr.Request``."""
    if login_configured(config):
        if getattr(request, "username", None):
            return ""
        return "Du är inte inloggad. Logga in igen (ladda om sidan) och försök på nytt."
    if read_only(config):
        return (
            "Rapporterna kan inte ändras här: appen körs utan inloggning på en adress som andra når. "
            "Starta den med RAPPORT_USER och RAPPORT_PASSWORD för att ladda upp, rätta eller ta bort rapporter."
        )
    return ""
