"""Mastodon: a numbered thread, 500 characters a post unless the server allows more."""

from __future__ import annotations

from crisiscomms import counting, fitting
from crisiscomms.channels.base import Context
from crisiscomms.channels.social import ThreadChannel
from crisiscomms.counting import MASTODON_MAX_LENGTH
from crisiscomms.drafts import Draft

__all__ = ["MastodonChannel"]


class MastodonChannel(ThreadChannel):
    """A Mastodon thread. Mastodon counts grapheme clusters, every http(s) URL as 23
    and ``@user@domain`` as ``@user`` (:func:`crisiscomms.counting.mastodon_length`).

    500 is Mastodon's default; a server may allow more (or less). Draft for such a
    server with a configured channel::

        channel = MastodonChannel(limit=1000)            # or
        channel = get_channel("mastodon").with_limit(1000)

    The packaged channel table keeps the default; a configured channel is a separate
    object, so nothing global changes.
    """

    name = "mastodon"
    network = "mastodon"
    limit = MASTODON_MAX_LENGTH
    unit = "characters"
    counting = "graphemes, each http(s) URL as 23, @user@domain as @user; 500 unless configured"

    def __init__(self, *, limit: int = MASTODON_MAX_LENGTH) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"a Mastodon limit must be a positive whole number, not {limit!r}")
        # The class default is what the channel table advertises; a server's own limit
        # lives on the instance so one configured channel never changes another.
        self.limit = limit

    def with_limit(self, limit: int) -> MastodonChannel:
        """A copy of this channel for a server whose limit is ``limit`` characters."""
        return type(self)(limit=limit)

    def measure(self, text: str) -> int:
        return counting.mastodon_length(text)

    def draft(self, context: Context) -> Draft:
        """The thread; with the record's ``content_warning``, each post leaves room
        for it (Mastodon counts the warning toward the limit) and
        ``draft.metadata["spoiler_text"]`` holds it."""
        warning = " ".join(context.incident.content_warning.split())
        if not warning:
            return super().draft(context)
        parts = fitting.split_thread(
            self.render(context),
            limit=self.limit - self.measure(warning),
            measure=self.measure,
            channel=self.name,
            unit=self.unit,
        )
        return self.make_draft(context, parts, metadata={"spoiler_text": warning})
