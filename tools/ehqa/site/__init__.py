"""The learning site (R21): anonymised, aggregated learning from the audits, built with MkDocs.

Data flows one way, each step in its own module:

- ``load``: the repository, read through a cache of every file that loaded cleanly;
- ``stats`` and ``compliance``: the figures that may be published, counted by cycle, domain,
  theme, year, rule and (only from k audits up) team, never by person;
- ``charts``: SVG charts written as text, cached by the hash of their data;
- ``tables``, ``reports`` and ``pages``: each page's context, rendered from the Jinja templates in
  ``site_templates/`` into Markdown;
- ``forms``: the follow-up forms and the Perspective of Worker form, generated from the JSON Schemas
  (issue 11), which the page's own script turns into a file in the browser;
- ``build``: writes the pages that changed, runs MkDocs, and ends with the leak scan of
  ``privacy.site_scan``.

``serve`` rebuilds the preview as the data changes; ``ehqa build`` and ``ehqa serve`` are the commands.
"""
