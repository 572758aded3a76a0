"""Keeping private details out of public drafts.

Before a public channel is drafted, every text field of the incident passes
through a :class:`Redactor`: email addresses, IP addresses (IPv4 and IPv6,
embedded ones too), internal host names, private keys, tokens and API keys,
passwords written in prose, card numbers, IBANs, national ID numbers and
personal phone numbers are replaced by ``[redacted]``. The internal alert
(``slack``) keeps them. Each redaction is reported as a
:class:`~crisiscomms.findings.Finding`.

Two properties hold whatever the input:

- **Linear time.** Text is first *normalised* in one pass, then matched by
  one combined pattern whose every repetition is bounded and whose every
  alternative starts only where a run of its characters starts, so no
  position is scanned more than a bounded number of times.
- **What a reader reads is what is matched.** A reader sees
  ``alice&#64;example.org``, ``alice\\@example.org``, ``alice[at]example.org``,
  an address split by a zero-width space or a soft hyphen, or written in
  full-width forms, as the same address. Matching runs on the text with
  those differences removed, and each match is mapped back to the span of
  the original text it came from, which is what is withheld.

The organisation's own published contacts declared in the record (its
support and sender addresses, a spokesperson's address, its support phone)
are never withheld.
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import regex

from crisiscomms.errors import ValidationError
from crisiscomms.findings import Finding, Level
from crisiscomms.incident import Incident

__all__ = ["DEFAULT_PATTERNS", "PLACEHOLDER", "Redaction", "Redactor", "for_incident"]

PLACEHOLDER = "[redacted]"

_OCTET = r"0{0,2}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
# "= value", ": value", " is value", " was value" after a password's or key's name.
_SAID = r"\s{0,4}(?:[:=]|\s(?:is|was)\s)\s{0,4}[\"']?[^\s\"']{3,200}"

#: The built-in (kind, pattern) pairs, matched on normalised text; the specific
#: shapes come before the generic ones. Every repetition is bounded and every
#: pattern begins where a run of its characters begins (a lookbehind), which
#: keeps matching linear in the text.
DEFAULT_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "private-key",
        r"-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----"
        r"[\s\S]*?(?:-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----|\Z)",
    ),
    ("token", r"(?<![\w-])eyJ[\w-]{4,4096}\.[\w-]{2,16384}\.[\w-]{0,4096}"),
    ("token", r"https?://hooks\.slack\.com/(?:services|workflows|triggers)/[\w/-]{8,300}"),
    ("token", r"https?://(?:\w{1,63}\.)?discord(?:app)?\.com/api/webhooks/[\w/-]{8,300}"),
    (
        "token",
        r"(?-i:(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)"
        r"(?:[ -]?[A-Z0-9]){16}(?![A-Z0-9]))",
    ),
    ("token", r"(?<![\w-])(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_\w{40,255})"),
    ("token", r"(?<![\w-])xox[abposre]-[A-Za-z0-9-]{10,300}"),
    ("token", r"(?<![\w-])(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,255}"),
    (
        "token",
        r"(?<![\w-])(?:sk-(?:proj-|ant-|live-)?[\w-]{20,255}|(?-i:AIza)[\w-]{35}"
        r"|SG\.[\w-]{16,32}\.[\w-]{30,64}|glpat-[\w-]{20,64}|npm_[A-Za-z0-9]{36}"
        r"|pypi-[\w-]{50,255}|hf_[A-Za-z0-9]{30,64}|dop_v1_[a-f0-9]{64}"
        r"|(?-i:SK)[0-9a-f]{32})(?![\w-])",
    ),
    (
        "token",
        r"(?<![\w-])(?:authorization\s{0,4}[:=]\s{0,4})?(?:bearer|basic|token)\s{1,4}"
        r"[A-Za-z0-9._~+/=-]{16,4096}",
    ),
    ("password", rf"(?<![\w-])(?:password|passwd|passcode|passphrase|pwd|pass){_SAID}"),
    (
        "token",
        rf"(?<![\w-])(?:secret|client[_ -]?secret|api[_ -]?key|access[_ -]?key"
        rf"|auth[_ -]?token|token){_SAID}",
    ),
    # Long runs of hex or base64 with both letters and digits look like secrets.
    ("token", r"(?<![A-Za-z0-9])[A-Za-z0-9]{32,4096}(?![A-Za-z0-9])"),
    (
        "email-address",
        r"(?<![\w.%+@-])[\w.%+-]{1,64}@(?:[\w-]{1,63}\.){1,10}[^\W\d_]{2,63}(?![\w-])",
    ),
    ("ip-address", rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?:/\d{{1,2}})?(?![\w]|\.\d)"),
    (
        "ip-address",
        r"(?:(?<![\w:.])|(?<=(?<![\w:])[G-Zg-z_]\w{0,30}:))"
        r"(?=[0-9A-Fa-f.]{0,45}:[0-9A-Fa-f.]{0,45}:)[0-9A-Fa-f:.]{2,60}(?:/\d{1,3})?"
        r"(?![\w:])",
    ),
    (
        "internal-host",
        r"(?<![\w.-])(?:[\w-]{1,63}\.){1,10}"
        r"(?:internal|local|localdomain|corp|lan|intranet|private|home\.arpa|svc|localhost)"
        r"(?![\w-])",
    ),
    ("card-number", r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])"),
    ("iban", r"(?-i:(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9]))"),
    (
        "national-id",
        r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])"
        r"|(?-i:(?<![A-Za-z0-9])[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9]))",
    ),
    (
        "phone-number",
        r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?![\d])"
        r"|(?<![\w(])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)"
        r"|(?<![\w])0\d{2,4}[ -]\d{3,4}[ -]\d{3,4}(?!\d)",
    ),
)

#: For each built-in pattern, texts (in lower case) it cannot match without; a
#: pattern is not run over text that has none of them. ``None``: always run.
_NEEDS: tuple[tuple[str, ...] | None, ...] = (
    ("-----",),
    ("eyj",),
    ("hooks.slack",),
    ("discord",),
    ("akia", "asia", "agpa", "aida", "aroa", "aipa", "anpa", "anva", "abia", "acca"),
    ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    ("xox",),
    ("_live_", "_test_"),
    ("sk", "aiza", "sg.", "glpat-", "npm_", "pypi-", "hf_", "dop_v1_"),
    ("bearer", "basic", "token"),
    ("pass", "pwd"),
    ("secret", "key", "token"),
    None,
    ("@",),
    (".",),
    (":",),
    ("internal", "local", "corp", "lan", "intranet", "private", "arpa", "svc"),
    None,
    None,
    None,
    None,
)


# Characters a reader does not see: zero-width spaces and joiners, the soft
# hyphen, word joiners, the byte-order mark and bidirectional controls.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
)

# A backslash a reader does not see: the one escaping punctuation (alice\@, 10\.0).
_ESCAPE = r"\\(?=[^\w\s])"

_DELETED = frozenset(
    chr(code)
    for first, last in ((0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F))
    for code in range(first, last + 1)
) | frozenset("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\ufeff")


@functools.cache
def _one_for_one() -> dict[int, str | None]:
    """The character-for-character part of normalisation, as a str.translate table:
    invisible characters removed, full-width forms and look-alike dots, slashes
    and dashes as their ASCII characters."""
    table: dict[int, str | None] = {ord(ch): None for ch in _DELETED}
    for code in range(0xFF01, 0xFF5F):
        table[code] = unicodedata.normalize("NFKC", chr(code))
    for ch in "\u3002\uff61\u2024\u2027\u00b7\u2219":
        table[ord(ch)] = "."
    for ch in "\u2215\u2044":
        table[ord(ch)] = "/"
    for code in (*range(0x2010, 0x2016), 0x2212):
        table[code] = "-"
    return table


# What normalisation changes beyond single characters: entities and spelt-out @ and dot.
_MULTI = (
    r"(?P<entity>&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<at>\s?[\[({<]\s{0,2}(?:at|AT|At)\s{0,2}[\])}>]\s?"
    r"|\s(?:at|AT)\s(?=\S{1,63}\s?[\[({<]\s{0,2}(?:dot|DOT)))"
    r"|(?P<dot>\s?[\[({<]\s{0,2}(?:dot|DOT|Dot)\s{0,2}[\])}>]\s?)"
)


class _Positions:
    """Maps a span of the normalised text back to the span of the original it stands for.

    ``kept`` lists, for each character left by the one-for-one step, its index
    in the original (``None`` when nothing was removed); ``pieces`` lists each
    multi-character change as (normalised start, normalised end, start, end)
    in the one-for-one text.
    """

    __slots__ = ("kept", "pieces")

    def __init__(self, kept: list[int] | None, pieces: list[tuple[int, int, int, int]]) -> None:
        self.kept = kept
        self.pieces = pieces

    def _middle(self, index: int) -> tuple[int, int]:
        # The span in the one-for-one text that character ``index`` stands for.
        found = bisect.bisect_right(self.pieces, (index, 1 << 62)) - 1
        if found < 0:
            return index, index + 1
        _, stop, middle_start, middle_stop = self.pieces[found]
        if index < stop:
            return middle_start, middle_stop
        shifted = index - stop + middle_stop
        return shifted, shifted + 1

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised ``[start, end)`` (``end > start``)."""
        first = self._middle(start)[0]
        last = self._middle(end - 1)[1]
        if self.kept is None:
            return first, last
        return self.kept[first], self.kept[last - 1] + 1


