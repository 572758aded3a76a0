"""Compiles the message catalogues (``.po``) into ``.mo`` files inside the wheel.

The ``.mo`` files are build products: they are never committed, and a source
checkout reads the ``.po`` files directly (see ``crisiscomms.i18n``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogueHook(BuildHookInterface):  # type: ignore[misc]
    """Adds ``crisiscomms/locales/<lang>/LC_MESSAGES/crisiscomms.mo`` to the wheel."""

    PLUGIN_NAME = "catalogues"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root) / "src" / "crisiscomms" / "locales"
        self._out = tempfile.TemporaryDirectory()
        for po in sorted(root.glob("*/LC_MESSAGES/crisiscomms.po")):
            language = po.parent.parent.name
            with po.open("rb") as file:
                catalogue = read_po(file, locale=language)
            target = Path(self._out.name) / language / "crisiscomms.mo"
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as file:
                write_mo(file, catalogue)
            inside = f"crisiscomms/locales/{language}/LC_MESSAGES/crisiscomms.mo"
            build_data["force_include"][str(target)] = inside

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        out = getattr(self, "_out", None)
        if out is not None:
            out.cleanup()
