"""Hostile and careless input: each case that once crashed, stalled or leaked is kept
here as a regression case, beside fuzzing (hypothesis) over every way in."""
