"""Keeping private details out of public drafts.

Before a public channel is drafted, every text field of the incident passes
through a :class:`Redactor`: IP addresses, email addresses other than the
support address, internal host names, and things that look like keys and
tokens are replaced by ``[redacted]``. The internal alert (``slack``) keeps
them. Each redaction is reported as a :class:`~crisiscomms.findings.Finding`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import regex

from crisiscomms.errors import ValidationError
from crisiscomms.findings import Finding, Level
from crisiscomms.incident import Incident

__all__ = ["DEFAULT_PATTERNS", "PLACEHOLDER", "Redaction", "Redactor", "for_incident"]

PLACEHOLDER = "[redacted]"

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"

#: The built-in (kind, pattern) pairs; the specific token shapes come before the generic ones.
DEFAULT_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "private-key",
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)",
    ),
    ("token", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    ("token", r"\bgh[pousr]_[A-Za-z0-9]{20,}\b"),
    ("token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    ("token", r"\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}\b"),
    ("token", r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}"),
    ("token", r"\b(?:api[_-]?key|token|secret|password|passwd)\s*[:=]\s*\S+"),
    # Long runs of hex or base64 with both letters and digits look like secrets.
    ("token", r"\b(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{32,}\b"),
    ("email-address", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    ("ip-address", rf"(?<![\d.]){_OCTET}(?:\.{_OCTET}){{3}}(?:/\d{{1,2}})?(?![\d.]*\d)"),
    (
        "ip-address",
        r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])"
        r"|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?(?![\w:])",
    ),
    (
        "internal-host",
        r"\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"
        r"(?:internal|local|localdomain|corp|lan|intranet|private|home\.arpa)\b",
    ),
)


@attrs.frozen(kw_only=True)
class Redaction:
    """One private detail withheld: its kind and the field it was found in."""

    kind: str
    field: str


@attrs.frozen(kw_only=True)
class Redactor:
    """Replaces private details with :data:`PLACEHOLDER`.

    ``patterns`` are ``(kind, regular expression)`` pairs; ``allowed`` lists
    texts that stay even when a pattern matches them (the support address).
    """

    patterns: tuple[tuple[str, str], ...] = DEFAULT_PATTERNS
    allowed: frozenset[str] = frozenset()

    def with_patterns(self, patterns: Iterable[str], *, kind: str = "custom") -> Redactor:
        """A redactor that also withholds whatever ``patterns`` match."""
        extra = tuple((kind, pattern) for pattern in patterns)
        return attrs.evolve(self, patterns=self.patterns + extra)

    def redact(self, text: str) -> tuple[str, list[str]]:
        """The text with private details replaced, and the kinds withheld (in order)."""
        if not text:
            return text, []
        kinds: list[str] = []
        compiled = _compile(self.patterns)
        names = [kind for kind, _ in self.patterns]

        def replace(match: regex.Match[str]) -> str:
            found = match.group(0)
            if found in self.allowed or found.lower() in self.allowed:
                return str(found)
            # The first group that took part is the pattern's own p<index> group.
            group = next(name for name, value in match.groupdict().items() if value is not None)
            kinds.append(names[int(group[1:])])
            return PLACEHOLDER

        return compiled.sub(replace, text), kinds

    def incident(self, incident: Incident) -> tuple[Incident, list[Redaction]]:
        """A copy of ``incident`` with every free-text field redacted."""
        found: list[Redaction] = []

        def clean(value: str, field: str) -> str:
            result, kinds = self.redact(value)
            found.extend(Redaction(kind=kind, field=field) for kind in kinds)
            return result

        def clean_all(values: tuple[str, ...], field: str) -> tuple[str, ...]:
            return tuple(clean(value, f"{field}[{i}]") for i, value in enumerate(values))

        changes: dict[str, Any] = {
            "title": clean(incident.title, "title"),
            "summary": clean(incident.summary, "summary"),
            "impact": clean(incident.impact, "impact"),
            "cause": clean(incident.cause, "cause"),
            "data_loss": clean(incident.data_loss, "data_loss"),
            "content_warning": clean(incident.content_warning, "content_warning"),
            "actions": clean_all(incident.actions, "actions"),
            "user_actions": clean_all(incident.user_actions, "user_actions"),
            "not_affected": clean_all(incident.not_affected, "not_affected"),
            "unknowns": clean_all(incident.unknowns, "unknowns"),
            "updates": tuple(
                attrs.evolve(update, message=clean(update.message, f"updates[{i}].message"))
                for i, update in enumerate(incident.updates)
            ),
            "components": tuple(
                attrs.evolve(component, name=clean(component.name, f"components[{i}].name"))
                for i, component in enumerate(incident.components)
            ),
        }
        if not found:
            return incident, []
        return attrs.evolve(incident, **changes), found

    def findings(
        self, redactions: Iterable[Redaction], *, channel: str, parts: Sequence[str]
    ) -> list[Finding]:
        """One warning per redaction, pointing at its placeholder in the draft's parts
        (in order; at the start of part 0 when the placeholder was cut from the draft)."""
        places = [
            (number, match.start())
            for number, part in enumerate(parts)
            for match in regex.finditer(regex.escape(PLACEHOLDER), part)
        ]
        results: list[Finding] = []
        for index, item in enumerate(redactions):
            number, start = places[index] if index < len(places) else (0, 0)
            end = start + len(PLACEHOLDER) if index < len(places) else 0
            results.append(
                Finding(
                    rule=f"privacy.{item.kind}",
                    level=Level.WARNING,
                    channel=channel,
                    message=f"withheld a private detail ({item.kind}) found in {item.field}",
                    start=start,
                    end=end,
                    part=number,
                )
            )
        return results


@functools.lru_cache(maxsize=16)
def _compile(patterns: tuple[tuple[str, str], ...]) -> regex.Pattern[str]:
    try:
        alternatives = [f"(?P<p{index}>{pattern})" for index, (_, pattern) in enumerate(patterns)]
        return regex.compile("|".join(alternatives), regex.IGNORECASE)
    except regex.error as error:
        raise ValidationError(
            f"a private pattern does not compile: {error}", field="private_patterns"
        ) from None


def for_incident(incident: Incident) -> Redactor:
    """The redactor for ``incident``: the defaults, its own ``private_patterns``, and its
    support address allowed."""
    redactor = Redactor(allowed=frozenset({incident.organization.support_email.lower()}))
    if incident.private_patterns:
        redactor = redactor.with_patterns(incident.private_patterns)
    return redactor
