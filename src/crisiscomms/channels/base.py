"""What every channel shares: the :class:`Channel` contract and the render :class:`Context`."""

from __future__ import annotations

import abc
import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any, ClassVar

import attrs

from crisiscomms import i18n, markup, wording
from crisiscomms.drafts import Draft
from crisiscomms.findings import Finding
from crisiscomms.incident import Incident, Stage, Update
from crisiscomms.templating import Renderer
from crisiscomms.voice import Spokesperson, Voice

__all__ = ["Channel", "Context"]


# Names whose values differ between channels: a template that does not read them
# renders the same text for every channel.
_PER_CHANNEL = frozenset({"channel", "account"})
# Values compared by type and value in the key of a rendered text; others (records,
# times: equal instants in two zones read differently) by identity.
_PLAIN = (str, int, float, bool)


@attrs.frozen(kw_only=True)
class Context:
    """Everything a channel needs to draft: the facts, who speaks, which update."""

    incident: Incident
    speaker: Spokesperson
    voice: Voice
    renderer: Renderer
    update: Update | None = None
    update_number: int | None = None
    #: The draft's language (a BCP 47 tag); the incident's text is already in it.
    locale: str = "en"
    #: The findings of each public draft already made, by channel (for the internal alert).
    reviews: Mapping[str, tuple[Finding, ...]] = attrs.field(factory=dict, hash=False)
    # Markdown sources already parsed, by source text. attrs.evolve hands the same
    # dict on, so the private and public contexts of one compose parse each source once.
    _parsed: dict[str, Any] = attrs.field(factory=dict, eq=False, repr=False)
    # Texts already rendered, by template shape and the values it reads (see ``render``).
    _rendered: dict[Any, tuple[list[Any], str]] = attrs.field(factory=dict, eq=False, repr=False)

    def render(self, name: str, values: Mapping[str, Any]) -> str:
        """The template ``name`` rendered with ``values``, once per compose for the
        same text: channels whose templates have the same shape (the thread
        channels all include ``common/thread.txt``) and read the same values get
        the text the first of them rendered."""
        renderer = self.renderer
        shape = renderer.shape(name)
        if shape is None:
            return renderer.render(name, values)
        source, reads = shape
        key: list[Any] = [source]
        kept: list[Any] = []  # held, so that no id in the key can be reused meanwhile
        for item, value in sorted(values.items()):
            if item in _PER_CHANNEL and item not in reads:
                continue
            if (
                value is None
                or isinstance(value, _PLAIN)
                or (isinstance(value, tuple) and all(isinstance(part, str) for part in value))
            ):
                key.append((item, type(value), value))
            else:
                key.append((item, id(value)))
                kept.append(value)
        found = self._rendered.get(tuple(key))
        if found is not None:
            return found[1]
        text = renderer.render(name, values)
        self._rendered[tuple(key)] = (kept, text)
        return text

    def markdown(self, source: str) -> Any:
        """The tokens of the Markdown ``source``, parsed once per compose."""
        tokens = self._parsed.get(source)
        if tokens is None:
            tokens = self._parsed[source] = markup.parse(source)
        return tokens

    @property
    def stage(self) -> Stage:
        """The stage being announced (the chosen update's, else the incident's)."""
        return self.update.stage if self.update is not None else self.incident.stage

    @property
    def next_update_at(self) -> dt.datetime | None:
        """When the next update is promised; never once the incident is resolved."""
        if not self.stage.is_open:
            return None
        if self.update is not None and self.update.next_update_at is not None:
            return self.update.next_update_at
        return self.incident.next_update_at

    @property
    def last_updated(self) -> dt.datetime | None:
        """When this announcement is made: the announced update's time, else the
        record's ``updated_at``; ``None`` when the record says neither (a draft then
        shows no "last updated" rather than the start time)."""
        if self.update is not None:
            return self.update.at
        return self.incident.updated_at

    @property
    def headline(self) -> str:
        """A headline true for the stage: the record's (or the update's) ``headline``,
        else its title; once the incident is over, a headline written while it was
        open is put in the past tense ("Card payments were down")."""
        incident = self.incident
        text = incident.headline or incident.title
        if not self.stage.is_open and not incident.headline and self.locale == "en":
            # Only English verbs are known; another language's headline is
            # written for the stage by its translation's ``headline``.
            return wording.past_tense(text)
        return text

    @property
    def short_headline(self) -> str:
        """The headline for an SMS or a first post: ``short_headline``, else :attr:`headline`."""
        incident = self.incident
        if incident.short_headline:
            if not self.stage.is_open and not incident.headline and self.locale == "en":
                return wording.past_tense(incident.short_headline)
            return incident.short_headline
        return self.headline

    @functools.cached_property
    def summary_text(self) -> str:
        """The incident's Markdown summary as plain text (rendered once per context)."""
        return markup.to_text(self.markdown(self.incident.summary), width=None)

    @functools.cached_property
    def update_text(self) -> str:
        """The chosen update's message as plain text, or empty without an update."""
        return markup.to_text(self.markdown(self.update.message), width=None) if self.update else ""

    @property
    def link(self) -> str:
        """Where readers follow the incident: the post-mortem once it is the stage
        announced and published, else the status page."""
        incident = self.incident
        if self.stage.value == "postmortem" and incident.postmortem_url:
            return incident.postmortem_url
        return incident.status_url

    def account(self, network: str) -> str | None:
        """The handle that posts on ``network``: the speaker's own where the voice says so.

        For ``email`` it is the sending address: the speaker's, else the
        organization's sender (or support) address.
        """
        if network == "email":
            return self.speaker.email or self.incident.organization.from_email
        if self.voice.posts_as == "own" and network in self.speaker.handles:
            return self.speaker.handles[network]
        return self.incident.organization.handles.get(network)

    def variables(self, channel: Channel) -> dict[str, Any]:
        """The names every template can use."""
        incident = self.incident
        return {
            "incident": incident,
            "org": incident.organization,
            "stage": self.stage,
            "severity": incident.severity,
            "speaker": self.speaker,
            "voice": self.voice,
            "update": self.update,
            "update_number": self.update_number,
            "updates_total": len(incident.updates),
            "last_updated": self.last_updated,
            "draft_time": self.last_updated,
            "next_update_at": self.next_update_at,
            "tz": incident.zone,
            # None follows the language's custom (12-hour in English, 24-hour in German).
            "clock_style": incident.clock or incident.organization.clock,
            "locale": self.locale,
            "direction": i18n.direction(self.locale),
            "headline_text": self.headline,
            "short_headline": self.short_headline,
            "first_actions": incident.first_actions,
            "later_actions": incident.later_actions,
            "user_actions": incident.all_user_actions,
            "apologise": incident.severity.rank > 0,
            "status_url": incident.status_url,
            "link_url": self.link,
            "summary_text": self.summary_text,
            "update_text": self.update_text,
            "channel": channel.name,
            "account": self.account(channel.network),
        }


