"""claimset: typed, span-exact, citation-flagged claim datasets from health web text."""

__version__ = "0.1.0"
