"""Service types: one vocabulary for the guide's tags, the chat's filters, the API and the tools.

The guide tags its practical examples A (all services), R (care homes, residential) or C (care at
home, community). A person or client asking for "All services" means "don't narrow by setting", so
it is no filter at all, everywhere: a care-home filter keeps what the guide says for care homes and
what it says for every service.
"""

from __future__ import annotations

from assistant.errors import BadInput

SERVICE_TYPES = {"A": "All services", "R": "Care homes", "C": "Care at home"}
# The same names in running text ("practical examples (care homes)").
SERVICE_WORDS = {code: name.lower() for code, name in SERVICE_TYPES.items()}
# The choices every form shows, with the code each sends.
SERVICE_CHOICES = [(name, code) for code, name in SERVICE_TYPES.items()]

_NAMES = {code.lower(): code for code in SERVICE_TYPES} | {name.lower(): code for code, name in SERVICE_TYPES.items()}
_NAMES |= {"all": "A", "any": "A", "any service": "A", "care home": "R", "residential": "R",
           "nursing home": "R", "home care": "C", "community": "C", "domiciliary": "C", "domiciliary care": "C"}


def parse_service(raw: object) -> str | None:
    """'care home' -> 'R', 'home care' -> 'C'; 'all', 'A' and nothing -> None (no filter).
    Raises BadInput, naming the allowed values, for anything else."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str):
        raise BadInput(f"The service type must be text, not {type(raw).__name__}.")
    code = _NAMES.get(" ".join(raw.split()).lower())
    if code is None:
        raise BadInput(f"Unknown service type {raw[:40]!r}. Use A (all services), R (care homes) or C (care at home).")
    return None if code == "A" else code


def service_fits(tag: str | None, service: str | None) -> bool:
    """Whether content tagged ``tag`` applies to ``service``: untagged and all-services content
    applies to every service, and no service (all services) keeps everything."""
    return not service or tag in (None, "", "A", service)
