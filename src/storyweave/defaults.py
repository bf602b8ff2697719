"""The run options' defaults, defined once for the CLI, the HTTP API and both engines."""

from __future__ import annotations

#: A story closes after this many days without a new report (grouping's window).
QUIET_DAYS = 7
#: Sentences in each story's summary.
SUMMARY_SENTENCES = 5
