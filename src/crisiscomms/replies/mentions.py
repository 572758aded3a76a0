"""Inbound mentions: the :class:`Mention` record, each network's handle form, and
reading mentions from JSON Lines."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from crisiscomms.errors import LoadError, ValidationError

__all__ = ["NETWORKS", "Mention", "mention_form", "read_mentions"]

#: The networks replies are drafted for; ``twitter`` is read as ``x``.
NETWORKS = ("x", "mastodon", "bluesky", "threads")
_ALIASES = {"twitter": "x"}
_FIELDS = ("handle", "text", "network", "id")

# What each network allows in a handle (without the leading @).
_X = re.compile(r"[A-Za-z0-9_]{1,15}")
_MASTODON = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_BLUESKY = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
# Threads takes part in the fediverse, so a Mastodon user (@user@domain) is reachable too.
_THREADS = re.compile(
    r"[A-Za-z0-9._]{1,30}|[A-Za-z0-9_][A-Za-z0-9_.-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)
#: Where a Bluesky handle without a domain lives.
BLUESKY_DEFAULT_DOMAIN = "bsky.social"


def _network(value: Any) -> Any:
    if isinstance(value, str):
        name = value.strip().lower()
        return _ALIASES.get(name, name)
    return value


def _known_network(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and value not in NETWORKS:
        raise ValidationError(
            f"unknown network {value!r} (replies go to {', '.join(NETWORKS)})",
            field=attribute.name,
        )


def _text(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str):
        raise ValidationError("must be a string", field=attribute.name)


def _id(value: Any) -> Any:
    # Post ids are often numbers in exports; they are kept as the digits they are.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _optional_id(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValidationError("must be a non-empty string or a number", field=attribute.name)


def _at(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if value and not value.startswith("@"):
            return "@" + value
    return value


def _handle(instance: Mention, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip("@ ") or any(ch.isspace() for ch in value):
        raise ValidationError(
            "must be a handle such as @name, without spaces", field=attribute.name
        )


@attrs.frozen(kw_only=True)
class Mention:
    """An inbound mention to answer: who wrote, what they wrote, where, and the post's id.

    ``network`` is where the mention was posted (``x``, ``mastodon``,
    ``bluesky``, ``threads``); left out, the reply goes to the channel
    :func:`~crisiscomms.compose_replies` is asked for. ``id`` is the post's id,
    which the reply answers (``in_reply_to``).
    """

    handle: str = attrs.field(converter=_at, validator=_handle)
    text: str = attrs.field(default="", validator=_text)
    network: str | None = attrs.field(default=None, converter=_network, validator=_known_network)
    id: str | None = attrs.field(default=None, converter=_id, validator=_optional_id)

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], *, unknown: Literal["error", "ignore"] = "error"
    ) -> Mention:
        """A mention from a mapping with ``handle``, ``text``, ``network`` and ``id``.

        With ``unknown="error"`` (the default) another key is refused, naming it, so a
        misspelt ``txt`` is not read as a mention without text.
        """
        if not isinstance(data, Mapping):
            raise ValidationError("must be an object with handle, text, network and id")
        if unknown == "error":
            for key in data:
                if key not in _FIELDS:
                    raise ValidationError(
                        f"unknown field (a mention has {', '.join(_FIELDS)})", field=str(key)
                    )
        if "handle" not in data:
            raise ValidationError("is required", field="handle")
        return cls(**{key: data[key] for key in _FIELDS if key in data})


def mention_form(handle: str, network: str) -> str:
    """``handle`` as a reply on ``network`` must write it to reach the person.

    X: ``@name``. Mastodon: ``@user`` or ``@user@domain`` (a remote user needs
    the domain). Threads: ``@name``, or ``@user@domain`` for someone on another
    fediverse server. Bluesky: a full handle, ``@name.bsky.social`` when the
    domain is left out.

    Raises:
        ValidationError: the handle is not one the network allows (``field`` is ``handle``).
    """
    bare = handle.lstrip("@")
    if network == "x":
        if not _X.fullmatch(bare):
            raise ValidationError(
                "an X handle has 1 to 15 letters, digits or underscores", field="handle"
            )
        return "@" + bare
    if network == "mastodon":
        if not _MASTODON.fullmatch(bare):
            raise ValidationError("a Mastodon handle is @user or @user@domain", field="handle")
        return "@" + bare
    if network == "bluesky":
        if not _BLUESKY.fullmatch(bare) or len(bare) > 253:
            raise ValidationError(
                "a Bluesky handle is a domain name such as @name.bsky.social", field="handle"
            )
        return "@" + (bare if "." in bare else f"{bare}.{BLUESKY_DEFAULT_DOMAIN}").lower()
    if not _THREADS.fullmatch(bare):
        raise ValidationError(
            "a Threads handle has 1 to 30 letters, digits, '.' or '_' (or is @user@domain)",
            field="handle",
        )
    return "@" + bare


def read_mentions(
    path: str | os.PathLike[str],
    *,
    unknown: Literal["error", "ignore"] = "error",
    network: str | None = None,
) -> list[Mention]:
    """The mentions in a JSON Lines file: one object a line with ``handle``, ``text``,
    ``network`` and ``id``; blank lines are skipped. Each handle is checked against
    its line's network, else against ``network`` when given.

    Raises:
        LoadError: the file cannot be read, or a line is not a mention; the error
            names the file, the line and the field.
    """
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError as error:
        raise LoadError(f"cannot read the mentions: {error.strerror}", path=name) from None
    except UnicodeDecodeError:
        raise LoadError("not UTF-8 text", path=name) from None
    mentions: list[Mention] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise LoadError(f"not JSON: {error.msg}", path=name, line=number) from None
        try:
            mention = Mention.from_mapping(data, unknown=unknown)
            where = mention.network or _network(network)
            if where is not None:
                mention_form(mention.handle, where)
        except ValidationError as error:
            raise LoadError(error.reason, path=name, line=number, field=error.field) from None
        mentions.append(mention)
    return mentions
