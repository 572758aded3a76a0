"""A reply to every mention that answers what it asks: :func:`compose_replies`.

Each mention is read for its intent (:mod:`crisiscomms.replies.intents`), and
answered from the record with that intent's template (``replies/<intent>.txt``,
one wording per line). The result lines up with the mentions, one draft each:
a mention left unanswered (``unrelated``) gets a draft with no parts.
"""

from __future__ import annotations

import zlib
from collections import Counter
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
from crisiscomms.replies.intents import UNRELATED, IntentRules, Reading
from crisiscomms.replies.mentions import NETWORKS, Mention, mention_form
from crisiscomms.voice import Spokesperson

__all__ = ["Wording", "compose_replies", "summarize", "summary_table"]

#: What parts a line of a reply template from the tail dropped first when room is short.
TAIL = " // "
_ANGRY = "angry"
# The intents whose reply already says sorry, or must not (a holding line commits to nothing).
_NO_APOLOGY = frozenset({"angry", "affected", "legal", "press", "thanks"})
_NO_EXTRA_STEP = frozenset({"action", "affected", "legal", "press", "safety"})


@attrs.frozen
class Wording:
    """One way to answer: the answer, and a tail dropped first when room is short."""

    answer: str
    tail: str = ""


def _mention(item: str | Mention | Mapping[str, Any], index: int) -> Mention:
    try:
        if isinstance(item, Mention):
            return item
        if isinstance(item, str):
            return Mention(handle=item)
        if isinstance(item, Mapping):
            return Mention.from_mapping(item)
    except ValidationError as error:
        where = f"mentions[{index}].{error.field}" if error.field else f"mentions[{index}]"
        raise ValidationError(error.reason, field=where) from None
    raise ValidationError("must be a handle or a mention record", field=f"mentions[{index}]")


class _Replier:
    """Renders each (channel, intent) template once per call and answers mentions with it."""

    def __init__(self, context: Context, rules: IntentRules) -> None:
        self.context = context
        self.rules = rules
        self.wordings: dict[tuple[str, str], tuple[Wording, ...]] = {}

    def wordings_for(self, channel: Channel, intent: str) -> tuple[Wording, ...]:
        key = (channel.name, intent)
        if key not in self.wordings:
            renderer = self.context.renderer
            name = renderer.first(
                f"replies/{channel.name}/{intent}.txt",
                f"replies/{intent}.txt",
                f"replies/{channel.name}/default.txt",
                "replies/default.txt",
            )
            source = tidy(renderer.render(name, self.context.variables(channel)))
            found = tuple(
                wording
                for wording in map(_wording, source.splitlines())
                if wording.answer or wording.tail
            )
            if not found:
                raise ValidationError(f"the template {name} gave no reply lines", field="template")
            self.wordings[key] = found
        return self.wordings[key]


def _wording(line: str) -> Wording:
    line = " ".join(line.split())
    if line.endswith(TAIL.rstrip()):
        line = line[: -len(TAIL.rstrip())]  # an empty tail ("... // ")
    answer, _, tail = line.partition(TAIL)
    return Wording(answer.strip(), tail.strip())


def compose_replies(
    incident: Incident,
    mentions: Iterable[str | Mention | Mapping[str, Any]],
    *,
    voice: str | Spokesperson | None = None,
    channel: str | Channel = "x",
    template_dirs: Sequence[str | Path] = (),
    rules: IntentRules | None = None,
) -> list[Draft]:
    """One reply draft per mention, in order, answering what each mention asks.

    ``mentions`` are handles (``"@alice"``), :class:`Mention` records or
    mappings with ``handle``, ``text``, ``network`` and ``id``. A reply goes to
    the mention's own ``network`` when it has one, else to ``channel`` (``x``,
    ``mastodon``, ``bluesky`` or ``threads``), starts with the handle in that
    network's form, then the answer, then the link; it is measured the
    network's way and fits its limit. The voice is by default the community
    manager's where the incident staffs one, else the brand's. ``channel`` may
    be a configured channel (``MastodonChannel(limit=1000)`` for a server that
    allows more); it then serves every mention on its network.

    Every draft's ``metadata`` holds ``intent`` (the most urgent intent read),
    ``intents`` (all of them), ``needs_human`` and ``reason`` (why a person
    should answer or check it), ``cues`` (the words that decided),
    ``in_reply_to`` (the mention's id), ``handle`` and ``network``.
    A mention read as ``unrelated`` gets a draft with no parts, so the list
    still lines up with the mentions. ``rules`` replaces the bundled intent
    rules (see :meth:`IntentRules.with_files`).
    """
    default_channel = get_channel(channel)
    if default_channel.name not in NETWORKS:
        raise ValidationError(
            f"replies go to {', '.join(NETWORKS)}, not {default_channel.name!r}", field="channel"
        )
    default = (
        "community-manager"
        if any(p.key == "community-manager" for p in incident.spokespeople)
        else "brand"
    )
    # Replies are public: they are drafted from the incident with private details withheld.
    context = prepare(
        incident, voice=voice, default_voice=default, template_dirs=template_dirs
    ).public
    replier = _Replier(context, rules or IntentRules.default())
    seen: set[str] = set()
    replies: list[Draft] = []
    for index, item in enumerate(mentions):
        mention = _mention(item, index)
        network = mention.network or default_channel.name
        target = default_channel if network == default_channel.name else get_channel(network)
        try:
            handle = mention_form(mention.handle, target.name)
        except ValidationError as error:
            raise ValidationError(error.reason, field=f"mentions[{index}].handle") from None
        reading = replier.rules.classify(mention.text)
        replies.append(_reply(replier, target, mention, handle, reading, seen))
    return replies


