"""ehqa: Early Help case-audit quality assurance, with the Git repository as the system.

Data flows one way: ``load`` (files to a typed model) -> ``rules`` (validation,
follow-ups, re-audits) -> planners -> renderers -> a thin ``cli``.
"""

__version__ = "0.1.0"
