"""Working days: weekends and bank holidays, for every timescale that counts them.

The cycle's dates (R5, R7, R13) are moved off weekends and bank holidays, and the
follow-up obligations (R11, R15, R16) are counted in working days. Bank holidays come
from the maintained ``holidays`` package, for the country and subdivision set in
qa.yaml (``service.bank_holidays``; England by default) — never from a list written
here, which would go stale the first time a Jubilee or a coronation adds a day.

The definitions, in one place:

- a **working day** is a day that is not a weekend day of the country (Saturday and
  Sunday in the UK) and not one of its bank holidays, observed days included
  (2026-12-28, Boxing Day observed, is not a working day);
- ``working_days_between(a, b)`` counts the working days **after** ``a`` up to and
  including ``b``; it is 0 when ``a == b`` and negative (minus the count from ``b`` to
  ``a``) when ``b`` is before ``a``. So "how many working days late" is
  ``working_days_between(due, today)``, positive once the due day has passed;
- ``add_working_days(d, n)`` is the earliest working day ``x`` on or after ``d`` with
  ``working_days_between(d, x) >= n``: for ``n = 0`` that is ``d`` itself when it is a
  working day, else the next working day; for ``n >= 1`` it is the n-th working day
  after ``d`` (Friday + 1 is Monday; Saturday + 1 is also Monday);
- ``previous_working_day(d)`` and ``next_working_day(d)`` are ``d`` itself when it is a
  working day, else the nearest working day before or after it. "The working day
  strictly after d" is ``add_working_days(d, 1)``.

Nothing here reads today's date.
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from ehqa.model.wording import DAYS

if TYPE_CHECKING:
    from ehqa.model import Settings

_ONE_DAY = timedelta(days=1)
# No real calendar has a run of non-working days this long; a loop that passes it is a bug.
_MAX_NON_WORKING_RUN = 60


@dataclass(frozen=True)
class WorkingCalendar:
    """The working days of one country (and subdivision), from the ``holidays`` package.

    Build it once and share it: each year's bank holidays are computed on first use and
    cached. Raises ValueError when the ``holidays`` package does not know the country or
    the subdivision.
    """

    country: str = "GB"
    subdivision: str | None = "ENG"
    _years: dict[int, dict[date, str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _weekend: frozenset[int] = field(default=frozenset(), init=False, repr=False, compare=False)
    _ordinals: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _week_prefix: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "country", self.country.strip().upper())
        if self.subdivision is not None:
            object.__setattr__(self, "subdivision", self.subdivision.strip() or None)
        table = self._table(2000)  # fails early, with a clear message, for an unknown place
        object.__setattr__(self, "_weekend", frozenset(table.weekend))
        # _week_prefix[r]: the non-weekend days among weekdays 0..r-1 (Monday is 0, and ordinal 1 a Monday).
        prefix = [0]
        for weekday in range(7):
            prefix.append(prefix[-1] + (weekday not in self._weekend))
        object.__setattr__(self, "_week_prefix", tuple(prefix))

    # --- bank holidays ------------------------------------------------------------------

    def _table(self, year: int):
        import holidays

        try:
            return holidays.country_holidays(self.country, subdiv=self.subdivision, years=year)
        except NotImplementedError as exc:  # how the holidays package says "no such place"
            where = self.country + (f"-{self.subdivision}" if self.subdivision else "")
            raise ValueError(
                f"the holidays package has no bank holidays for {where!r} ({exc}); set service.bank_holidays in "
                "qa.yaml to an ISO country code and one of its subdivisions, for example GB and ENG"
            ) from None

    def holidays_in(self, year: int) -> dict[date, str]:
        """The bank holidays of one year, by date, with their names (observed days included)."""
        cached = self._years.get(year)
        if cached is None:
            table = self._table(year)
            cached = {day: "; ".join(table.get_list(day)) for day in sorted(table)}
            self._years[year] = cached
        return cached

    def holiday_name(self, day: date) -> str | None:
        """The bank holiday's name ("Boxing Day (observed)"), or None when ``day`` is not one."""
        return self.holidays_in(day.year).get(day)

    # --- working days -------------------------------------------------------------------

    def is_weekend(self, day: date) -> bool:
        return day.weekday() in self._weekend

    def is_working_day(self, day: date) -> bool:
        """Not a weekend day and not a bank holiday."""
        return day.weekday() not in self._weekend and day not in self.holidays_in(day.year)

    def non_working_reason(self, day: date) -> str | None:
        """Why ``day`` is not a working day — the bank holiday's name, or the weekday
        ("Saturday") — or None when it is one."""
        name = self.holiday_name(day)
        if name is not None:
            return name
        if self.is_weekend(day):
            return DAYS[day.weekday()]
        return None

    def previous_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the nearest working day before it."""
        return self._walk(day, -_ONE_DAY)

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the nearest working day after it."""
        return self._walk(day, _ONE_DAY)

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day``; for 0, ``day`` itself or the next working day.

        Precisely: the earliest working day ``x >= day`` with
        ``working_days_between(day, x) >= count``. Raises ValueError for a negative count.
        """
        if count < 0:
            raise ValueError(f"add_working_days counts forwards: {count} is negative")
        if count == 0:
            return self.next_working_day(day)
        while count:
            day = self.next_working_day(day + _ONE_DAY)
            count -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """The working days after ``start`` up to and including ``end``.

        0 when the two are the same day; negative when ``end`` is before ``start``
        (``working_days_between(a, b) == -working_days_between(b, a)``). Friday to the
        next Monday is 1; Thursday before Good Friday to the Tuesday after Easter is 1.
        """
        self._holiday_ordinals(min(start, end).year)  # one cache covering both days, so both count alike
        holidays = self._holiday_ordinals(max(start, end).year)
        return self._working_index(end, holidays) - self._working_index(start, holidays)

    def _working_index(self, day: date, holidays: list[int]) -> int:
        """How many working days fall on or before ``day``, counted from 1 January of year 1.

        Differences of this index count working days in constant time: the follow-ups
        engine asks tens of thousands of times over services ten years deep.
        """
        ordinal = day.toordinal()  # ordinals 7w+1 .. 7w+7 run Monday to Sunday
        weeks, rest = divmod(ordinal, 7)
        weekdays = weeks * (7 - len(self._weekend)) + self._week_prefix[rest]
        return weekdays - bisect_right(holidays, ordinal)

    def _holiday_ordinals(self, year: int) -> list[int]:
        """Sorted ordinals of the weekday bank holidays from the first year asked for up to ``year``."""
        known = self._ordinals
        if year > known.get("last", 0) or year < known.get("first", year):
            first = min(year, known.get("first", year))
            last = max(year, known.get("last", year))
            known["days"] = sorted(
                day.toordinal()
                for y in range(first, last + 1)
                for day in self.holidays_in(y)
                if day.weekday() not in self._weekend
            )
            known.update(first=first, last=last)
        # Every holiday before the first cached year is missing from the count, equally for any
        # two days at or after it, so differences stay right.
        return known["days"]

    def _walk(self, day: date, step: timedelta) -> date:
        for _ in range(_MAX_NON_WORKING_RUN):
            if self.is_working_day(day):
                return day
            day += step
        raise ValueError(f"no working day within {_MAX_NON_WORKING_RUN} days of {day}: check the bank holidays")


@lru_cache(maxsize=16)
def working_calendar(country: str = "GB", subdivision: str | None = "ENG") -> WorkingCalendar:
    """One shared calendar per place, so that its bank holidays are computed once."""
    return WorkingCalendar(country, subdivision)


def calendar_for(settings: Settings) -> WorkingCalendar:
    """The service's working calendar, from qa.yaml's ``service.bank_holidays``."""
    return working_calendar(settings.holiday_country, settings.holiday_subdivision or None)


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later (or earlier, when negative), clamped to
    the month's last day: 2026-11-30 + 3 months is 2027-02-28, and 2027-11-30 + 3 is 2028-02-29."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
