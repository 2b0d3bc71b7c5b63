"""The seeded demo service: a whole, plainly fake QA repository to try ehqa on.

    from ehqa.demo import DemoOptions, write_demo
    counts = write_demo(Path("demo"), DemoOptions(seed=7, cycles=12))

writes ``qa.yaml``, ``staff.yaml``, ``cycles/YYYY-MM.yaml``,
``cycles/YYYY-MM.allocation.yaml``, ``audits/YYYY-MM/<case>.yaml``,
``audits/YYYY-MM/<case>.worker.yaml`` and the follow-up records in
``audits/YYYY-MM/<case>.records/`` into the folder, and a copy of the JSON Schemas
into ``schemas/`` unless the folder is this repository. The same options give the same
files, byte for byte: everything is drawn from ``random.Random`` seeded from
``options.seed``, and "today" is ``options.as_of``, never the clock.

The service is "Demoshire Early Help (demo data)"; staff names are invented, e-mail
addresses are on ``.example``, and case references are seven digits starting with 9.
"""

from __future__ import annotations

from ehqa.demo.generator import DemoOptions, DemoRefused, write_demo

__all__ = ["DemoOptions", "DemoRefused", "write_demo"]