class Channel(abc.ABC):
    """A place an announcement goes, with its limit and its way of counting.

    Subclasses set the class attributes and implement :meth:`measure` and
    :meth:`draft`. ``measure`` returns the length in ``unit`` that the
    platform compares against ``limit``.
    """

    name: ClassVar[str]
    #: The platform's limit; an instance may carry its own (a Mastodon server's).
    limit: int
    unit: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]] = ()
    #: The network whose handles post this channel (``x`` for the X thread).
    network: ClassVar[str] = ""
    #: False for channels only the response team sees (they keep private details).
    public: ClassVar[bool] = True
    #: How the channel counts, in a sentence for the docs and the command line.
    counting: ClassVar[str] = ""

    @abc.abstractmethod
    def measure(self, text: str) -> int:
        """The length of ``text`` as the platform counts it, in :attr:`unit`."""

    def variables(self, context: Context) -> dict[str, Any]:
        """The names this channel's templates can use: the shared ones, unless a
        channel adds its own."""
        return context.variables(self)

    def fits(self, text: str) -> bool:
        """True when ``text`` is within the limit."""
        return self.measure(text) <= self.limit

    @abc.abstractmethod
    def draft(self, context: Context) -> Draft:
        """Compose this channel's draft."""

    def template(self, context: Context, kind: str) -> str:
        """The template for the stage (``x/resolved.txt``), else the channel's default."""
        folder = self.name
        return context.renderer.first(
            f"{folder}/{context.stage.value}.{kind}", f"{folder}/default.{kind}"
        )

    def make_draft(
        self,
        context: Context,
        parts: tuple[str, ...],
        *,
        kind: type[Draft] = Draft,
        lengths: tuple[int, ...] | None = None,
        **extra: Any,
    ) -> Draft:
        """A draft (a :class:`Draft`, or the subclass ``kind``) with the team filled in.

        ``lengths`` are the parts' measures unless the channel measures something
        else (the email's subject).
        """
        team = context.incident.team
        return kind(
            channel=self.name,
            parts=parts,
            lengths=tuple(map(self.measure, parts)) if lengths is None else lengths,
            limit=self.limit,
            unit=self.unit,
            stage=context.stage.value,
            voice=context.speaker.key,
            account=context.account(self.network),
            posted_by=team.responders.get(self.name),
            approved_by=team.approver,
            **extra,
        )

    def describe(self) -> Mapping[str, Any]:
        """Name, limit, unit and the counting rule, for listings."""
        return {
            "name": self.name,
            "limit": self.limit,
            "unit": self.unit,
            "counting": self.counting,
            "aliases": list(self.aliases),
        }

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} limit={self.limit} unit={self.unit!r}>"
