"""The one place that builds the Jinja environment.

Templates are rendered in a :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`
with :class:`~jinja2.StrictUndefined`, so a template cannot reach into
Python, cannot change a list or mapping it is given (the records it reads
are frozen, and their mappings read-only), and a misspelt variable is an
error rather than a blank. HTML templates are autoescaped. User folders come
first in a :class:`~jinja2.ChoiceLoader`, so one user file overrides one
packaged file.

Whatever goes wrong inside a template (a Jinja error, ``{{ 1/0 }}``, a filter
given the wrong type, a template that includes or extends itself, a result
too large to build) becomes one :class:`~crisiscomms.errors.TemplateError`
naming the template and line.
"""

from __future__ import annotations

import functools
import operator
import re
import types
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2
    import jinja2.sandbox

from crisiscomms import i18n, wording
from crisiscomms.errors import CrisisCommsError, TemplateError, ValidationError

__all__ = ["Renderer", "check_variables", "packaged_templates", "renderer"]

#: The longest text or list a template may build with ``*``, and the most bits
#: a number raised with ``**`` may have: far beyond any announcement, far
#: below what would exhaust memory.
MAX_SIZE = 100_000


# A width or precision over 99,999, or one taken from the arguments, in a
# %-format or a str.format field: "%999999999d" would build a gigabyte.
_PERCENT_WIDTH = re.compile(r"%[-+ #0]*(?:\d{6,}|\*)|%[-+ #0]*\d*\.(?:\d{6,}|\*)")
_FORMAT_WIDTH = re.compile(r"\{[^{}]*:[^{}]*(?:\d{6,}|\{)")


def _check_format(text: Any, pattern: re.Pattern[str]) -> None:
    if isinstance(text, str) and pattern.search(text):
        raise OverflowError(f"a format width or precision over {MAX_SIZE:,} (or from an argument)")


def _bounded_width(filter_: Any) -> Any:
    """A padding filter (``center``, ``indent``) refusing widths over :data:`MAX_SIZE`."""

    def bounded(value: Any, width: Any = 80, *args: Any, **kwargs: Any) -> Any:
        size = len(width) if isinstance(width, str) else width
        if isinstance(size, int) and size > MAX_SIZE:
            raise OverflowError(f"a width over {MAX_SIZE:,}")
        return filter_(value, width, *args, **kwargs)

    return bounded


def _bounded_format(filter_: Any) -> Any:
    """The ``format`` filter, refusing the widths ``%`` refuses."""

    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        _check_format(value, _PERCENT_WIDTH)
        return filter_(value, *args, **kwargs)

    return bounded


def _check_repeat(sequence: Any, count: Any) -> None:
    if (
        isinstance(sequence, (str, list, tuple))
        and isinstance(count, int)
        and len(sequence) * count > MAX_SIZE
    ):
        raise OverflowError(f"the result would be longer than {MAX_SIZE:,}")


def _freeze(value: Any) -> Any:
    """A read-only copy of the plain containers a caller passes to templates
    (records are frozen already)."""
    if isinstance(value, dict):
        return types.MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(item) for item in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(value)
    return value


@functools.cache
def _sandbox_class() -> type[jinja2.sandbox.ImmutableSandboxedEnvironment]:
    # Made on first use, so ``import crisiscomms`` does not import Jinja.
    import jinja2.sandbox

    class _Sandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
        """The immutable sandbox, with ``*``, ``**``, ``%`` and ``str.format`` bounded
        like ``range``."""

        intercepted_binops = frozenset({"*", "**", "%"})

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            # The sandbox hands str.format and format_map to a wrapper of its own.
            wrapped = getattr(__obj, "__wrapped__", __obj)
            if getattr(wrapped, "__name__", "") in {"format", "format_map"}:
                _check_format(getattr(wrapped, "__self__", None), _FORMAT_WIDTH)
            return super().call(__context, __obj, *args, **kwargs)

        def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
            if operator_ == "%":
                _check_format(left, _PERCENT_WIDTH)
                return operator.mod(left, right)
            if operator_ == "*":
                _check_repeat(left, right)
                _check_repeat(right, left)
                return operator.mul(left, right)
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and right > 0
                and max(left.bit_length(), 1) * right > MAX_SIZE
            ):
                raise OverflowError(f"the number would have more than {MAX_SIZE:,} bits")
            return operator.pow(left, right)

    return _Sandbox


