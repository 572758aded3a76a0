"""A reply to every single mention: ``compose_replies``.

Each reply starts with its mention, points to the status link and stays
within the network's limit. Replies vary by mention, so no two are
identical (X refuses duplicate posts), and the same mentions always get the
same replies.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from crisiscomms import fitting
from crisiscomms.channels import Channel, Context, get_channel
from crisiscomms.channels.social import tidy
from crisiscomms.compose import prepare
from crisiscomms.drafts import Draft
from crisiscomms.errors import ValidationError
from crisiscomms.incident import Incident
from crisiscomms.voice import Spokesperson

__all__ = ["Mention", "compose_replies"]


def _handle(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not value.strip("@ ") or any(ch.isspace() for ch in value):
        raise ValidationError(
            "must be a handle such as @name, without spaces", field=attribute.name
        )


def _at(value: Any) -> Any:
    if isinstance(value, str) and value and not value.startswith("@"):
        return "@" + value
    return value


@attrs.frozen(kw_only=True)
class Mention:
    """An inbound mention to answer: who wrote, what they wrote, and where."""

    handle: str = attrs.field(converter=_at, validator=_handle)
    text: str = ""
    network: str = "x"
    id: str | None = None


def _mention(item: str | Mention | Mapping[str, Any], index: int) -> Mention:
    try:
        if isinstance(item, Mention):
            return item
        if isinstance(item, str):
            return Mention(handle=item.strip())
        if isinstance(item, Mapping):
            return Mention(**item)
    except ValidationError as error:
        raise ValidationError(error.reason, field=f"mentions[{index}].{error.field}") from None
    except TypeError as error:
        raise ValidationError(str(error), field=f"mentions[{index}]") from None
    raise ValidationError("must be a handle or a mention record", field=f"mentions[{index}]")


def compose_replies(
    incident: Incident,
    mentions: Iterable[str | Mention | Mapping[str, Any]],
    *,
    voice: str | Spokesperson | None = None,
    channel: str = "x",
    template_dirs: Sequence[str | Path] = (),
) -> list[Draft]:
    """One reply per mention, in the responder's voice (by default the community manager's
    where the incident staffs one, else the brand's).

    Each reply starts with its mention, carries the status link and fits
    ``channel``'s limit; no two replies are identical.
    """
    target = get_channel(channel)
    default = (
        "community-manager"
        if any(p.key == "community-manager" for p in incident.spokespeople)
        else "brand"
    )
    # Replies are public: they are drafted from the incident with private details withheld.
    context = prepare(
        incident, voice=voice, default_voice=default, template_dirs=template_dirs
    ).public
    source = context.renderer.render(
        context.renderer.first(f"replies/{target.name}.txt", "replies/default.txt"),
        context.variables(target),
    )
    bodies = [" ".join(line.split()) for line in tidy(source).splitlines() if line.strip()]
    if not bodies:
        raise ValidationError("the reply template gave no reply lines", field="template")
    link = context.link
    seen: set[str] = set()
    replies: list[Draft] = []
    for index, item in enumerate(mentions):
        mention = _mention(item, index)
        start = zlib.crc32(mention.handle.lower().encode("utf-8")) % len(bodies)
        text = ""
        for attempt in range(len(bodies) + 1):
            body = bodies[(start + attempt) % len(bodies)]
            if attempt == len(bodies):
                body = f"{body} (reply {index + 1})"
            text = fitting.fit_post(
                [
                    fitting.Section(text=mention.handle, required=True, name="mention"),
                    fitting.Section(text=body, name="body", separator=" ", priority=1),
                    fitting.Section(text=link, required=True, name="status", separator=" "),
                ],
                limit=target.limit,
                measure=target.measure,
                channel=target.name,
                unit=target.unit,
            )
            if text not in seen:
                break
        seen.add(text)
        replies.append(_reply_draft(target, context, text, mention))
    return replies


def _reply_draft(target: Channel, context: Context, text: str, mention: Mention) -> Draft:
    return target.make_draft(
        context, (text,), metadata={"in_reply_to": mention.handle, "mention_id": mention.id}
    )
