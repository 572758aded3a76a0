"""Checking a draft again after someone edited it: posts split, measured and tone-checked.

``crisiscomms draft --out`` writes a thread's posts into one file, separated
by a line holding only ``---``, and the email as ``Subject: ...``, a blank
line, then the plain-text body. :func:`check_posts` reads either back,
measures each post the way its channel does, reports a post over the limit
as an error finding (``length.over-limit``) and applies the tone rules.
"""

from __future__ import annotations

import re

import attrs

from crisiscomms import tone
from crisiscomms._validate import to_enum
from crisiscomms.channels import Channel, get_channel
from crisiscomms.channels.social import ThreadChannel
from crisiscomms.errors import UnknownNameError, ValidationError
from crisiscomms.findings import Finding, Level
from crisiscomms.incident import Severity, Stage
from crisiscomms.voice import Spokesperson, preset_names

__all__ = ["OVER_LIMIT", "SEPARATOR", "Post", "check_posts", "split_posts"]

#: What ``draft --out`` writes between a thread's posts.
SEPARATOR = "\n\n---\n\n"
#: The rule named by a finding for a post (or subject line) over its channel's limit.
OVER_LIMIT = "length.over-limit"

_SEPARATOR_LINE = re.compile(r"(?m)^[ \t]*---[ \t]*\r?$")
_SUBJECT = re.compile(r"\A[ \t]*Subject:[ \t]*(?P<subject>[^\r\n]*)(?:\r?\n|\Z)", re.IGNORECASE)


@attrs.frozen(kw_only=True)
class Post:
    """One post read back from a file: its text and where it starts in the file.

    ``kind`` is ``"post"``, or ``"subject"`` for an email's subject line
    (measured against the channel's limit but not tone-checked, as in a draft).
    """

    text: str
    start: int
    kind: str = "post"

    @property
    def end(self) -> int:
        """Where the post ends in the file."""
        return self.start + len(self.text)


def _stripped(text: str, start: int, end: int) -> Post | None:
    segment = text[start:end]
    leading = len(segment) - len(segment.lstrip())
    body = segment.strip()
    return Post(text=body, start=start + leading) if body else None


def split_posts(text: str, *, channel: str | Channel) -> list[Post]:
    """The posts of a file as ``draft --out`` writes it for ``channel``.

    A thread's channel (X, Mastodon, Bluesky, Threads) splits on the lines
    holding only ``---``; any other channel's file is one post, so a Markdown
    rule in a status page's body does not split it. For the email a first
    line ``Subject: ...`` gives the subject, and the rest is the body.
    """
    chosen = get_channel(channel)
    posts: list[Post] = []
    start = 0
    if chosen.name == "email":
        found = _SUBJECT.match(text)
        if found is not None:
            posts.append(
                Post(
                    text=found.group("subject").strip(),
                    start=found.start("subject"),
                    kind="subject",
                )
            )
            start = found.end()
    bounds: list[tuple[int, int]] = []
    if isinstance(chosen, ThreadChannel):
        for separator in _SEPARATOR_LINE.finditer(text, start):
            bounds.append((start, separator.start()))
            start = separator.end()
    bounds.append((start, len(text)))
    for begin, end in bounds:
        post = _stripped(text, begin, end)
        if post is not None:
            posts.append(post)
    return posts


def _voice(voice: str | Spokesperson | None) -> str | None:
    if voice is None or isinstance(voice, Spokesperson):
        return None if voice is None else voice.preset
    key = voice.strip().lower()
    if key not in preset_names():
        raise UnknownNameError(
            f"unknown voice {voice!r}", kind="voice", name=voice, known=preset_names()
        )
    return key


def _enum_value(kind: type[Stage] | type[Severity], value: str | None, field: str) -> str | None:
    if value is None:
        return None
    try:
        return str(to_enum(kind, value).value)
    except ValidationError as error:
        raise ValidationError(error.reason, field=field) from None


def _over_limit(channel: Channel, post: Post, *, part: int, what: str) -> Finding | None:
    measured = channel.measure(post.text)
    if measured <= channel.limit:
        return None
    unit = channel.unit[:-1] if measured == 1 and channel.unit.endswith("s") else channel.unit
    return Finding(
        rule=OVER_LIMIT,
        level=Level.ERROR,
        channel=channel.name,
        message=(
            f"{what} measures {measured:,} {unit}, {measured - channel.limit:,} over "
            f"{channel.name}'s limit of {channel.limit:,}"
        ),
        start=0,
        end=len(post.text),
        part=part,
    )


def check_posts(
    text: str,
    *,
    channel: str | Channel,
    voice: str | Spokesperson | None = None,
    stage: str | Stage | None = None,
    severity: str | Severity | None = None,
    rules: tone.RuleSet | None = None,
    locale: str | None = None,
) -> list[Finding]:
    """Check a file's posts as ``channel`` would publish them.

    The file is split by :func:`split_posts`; each post (for the email,
    its subject line only) is measured with the channel's own ``measure``, and one
    over ``limit`` is an error finding, rule :data:`OVER_LIMIT`. The posts
    are then tone-checked together, as a draft's parts are. A finding's
    ``part`` is the index into ``split_posts(text, channel=channel)`` and its
    ``start`` and ``end`` are offsets into that post's text. Names are
    matched in any case. ``locale`` is the text's language (English when
    ``None``): it picks the bundled tone rules when ``rules`` is ``None``.
    """
    chosen = get_channel(channel)
    posts = split_posts(text, channel=chosen)
    stage_value = _enum_value(Stage, stage.value if isinstance(stage, Stage) else stage, "stage")
    severity_value = _enum_value(
        Severity, severity.value if isinstance(severity, Severity) else severity, "severity"
    )
    voice_value = _voice(voice)
    bodies = [(index, post) for index, post in enumerate(posts) if post.kind == "post"]
    findings: list[Finding] = []
    for index, post in enumerate(posts):
        if chosen.name == "email" and post.kind != "subject":
            continue  # the email's limit is the subject line's; its body has none
        if post.kind == "subject":
            what = "the subject line"
        elif len(bodies) > 1:
            number = next(n for n, (i, _) in enumerate(bodies, start=1) if i == index)
            what = f"post {number} of {len(bodies)}"
        else:
            what = "the post"
        found = _over_limit(chosen, post, part=index, what=what)
        if found is not None:
            findings.append(found)
    if bodies:
        toned = tone.check_parts(
            [post.text for _, post in bodies],
            channel=chosen.name,
            voice=voice_value,
            stage=stage_value,
            severity=severity_value,
            rules=rules,
            locale=locale,
        )
        findings.extend(attrs.evolve(found, part=bodies[found.part][0]) for found in toned)
    return sorted(findings, key=lambda found: (found.part, found.start, found.rule))
