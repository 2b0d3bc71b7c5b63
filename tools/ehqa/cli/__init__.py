"""The ``ehqa`` command line: one module per command, named after it, over the layers below.

``app`` gathers the commands into the group and holds the console script; ``params`` holds every
parameter type and shared option. A command parses, calls one function of a lower layer, and
prints; heavy modules are imported inside each command, so that ``ehqa --help`` is quick.
"""

from ehqa.cli.app import cli, main

__all__ = ["cli", "main"]
