"""Privacy: what the learning site may never show, found however it is spelt (R21; docs/github.md,
"Data that must stay private").

- ``normalise``: text folded for matching (NFKC, format characters removed, every script's digits
  read as digits, look-alike letters mapped, accents folded), with the way back to the original;
- ``decode``: HTML entities, JSON/JavaScript escapes and %-escapes undone, with the way back;
- ``identifiers``: every case reference and staff name, id, handle and email of a repository;
- ``matcher``: one compiled matcher for those identifiers, spelling by spelling, with ``names``
  (staff names in every order and form), ``digits`` (references split by separators) and
  ``patterns`` (the tries and pieces of expression they are built from);
- ``leak_scan``: the scan of a built site, file by file, that ends every ``ehqa build``;
- ``vocabulary``: the given names and common English words the child-identity check uses;
- ``child_identity``: what looks like a child's identity in free text (a given name, an age, a
  date of birth, a postcode, a street address, a never-publish name);
- ``published``: the scan of every field of the data that the site publishes, run by
  ``ehqa validate`` so that a leak is refused when it is written, not only at build.
"""