def _settings(environment: jinja2.Environment) -> str:
    """What a template's compiled code depends on besides its source."""
    import jinja2

    escape = environment.autoescape
    return repr(
        (
            jinja2.__version__,
            type(environment).__mro__[1].__name__,
            sorted(environment.extensions),
            environment.trim_blocks,
            environment.lstrip_blocks,
            environment.keep_trailing_newline,
            environment.newline_sequence,
            environment.optimized,
            # Which templates escape: the packaged layouts are named *.html.
            [escape(name) if callable(escape) else escape for name in ("x.html", "x.txt", None)],
        )
    )


@functools.cache
def _bytecode_cache(settings: str) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between processes, so a new process does not compile
    them again (most of the command line's start): Jinja's cache, in a folder of
    the user's own that Jinja makes in the temporary folder. Its files are named
    for the Jinja version and the settings templates are compiled with, and a
    template whose source changes is compiled afresh. ``None`` where that folder
    cannot be made."""
    import contextlib
    import hashlib
    import pickle

    import jinja2

    tag = hashlib.sha1(settings.encode(), usedforsecurity=False).hexdigest()[:12]

    class QuietCache(jinja2.FileSystemBytecodeCache):
        """A cache that never fails a render: a file it cannot read or write (a full
        disk, a damaged file) means the template is compiled, as without a cache."""

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    try:
        return QuietCache(pattern=f"__crisiscomms-{tag}-%s.cache")
    except (OSError, RuntimeError):  # pragma: no cover - no usable temporary folder
        return None


def packaged_templates() -> Path:
    """The folder of the packaged templates (inside the wheel, or beside ``src/``)."""
    inside = resources.files("crisiscomms").joinpath("templates")
    if inside.is_dir():
        return Path(str(inside))
    # An editable install or a source checkout: templates/ sits beside src/.
    return Path(__file__).resolve().parents[2] / "templates"


class Renderer:
    """Renders named templates and their blocks; every Jinja error becomes a
    :class:`~crisiscomms.errors.TemplateError` naming the template and line.

    With ``auto_reload`` off (the default) each template is read and compiled
    once, and which names exist is remembered. Turn it on to pick up edits to
    files in ``template_dirs`` without restarting (a review server, for
    example); then every render checks those files' times again. Packaged
    templates are never checked again: they do not change while a process runs.
    """

    #: The caller's own names (``compose(variables=...)``), given to every template.
    variables: Mapping[str, Any] = MappingProxyType({})

    def __init__(self, *, template_dirs: Sequence[Path], auto_reload: bool = False) -> None:
        # Jinja is imported by the first renderer, not by ``import crisiscomms``.
        import jinja2.sandbox

        self.auto_reload = auto_reload
        # Names looked up and found missing; only kept while files are not reloaded.
        self._missing: set[str] = set()
        # What each template reads, and the shape of its source (see ``shape``).
        self._shapes: dict[str, tuple[str, frozenset[str]] | None] = {}
        loaders: list[jinja2.BaseLoader] = [
            jinja2.FileSystemLoader(str(path)) for path in template_dirs
        ]
        loaders.append(_packaged_loader_class()(str(packaged_templates())))
        self.environment = _sandbox_class()(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=jinja2.select_autoescape(["html"], default_for_string=False, default=False),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=auto_reload,
            extensions=["jinja2.ext.i18n"],
        )
        self.environment.bytecode_cache = _bytecode_cache(_settings(self.environment))
        # Fixed words go through the draft's catalogue: ``{{ _("Updates:") }}``.
        self.environment.install_gettext_callables(  # type: ignore[attr-defined]
            jinja2.pass_context(_gettext),
            jinja2.pass_context(_ngettext),
            newstyle=True,
            pgettext=jinja2.pass_context(_pgettext),
            npgettext=jinja2.pass_context(_npgettext),
        )
        # lipsum(n) writes n paragraphs: nothing an announcement needs.
        self.environment.globals.pop("lipsum", None)
        for name in ("center", "indent"):
            self.environment.filters[name] = _bounded_width(self.environment.filters[name])
        self.environment.filters["format"] = _bounded_format(self.environment.filters["format"])
        self.environment.filters.update(
            {
                "clock": wording.clock,
                # Context filters: they read the draft's zone, clock and time.
                "time": jinja2.pass_context(_time),
                "date_time": jinja2.pass_context(_date_time),
                "past_tense": wording.past_tense,
                "day": wording.day,
                "when": wording.when,
                "join_words": jinja2.pass_context(_join_words),
                "number": jinja2.pass_context(_number),
                "sentence": jinja2.pass_context(_sentence),
                "lower_first": wording.lower_first,
                "upper_first": wording.upper_first,
                "period": jinja2.pass_context(_sentence),
                "bare": wording.bare,
            }
        )

    def with_variables(self, variables: Mapping[str, Any]) -> Renderer:
        """This renderer, also giving ``variables`` to every template it renders.

        The compiled templates are shared; only the names differ. A name that
        is not an identifier, or that the library's own globals already use,
        is refused here; one that a template's own context uses, when rendering.
        """
        names = check_variables(variables)
        clash = sorted(set(names) & {*self.environment.globals, PHRASES_NAME})
        if clash:
            raise _clash(clash[0])
        bound = object.__new__(Renderer)
        bound.__dict__.update(self.__dict__)
        bound.variables = names
        return bound

    def _context(self, context: Mapping[str, Any]) -> dict[str, Any]:
        if not self.variables:
            return dict(context)
        clash = sorted(set(self.variables) & {*context, PHRASES_NAME})
        if clash:
            raise _clash(clash[0])
        return {**self.variables, **context}

    def _values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """What a template's context holds: ``values`` made read-only, and ``say``."""
        frozen = _frozen(values)
        frozen[PHRASES_NAME] = _Phrases(self.environment, frozen)
        return frozen

    def shape(self, name: str) -> tuple[str, frozenset[str]] | None:
        """``(source, names)``: the template's source without its comments, and every
        name that the code of it and of the templates it uses (includes, imports,
        ``say``) could read. Two templates with the same shape render the same
        text from the same values of those names. The names are read off the
        code's words, so they may be more than it reads, never fewer. ``None``
        where that cannot be told: a template named by anything but a string, or
        files that may change (``auto_reload``).
        """
        if self.auto_reload:
            return None
        if name not in self._shapes:
            self._shapes[name] = self._shape(name)
        return self._shapes[name]

    def _shape(self, name: str) -> tuple[str, frozenset[str]] | None:
        import jinja2

        names: set[str] = set()
        root = ""
        pending, seen = [name], set()
        loader = self.environment.loader
        assert loader is not None
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            try:
                source = _COMMENT.sub("", loader.get_source(self.environment, current)[0])
            except jinja2.TemplateError:
                return None  # rendering it reports the error
            if current == name:
                root = source
            for code in _CODE.findall(source):
                bare = _STRING.sub(" ", code)
                if '"' in bare or "'" in bare:
                    return None  # a string holding a tag's end: the tags cannot be told apart
                names.update(_IDENTIFIER.findall(bare))
                uses = _USES.match(code)
                if uses is not None:
                    plain = _PLAIN_USE.fullmatch(uses.group(1))
                    if plain is None:
                        return None  # named by a variable, a list or an expression
                    pending.append(plain.group(1)[1:-1])
            if PHRASES_NAME in names:
                pending.append(PHRASES_TEMPLATE)
        return root, frozenset(names)

    def exists(self, name: str) -> bool:
        """True when some folder has a template called ``name``."""
        if name in self._missing:
            return False
        import jinja2

        try:
            self.environment.get_template(name)
        except jinja2.TemplateNotFound:
            if not self.auto_reload:
                self._missing.add(name)
            return False
        except jinja2.TemplateError as error:
            raise _wrap(error, name) from None
        return True

    def first(self, *names: str) -> str:
        """The first of ``names`` that exists (the stage's own template, then the default)."""
        for name in names:
            if self.exists(name):
                return name
        raise TemplateError("no such template", template=" or ".join(names))

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Render the whole template ``name``."""
        values = self._context(context)  # a clash is the caller's error, not the template's
        try:
            template = self.environment.get_template(name)
            # The render function itself, not Template.render, so the traceback
            # keeps the frames that say which template and line failed.
            text = "".join(template.root_render_func(template.new_context(self._values(values))))
            return _finish(text, values)
        except TemplateError:
            raise
        except Exception as error:  # any failure of a user's template
            raise _wrap(error, name) from None

    def render_blocks(self, name: str, context: Mapping[str, Any]) -> dict[str, str]:
        """Render each top-level ``{% block %}`` of ``name`` on its own, in template order."""
        values = self._context(context)
        try:
            template = self.environment.get_template(name)
            # One context (and one ``say``) serves every block: what a block sets
            # stays in the block.
            shared = template.new_context(self._values(values))
            rendered: dict[str, str] = {}
            for block, render in template.blocks.items():
                text = "".join(render(shared)).strip()
                rendered[block] = _finish(text, values)
        except TemplateError:
            raise
        except Exception as error:  # any failure of a user's template
            raise _wrap(error, name) from None
        return rendered


def check_variables(variables: Mapping[str, Any]) -> dict[str, Any]:
    """``variables`` as a dict, once every name is checked to be a template identifier."""
    if not isinstance(variables, Mapping):
        raise ValidationError(
            f"must map names to values, not {type(variables).__name__}", field="variables"
        )
    for name in variables:
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise ValidationError(
                "must be a name a template can use (letters, digits and _, not first _)",
                field=f"variables.{name}",
            )
    return dict(variables)


def _clash(name: str) -> ValidationError:
    return ValidationError(
        "is a name crisiscomms gives every template; choose another name",
        field=f"variables.{name}",
    )


# A space the templates put between two sentences, where Japanese and Chinese put none:
# after a closing mark and before a letter that is not ASCII (a link keeps its space).
_IDEOGRAPHIC_SEAM = re.compile(
    r"(?<=[\u3002\uff01\uff1f\uff1a\u300d\u300f\uff09]) +(?=[^\x00-\x7f\s])"
)


def _finish(text: str, context: Mapping[str, Any]) -> str:
    """The rendered text as the draft's language sets it."""
    if _tag(context).split("-")[0] in ("ja", "zh"):
        return _IDEOGRAPHIC_SEAM.sub("", text)
    return text


def _tag(context: Mapping[str, Any]) -> str:
    """The draft's language (``locale`` in the context); English where none is given."""
    tag = context.get("locale")
    return tag if isinstance(tag, str) else i18n.DEFAULT


def _gettext(context: Mapping[str, Any], message: str) -> str:
    return i18n.gettext(_tag(context), message)


def _ngettext(context: Mapping[str, Any], singular: str, plural: str, count: int) -> str:
    return i18n.ngettext(_tag(context), singular, plural, count)


def _pgettext(context: Mapping[str, Any], where: str, message: str) -> str:
    return i18n.pgettext(_tag(context), where, message)


def _npgettext(
    context: Mapping[str, Any], where: str, singular: str, plural: str, count: int
) -> str:
    return i18n.npgettext(_tag(context), where, singular, plural, count)


def _time(context: Mapping[str, Any], moment: Any) -> str:
    """The time in the draft's zone and clock, with its day when that is not the
    draft's own day or is more than 18 hours away (``draft_time``)."""
    return wording.time_near(
        moment,
        context["tz"],
        context["clock_style"],
        since=context.get("draft_time"),
        locale=_tag(context),
    )


def _date_time(context: Mapping[str, Any], moment: Any) -> str:
    """The time with its day and date, in the draft's zone and clock."""
    return wording.when(
        moment,
        context["tz"],
        context["clock_style"],
        since=context.get("draft_time"),
        locale=_tag(context),
    )


def _join_words(context: Mapping[str, Any], items: Any, conjunction: str = "and") -> str:
    """The items joined as the draft's language joins a list."""
    tag = _tag(context)
    if tag == i18n.DEFAULT:
        return wording.join_words(items, conjunction=conjunction)
    return i18n.join_words(items, tag, alternatives=conjunction == "or")


def _number(context: Mapping[str, Any], value: Any) -> str:
    """A number written the draft's language's way (``4,200``; ``4.200`` in German)."""
    return i18n.number(value, _tag(context))


def _sentence(context: Mapping[str, Any], text: Any) -> str:
    """The text with the closing full stop of the draft's language where it has none."""
    return wording.period(text, locale=_tag(context))


@functools.cache
def _packaged_loader_class() -> type[jinja2.FileSystemLoader]:
    import jinja2

    class PackagedLoader(jinja2.FileSystemLoader):
        """The packaged templates: always up to date once loaded, so even a renderer
        that reloads users' files never checks these again."""

        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            source, filename, _ = super().get_source(environment, template)
            return source, filename, _always

    return PackagedLoader


def _always() -> bool:
    return True


# What shape() reads: comments, the code in tags, the words in it, and the tags that
# use another template ("{% include 'x' %}", "{% from 'x' import y %}").
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'", re.DOTALL)
_USES = re.compile(r"\{%[-+]?\s*(?:include|import|extends|from)\b(.*)", re.DOTALL)
# A use naming its template by one plain string, then only words and commas
# ("ignore missing", "with context", "import a, b", "as say").
_PLAIN_USE = re.compile(r"\s*(\"[^\"\\{}]*\"|'[^'\\{}]*')[\w\s,]*[-+]?%\}", re.DOTALL)

#: The name under which every template finds the shared phrases.
PHRASES_NAME = "say"
PHRASES_TEMPLATE = "common/phrases.txt"


class _Phrases:
    """``say``: the macros of ``common/phrases.txt`` with the rendering template's
    own names, made when a template first uses one, and once per render however
    many blocks use them (``{% import ... as say with context %}`` in each block
    still works, and costs a module each time)."""

    __slots__ = ("_environment", "_module", "_values")

    def __init__(self, environment: jinja2.Environment, values: dict[str, Any]) -> None:
        self._environment = environment
        self._values = values
        self._module: Any = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        module = self._module
        if module is None:
            template = self._environment.get_template(PHRASES_TEMPLATE)
            module = self._module = template.make_module(self._values)
        return getattr(module, name)


def _frozen(context: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _freeze(value) for key, value in context.items()}


def _wrap(error: BaseException, name: str) -> TemplateError:
    """The error as a TemplateError naming the innermost template and line it came from."""
    import jinja2

    template: str | None = None
    line: int | None = None
    if isinstance(error, jinja2.TemplateSyntaxError):
        template = error.name or error.filename
        line = error.lineno
    else:
        traceback = error.__traceback__
        while traceback is not None:
            source = traceback.tb_frame.f_globals.get("__jinja_template__")
            if source is not None:
                template = source.name or source.filename
                line = source.get_corresponding_lineno(traceback.tb_lineno)
            traceback = traceback.tb_next
    if isinstance(error, RecursionError):
        reason = "the template calls, includes or extends itself without end"
    elif isinstance(error, (jinja2.TemplateError, CrisisCommsError)):
        reason = str(error) or type(error).__name__
    else:
        reason = f"{type(error).__name__}: {error}"
    # The message may quote a value from the incident: one short, printable line.
    reason = "".join(ch if ch.isprintable() else " " for ch in reason)
    if len(reason) > 200:
        reason = reason[:197] + "..."
    return TemplateError(reason, template=template or name, line=line)


@functools.lru_cache(maxsize=32)
def _cached(dirs: tuple[str, ...], auto_reload: bool) -> Renderer:
    return Renderer(template_dirs=[Path(path) for path in dirs], auto_reload=auto_reload)


def renderer(template_dirs: Sequence[str | Path] = (), *, auto_reload: bool = False) -> Renderer:
    """A renderer searching ``template_dirs`` before the packaged templates.

    Renderers are shared per list of folders, so compiled templates are reused
    across calls. A folder that does not exist is refused. ``auto_reload``
    (off by default) re-reads edited template files; see :class:`Renderer`.
    """
    dirs: list[str] = []
    for path in template_dirs:
        resolved = Path(path).expanduser().resolve()
        if not resolved.is_dir():
            raise TemplateError("template folder does not exist", template=str(path))
        dirs.append(str(resolved))
    return _cached(tuple(dirs), auto_reload)