@functools.cache
def _normalisers() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    # Compiled on first use, not by ``import crisiscomms``.
    return regex.compile(_ESCAPE), regex.compile(_MULTI)


def _normalise(text: str) -> tuple[str, _Positions]:
    """The text a reader reads, and the map from its spans back to the original's."""
    escape, multi = _normalisers()
    marked = escape.sub("\u200b", text)  # same length: the backslash becomes a removed character
    simple = marked.translate(_one_for_one())
    kept = None
    if len(simple) != len(text):
        kept = [index for index, ch in enumerate(marked) if ch not in _DELETED]
    if multi.search(simple) is None:
        return simple, _Positions(kept, [])
    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    position = 0
    length = 0
    import html

    for match in multi.finditer(simple):
        start, end = match.span()
        out.append(simple[position:start])
        length += start - position
        kind = match.lastgroup
        replacement = (
            html.unescape(match.group(0)) if kind == "entity" else "@" if kind == "at" else "."
        )
        out.append(replacement)
        pieces.append((length, length + len(replacement), start, end))
        length += len(replacement)
        position = end
    out.append(simple[position:])
    return "".join(out), _Positions(kept, pieces)


def _luhn(digits: str) -> bool:
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = int(ch)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card(text: str) -> bool:
    digits = "".join(ch for ch in text if ch.isdigit())
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    # Issuers' prefixes: Visa, Mastercard, American Express, Discover, JCB, Diners, UnionPay.
    if not regex.match(r"4|5[1-5]|2[2-7]|3[47]|6(?:011|5|4[4-9]|2)|35|3[068]", digits):
        return False
    return _luhn(digits)


