"""The word lists the privacy checks use, from maintained packages, read offline.

- ``package_given_names``: given names from Faker's person providers (the ``faker`` package,
  maintained and released monthly): England and Wales' own list from the ONS (``en_GB``), Irish
  (``en_IE``), the most common US names (``en_US``), and the Latin-script lists for the largest
  communities of English local authorities (``en_IN``, ``en_PK``, ``pl_PL``, ``ro_RO``, ``lt_LT``,
  ``pt_PT``): about 3,200 names. A service adds its own in ``qa.yaml``
  (``publication.given_names``): newer names such as Isla or Theo, or names of its communities.
- ``common_words``: the 1,000 or so most common English words (Faker's ``en_US`` lorem list:
  common verbs, nouns, adjectives and adverbs). A given name that is also one of these (Hope,
  Will, Summer, Young) is not flagged from the package list: it would fail ordinary prose.
- ``CALENDAR_WORDS``: months, days and seasons (May, June, April, August, Summer...), never
  flagged as a given name from the package list: dates are everywhere in an excerpt.

Names are folded (``normalise.fold``) and lowercased, so that ``Zoë`` and ``Zoe`` are one name.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from ehqa.model.wording import DAYS, MONTHS
from ehqa.privacy.normalise import fold_text

NAME_LOCALES = ("en_GB", "en_IE", "en_US", "en_IN", "en_PK", "pl_PL", "ro_RO", "lt_LT", "pt_PT")
CALENDAR_WORDS = frozenset(
    [name.lower() for name in (*MONTHS, *DAYS)]
    + ["spring", "summer", "autumn", "winter"]
)


@lru_cache(maxsize=1)
def package_given_names() -> frozenset[str]:
    """Every given name of Faker's lists for NAME_LOCALES, folded and lowercased."""
    names: set[str] = set()
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            names.update(getattr(provider, attribute, ()))
    return frozenset(key for key in (name_key(n) for n in names) if key)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The most common English words, lowercased (Faker's en_US lorem word list)."""
    from faker.providers.lorem.en_US import Provider

    return frozenset(word.lower() for word in Provider.word_list)


def name_key(name: str) -> str:
    """A given name as it is looked up: folded, lowercased, without a possessive ``'s``."""
    folded = fold_text(name).strip().lower()
    for suffix in ("'s", "’s", "'", "’"):
        if folded.endswith(suffix):
            folded = folded[: -len(suffix)]
            break
    return folded