def _reply(
    replier: _Replier,
    target: Channel,
    mention: Mention,
    handle: str,
    reading: Reading,
    seen: set[str],
) -> Draft:
    context = replier.context
    needs_human, reason = reading.needs_human, reading.reason
    metadata: dict[str, Any] = {
        "intent": reading.intent,
        "intents": list(reading.intents),
        "needs_human": needs_human,
        "reason": reason,
        "cues": list(reading.cues),
        "in_reply_to": mention.id,
        "mention_id": mention.id,
        "handle": handle,
        "network": target.name,
    }
    if reading.intent == UNRELATED:
        return target.make_draft(context, (), metadata=metadata)
    incident = context.incident
    if reading.intent == "safety" and not incident.not_affected and not incident.data_loss:
        metadata["needs_human"] = True
        metadata["reason"] = (
            "safety: the record does not say what is safe, so the reply cannot; a person checks it"
        )
    wordings = replier.wordings_for(target, reading.intent)
    also = reading.intents[1:]
    prefix = context.voice.apology if _ANGRY in also and reading.intent not in _NO_APOLOGY else ""
    extra = ""
    steps = incident.user_actions
    if "affected" in also and reading.intent not in _NO_EXTRA_STEP and steps:
        # Hit by it and asking something else: the answer, then what to do about it.
        extra = steps[0].strip()
    start = zlib.crc32(f"{mention.handle.lower()}\n{mention.text}".encode()) % len(wordings)
    text = ""
    for attempt in range(len(wordings) + 1):
        wording = wordings[(start + attempt) % len(wordings)]
        answer = wording.answer
        if attempt == len(wordings):
            # The same person asking the same thing again: X refuses a duplicate post.
            answer = f"{answer} ({len(seen) + 1})"
        text, length = _fit(target, handle, prefix, answer, extra, wording.tail, context.link)
        if text not in seen:
            break
    seen.add(text)
    if wording.answer and wording.answer not in text:
        metadata["needs_human"] = True
        metadata["reason"] = "the answer was cut to fit the limit; a person checks it"
    return target.make_draft(context, (text,), lengths=(length,), metadata=metadata)


def _fit(
    target: Channel, handle: str, prefix: str, answer: str, extra: str, tail: str, link: str
) -> tuple[str, int]:
    """The reply within the limit, and its length."""
    whole = " ".join(piece for piece in (handle, prefix, answer, extra, tail, link) if piece)
    length = target.measure(whole)
    if length <= target.limit:
        return whole, length  # the common case: everything fits, measured once
    sections = [
        fitting.Section(text=handle, required=True, name="mention"),
        fitting.Section(text=prefix, name="apology", separator=" ", priority=4),
        fitting.Section(text=answer, name="answer", separator=" ", priority=9),
        fitting.Section(text=extra, name="also", separator=" ", priority=2),
        fitting.Section(text=tail, name="tail", separator=" ", priority=1),
        fitting.Section(text=link, required=True, name="status", separator=" "),
    ]
    text = fitting.fit_post(
        sections,
        limit=target.limit,
        measure=target.measure,
        channel=target.name,
        unit=target.unit,
    )
    return text, target.measure(text)


def summarize(replies: Iterable[Draft]) -> dict[str, dict[str, int]]:
    """Replies counted by intent: ``{intent: {"replies", "needs_human", "unanswered"}}``.

    Intents appear most urgent first (the bundled order), then any others by name;
    ``unanswered`` counts drafts with no parts.
    """
    counts: Counter[str] = Counter()
    human: Counter[str] = Counter()
    empty: Counter[str] = Counter()
    for reply in replies:
        intent = str(reply.metadata.get("intent", "question"))
        counts[intent] += 1
        human[intent] += bool(reply.metadata.get("needs_human"))
        empty[intent] += not reply.parts
    order = IntentRules.default().names
    names = [name for name in order if name in counts] + sorted(set(counts) - set(order))
    return {
        name: {"replies": counts[name], "needs_human": human[name], "unanswered": empty[name]}
        for name in names
    }


def summary_table(replies: Iterable[Draft]) -> str:
    """The summary as a plain-text table, one intent a row, with a total."""
    summary = summarize(replies)
    keys = ("replies", "needs_human", "unanswered")
    rows: list[list[str]] = [["intent", "replies", "needs a person", "no reply"]]
    rows += [[name, *(str(counts[key]) for key in keys)] for name, counts in summary.items()]
    rows.append(["total", *(str(sum(counts[key] for counts in summary.values())) for key in keys)])
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
    return "\n".join(lines) + "\n"