def _iban(text: str) -> bool:
    compact = text.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


def _national_id(text: str) -> bool:
    if "-" not in text:
        return True  # a UK National Insurance number; its shape is checked by the pattern
    area, group, serial = text.split("-")
    return area not in {"000", "666"} and area[0] != "9" and group != "00" and serial != "0000"


def _ip(text: str, before: str) -> bool:
    address = text.split("/")[0]
    if ":" not in address:
        # "version 1.2.3.4" and "v10.0.0.1" are versions, not addresses.
        return not regex.search(r"(?:version|release|build|\bv)\s?$", before, regex.IGNORECASE)
    try:
        import ipaddress

        ipaddress.IPv6Address(address)
    except ValueError:
        return False
    return any(ch.isdigit() or ch in "abcdefABCDEF" for ch in address)


def _token(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and any(ch.isalpha() for ch in text)


def _password(text: str) -> bool:
    value = regex.split(r"[:=]|\s(?:is|was)\s", text, maxsplit=1, flags=regex.IGNORECASE)[-1]
    value = value.strip().strip("\"'").rstrip(".,;:!?)")
    if len(value) < 3:
        return False
    if regex.search(r"[:=]", text[: len(text) - len(value)]):
        return True
    # "The password is reset" is prose; "the password is hunter2" is a secret.
    return any(not ch.isalpha() for ch in value) or (
        any(ch.isupper() for ch in value[1:]) and any(ch.islower() for ch in value)
    )


def _phone(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    return 7 <= digits <= 15


_CHECKS: dict[str, Any] = {
    "card-number": lambda text, before: _card(text),
    "iban": lambda text, before: _iban(text),
    "national-id": lambda text, before: _national_id(text),
    "ip-address": _ip,
    "password": lambda text, before: _password(text),
    "phone-number": lambda text, before: _phone(text),
    "token": lambda text, before: _token(text),
}


def _check_for(index: int) -> Any:
    """The check a built-in pattern's match must also pass (None for a user's pattern)."""
    if index >= len(DEFAULT_PATTERNS):
        return None
    kind, pattern = DEFAULT_PATTERNS[index]
    if pattern.endswith(_SAID):
        return _CHECKS["password"]
    if kind == "token" and "{32,4096}" not in pattern:
        return None  # a token's shape says enough
    return _CHECKS.get(kind)


# The check of each built-in pattern, worked out once.
_CHECK_FOR = tuple(_check_for(index) for index in range(len(DEFAULT_PATTERNS)))


@attrs.frozen(kw_only=True)
class Redaction:
    """One private detail withheld: its kind and the field it was found in."""

    kind: str
    field: str


@attrs.frozen(kw_only=True)
class Redactor:
    """Replaces private details with :data:`PLACEHOLDER`.

    ``patterns`` are ``(kind, regular expression)`` pairs, matched on the
    normalised text; ``allowed`` lists texts that stay even when a pattern
    matches them (the organisation's published addresses and phone numbers;
    phone numbers are compared by their digits, addresses without case).
    """

    patterns: tuple[tuple[str, str], ...] = DEFAULT_PATTERNS
    allowed: frozenset[str] = frozenset()

    def with_patterns(self, patterns: Iterable[str], *, kind: str = "custom") -> Redactor:
        """A redactor that also withholds whatever ``patterns`` match."""
        extra = tuple((kind, pattern) for pattern in patterns)
        return attrs.evolve(self, patterns=self.patterns + extra)

    def _allowed(self, found: str) -> bool:
        if found in self.allowed or found.lower() in self.allowed:
            return True
        digits = "".join(ch for ch in found if ch.isdigit())
        # A published number matches with or without its country code.
        return len(digits) >= 7 and any(
            number.endswith(digits) or digits.endswith(number)
            for number in _allowed_digits(self.allowed)
        )

    def redact(self, text: str) -> tuple[str, list[str]]:
        """The text with private details replaced, and the kinds withheld (in order)."""
        if not text:
            return text, []
        compiled = _compile(self.patterns)
        normal, positions = _normalise(text)
        # The built-in checks apply while the built-in patterns come first, as they do.
        builtin = self.patterns[: len(DEFAULT_PATTERNS)] == DEFAULT_PATTERNS
        # Each pattern scans on its own (an alternation of all of them would lose
        # each one's fast search for its literal parts); the earliest match wins,
        # then the pattern listed first.
        candidates: list[tuple[int, int, int]] = []
        lowered = normal.lower()
        holds = lowered.__contains__
        for index, pattern in enumerate(compiled):
            needs = _NEEDS[index] if builtin and index < len(_NEEDS) else None
            if needs is not None and not any(map(holds, needs)):
                continue
            check = _CHECK_FOR[index] if builtin and index < len(_CHECK_FOR) else None
            for match in pattern.finditer(normal):
                found = match.group(0)
                if not found:
                    continue
                before = normal[max(0, match.start() - 12) : match.start()]
                if (check is not None and not check(found, before)) or self._allowed(found):
                    continue
                candidates.append((match.start(), index, match.end()))
        candidates.sort()
        kinds: list[str] = []
        spans: list[tuple[int, int]] = []
        for begin, index, finish in candidates:
            start, end = positions.span(begin, finish)
            if spans and start < spans[-1][1]:
                continue  # inside a detail already withheld
            spans.append((start, end))
            kinds.append(self.patterns[index][0])
        if not spans:
            return text, []
        pieces: list[str] = []
        position = 0
        for start, end in spans:
            pieces.append(text[position:start])
            pieces.append(PLACEHOLDER)
            position = end
        pieces.append(text[position:])
        return "".join(pieces), kinds

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
def _allowed_digits(allowed: frozenset[str]) -> frozenset[str]:
    digits = ("".join(ch for ch in item if ch.isdigit()) for item in allowed)
    return frozenset(item for item in digits if len(item) >= 7)


@functools.lru_cache(maxsize=16)
def _compile(patterns: tuple[tuple[str, str], ...]) -> tuple[regex.Pattern[str], ...]:
    try:
        return tuple(
            regex.compile(pattern, regex.IGNORECASE | regex.VERSION0) for _, pattern in patterns
        )
    except regex.error as error:
        raise ValidationError(
            f"a private pattern does not compile: {error}", field="private_patterns"
        ) from None


def for_incident(incident: Incident) -> Redactor:
    """The redactor for ``incident``: the defaults, its own ``private_patterns``, and its
    published contacts allowed (support, sender and press addresses, spokespeople's
    addresses, the support phone)."""
    organization = incident.organization
    contacts = {organization.support_email, organization.from_email}
    if organization.press_email:
        contacts.add(organization.press_email)
    contacts.update(person.email for person in incident.spokespeople if person.email)
    if organization.support_phone:
        contacts.add(organization.support_phone)
    redactor = Redactor(allowed=frozenset(contact.lower() for contact in contacts))
    if incident.private_patterns:
        redactor = redactor.with_patterns(incident.private_patterns)
    return redactor
