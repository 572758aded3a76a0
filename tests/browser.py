"""What the browser tests share: the colour arithmetic their page probes run, and the
folder their screenshots are kept in."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# JavaScript functions for a probe to start with: ``channels`` reads a computed colour,
# ``luminance`` is its relative luminance (WCAG 2), ``backdrop`` the first opaque
# background behind an element (white when none is).
COLOUR_FUNCTIONS = """
  function channels(colour) { return (colour.match(/[\\d.]+/g) || []).map(Number); }
  function luminance(rgb) {
    var lin = rgb.slice(0, 3).map(function (c) {
      c = c / 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  }
  function backdrop(element) {
    for (; element; element = element.parentElement) {
      var rgb = channels(getComputedStyle(element).backgroundColor);
      if (rgb.length === 3 || (rgb.length === 4 && rgb[3] > 0)) { return rgb; }
    }
    return [255, 255, 255];
  }
"""


def artifacts_folder() -> Path:
    """The folder ``CRISISCOMMS_ARTIFACTS`` names (default: ``artifacts/``), made if missing."""
    folder = Path(os.environ.get("CRISISCOMMS_ARTIFACTS") or ROOT / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
