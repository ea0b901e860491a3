"""The years a question asks about, and whether a passage speaks of them.

"What GDP growth does the OBR expect for 2022?" asks about 2022: a passage on GDP growth that stops at
2021 does not answer it. A year is found however a report writes it: a financial year "2019-20" is also
"2019–20", "2019/20", "2019-2020" and "2019 to 2020"; a plain year "2022" is also the financial year
ending in it ("2021-22"); a span "2010-15" or "between 2010 and 2015" is spoken of by either end. A
passage giving a span ("from 2013/14 to 2015/16", "2015 to 2020") speaks of every year in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# a year, or two joined as a financial year or a span: "2016", "2016-17", "2016/17", "2016 to 2017", "2010-15"
_ASKED = re.compile(r"(?<![\w£$€.,])((?:19|20)\d\d)(?:\s*(?:-|–|/|\bto\b)\s*((?:19|20)?\d\d))?(?![\w%])")
_JOIN = r"\s*(?:-|–|/|to)\s*"
# a span a passage gives: two years (the first may be a financial year, "2013/14") joined by "to", "until", a
# dash, or "between ... and"
_YEARS = r"((?:19|20)\d\d)(?:\s*[-–/]\s*\d\d(?!\d))?"
_SPAN = re.compile(
    rf"(?<![£$€.,\d])(?:\bbetween\s+{_YEARS}\s+and|{_YEARS}\s*(?:-|–|\bto\b|\buntil\b))\s*((?:19|20)\d\d)(?!\d)", re.I
)


@dataclass(frozen=True)
class AskedYear:
    """A time the question names, as typed, and the pattern a passage speaking of it matches."""

    typed: str
    pattern: re.Pattern[str]
    first: int  # the (first) year asked, which a span covering it speaks of

    def spoken_of(self, text: str) -> bool:
        """Whether the text names this year, or gives a span of years it falls in."""
        if self.pattern.search(text):
            return True
        return any(int(m.group(1) or m.group(2)) <= self.first <= int(m.group(3)) for m in _SPAN.finditer(text))


def asked_years(question: str) -> list[AskedYear]:
    """Every year, financial year or span of years the question names, in the order typed."""
    out = []
    for match in _ASKED.finditer(question):
        first, second = int(match.group(1)), match.group(2)
        last = None if second is None else int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        if last == first + 1:  # a financial year: the same pair however joined
            pattern = rf"\b{first}{_JOIN}(?:{last}|{last % 100:02d})\b"
        elif last is not None and last > first:  # a span: either end
            pattern = rf"\b(?:{first}|{last})\b"
        elif last is not None:  # "2019-05": not a span of years, read the first only
            pattern = rf"\b{first}\b"
        else:  # a plain year, or the financial year ending in it
            pattern = rf"\b{first}\b|\b{first - 1}{_JOIN}(?:{first % 100:02d}|{first})\b"
        out.append(AskedYear(match.group(0), re.compile(rf"(?<![£$€.,])(?:{pattern})"), first))
    return out


def unspoken_years(question: str, texts: list[str]) -> list[str]:
    """The years the question asks about (as typed) that none of the texts speaks of."""
    return [year.typed for year in asked_years(question) if not any(year.spoken_of(t) for t in texts)]
