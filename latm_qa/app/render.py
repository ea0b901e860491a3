"""Safe HTML for the chat page (the conversation's Markdown and Word exports are export.py's).

Text from documents and questions reaches HTML only through :func:`html.escape`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from importlib import resources

from ..answer.present import abstention_reason, citation, pages_label, section_label, short_title
from ..answer.results import Hit, SearchResult
from ..profile import Knowledge
from ..types import Passage
from .chat import index_summary
from .export import conversation_markdown, escape_markdown  # noqa: F401 - the page's exports, as before

# --- HTML: every dynamic string is escaped here -------------------------------------------------

def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def highlight_html(text: str, spans: tuple[tuple[int, int], ...] = ()) -> str:
    """Escaped passage text with the given character spans wrapped in <mark>."""
    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        out += [_esc(text[pos:start]), f"<mark>{_esc(text[start:end])}</mark>"]
        pos = end
    out.append(_esc(text[pos:]))
    return "".join(out)


def citation_html(passage: Passage, with_document: bool = False) -> str:
    """The citation with its § number as a badge: <span class="latm-sec">§4.4</span> Case studies — …, p. 8;
    ``with_document`` (an index of several reports): then "· <the document's title>"."""
    label = section_label(passage)
    number, _, rest = label.partition(" ") if label.startswith("§") else ("", "", label)
    page = pages_label(passage.pages)
    return (
        (f'<span class="latm-sec">{_esc(number)}</span> ' if number else "")
        + f'<span class="latm-title">{_esc(rest)}</span>'
        + (f' <span class="latm-page">{_esc(page)}</span>' if page else "")
        + (f' <span class="latm-doc">· {_esc(short_title(passage.document_title))}</span>' if with_document else "")
    )


def card_id(turn_id: str, rank: int) -> str:
    """The HTML id of a card, which the answer's numbered citations link to."""
    return f"card-{turn_id}-{rank}"


def hit_html(hit: Hit, turn_id: str = "", with_document: bool = False) -> str:
    """A passage card's body: rank, citation (naming its document ``with_document``), the chance it holds the
    answer (calibrated, the same scale on every question), passage with its best sentences marked."""
    chance = ""
    if hit.probability is not None:
        percent = round(100 * hit.probability)
        chance = (
            f'<span class="latm-rel" title="The chance this passage holds the answer: of passages scored like '
            f'this in our benchmark, about {percent} in 100 did">'
            f'<span class="latm-bar"><span style="width:{percent}%"></span></span>{percent}%</span>'
        )
    return (
        f'<div class="latm-hit" id="{card_id(turn_id, hit.rank)}"><div class="latm-head">'
        f'<span class="latm-rank">{hit.rank}</span>'
        f'<span class="latm-cite">{citation_html(hit.passage, with_document)}</span>'
        f'{chance}</div><div class="latm-text">{_header_html(hit.passage)}'
        f"{highlight_html(hit.passage.text, hit.highlights)}</div></div>"
    )


def _header_html(passage: Passage) -> str:
    """The header of the table a passage continues (its columns' labels), set apart above its rows."""
    return f'<div class="latm-thead">{_esc(passage.table_header)}</div>' if passage.table_header else ""


def section_html(section: list[Passage], current: Hit | Passage, cite: Callable[[Passage], str] = citation) -> str:
    """The whole section around a hit (or a passage offered as nearest section), its passages in order, its
    own passage outlined with the hit's best sentences marked; headed by its citation (``cite``: the answer's)."""
    passage, spans = (current.passage, current.highlights) if isinstance(current, Hit) else (current, ())
    parts = []
    for p in section:
        own = p.passage_id == passage.passage_id
        css = "latm-para latm-current" if own else "latm-para"
        parts.append(f'<div class="{css}">{highlight_html(p.text, spans if own else ())}</div>')
    head = f'<div class="latm-note">{_esc(cite(passage))}: the whole section in reading order</div>'
    return f'<div class="latm-section">{head}{"".join(parts)}</div>'


def _ref(turn_id: str, rank: int) -> str:
    return f'<a class="latm-ref" href="#{card_id(turn_id, rank)}" title="Go to passage {rank}">[{rank}]</a>'


def confidence_html(result: SearchResult) -> str:
    """The answer's confidence in words and as a bar, with what it means: the same words and bar mean the
    same chance on every question and every report."""
    if result.probability is None:
        return ""
    words, percent = result.confidence_words, round(100 * result.probability)
    meaning = (f"Of answers given with this confidence in our benchmark, about {round(result.probability * 10)} "
               "in 10 came from the right passage")
    return (
        f'<span class="latm-conf latm-conf-{words}" title="{_esc(meaning)}">{words} confidence'
        f'<span class="latm-bar"><span style="width:{percent}%"></span></span>{percent}%</span>'
    )


def answer_html(result: SearchResult, turn_id: str = "") -> str:
    """The answer box: the short answer (or a composed answer's points), each with the number of the card it
    quotes, linked to that card; the confidence; the sources cited."""
    top = result.hits[0].passage if result.hits else None
    if result.points:
        items = "".join(
            f'<li>{f"<span class=latm-side>{_esc(p.label.capitalize())}</span> " if p.label else ""}'
            f"{_esc(p.text)} {_ref(turn_id, p.rank)}</li>" for p in result.points
        )
        body, cited = f'<ul class="latm-points">{items}</ul>', list(dict.fromkeys(p.rank for p in result.points))
    else:
        sentence = result.answer or (top.text[:300] + "…" if top else "")
        body, cited = f"<p>{_esc(sentence)} {_ref(turn_id, 1) if top else ''}</p>", [1] if top else []
    sources = "".join(  # in a library, each names its document
        f'<div class="latm-answer-cite">{_ref(turn_id, rank)} '
        f"{citation_html(result.hits[rank - 1].passage, result.documents > 1)}</div>"
        for rank in cited if rank <= len(result.hits)
    )
    return (
        f'<div class="latm-answer"><div class="latm-label">Answer{confidence_html(result)}</div>'
        f"{body}{sources}</div>"
    )


def abstain_html(result: SearchResult, filtered: bool, matching: int = 1, covers: str = "") -> str:
    """Says plainly that the report (the reports of a library, or the filtered part) does not cover the
    question, and what it does cover (``covers``: its description)."""
    if filtered and not matching:
        return (
            '<div class="latm-abstain"><p><strong>No passage matches the selected filters.</strong> '
            "Remove a chapter or a part in the sidebar and ask again.</p></div>"
        )
    where = ("The passages matching your filters do not" if filtered
             else "None of the reports seems to" if result.documents > 1 else "The report does not")
    why, meant = abstention_reason(result)
    never = (f" {_esc(why[:1].upper() + why[1:])}." if why else "") + (f" {_esc(meant)}" if meant else "")
    items = "".join(f"<li>{citation_html(p, result.documents > 1)}</li>" for p in result.suggestions)
    nearest = f'<div class="latm-label">Nearest sections</div><ul>{items}</ul>' if items else ""
    return (
        f'<div class="latm-abstain"><p><strong>{where} cover this question.</strong>{never}'
        f"{' ' + _esc(covers) if covers else ''}</p>{nearest}</div>"
    )


def page_style() -> str:
    """The page's stylesheet (style.css) as a <style> element."""
    return f"<style>\n{resources.files('latm_qa.app').joinpath('style.css').read_text(encoding='utf-8')}</style>"


def chips_html(titles: list[str]) -> str:
    """The report's topics as chips; a long title is cut with an ellipsis, whole on hover."""
    return "".join(f'<span class="latm-chip" title="{_esc(title)}">{_esc(title)}</span>' for title in titles)


def subtitle_html(knowledge: Knowledge) -> str:
    """ "Report assistant · <publisher, year>" under the report's title."""
    return _esc(" · ".join(["Report assistant", *([knowledge.publisher] if knowledge.publisher else [])]))


def welcome_html(knowledge: Knowledge, documents: Sequence[str] = ()) -> str:
    """What the page is for: the report's title (and publisher), and what it covers; for a library, the
    titles of its ``documents``."""
    by = f" ({_esc(knowledge.publisher)})" if knowledge.publisher else ""
    if len(documents) > 1:
        names = [f"<em>{_esc(title)}</em>" for title in documents]
        return f"Ask questions about {len(names)} reports{by}: {', '.join(names[:-1])} and {names[-1]}."
    about = f" {_esc(knowledge.description)}" if knowledge.description else ""
    return f"Ask questions about <em>{_esc(knowledge.title)}</em>{by}.{about}"


def summary_html(manifest: dict, reranker: str = "") -> str:
    rows = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in index_summary(manifest, reranker).items())
    return f'<div class="latm-info"><dl>{rows}</dl></div>'


def note_html(text: str, css: str = "latm-note") -> str:
    return f'<div class="{css}">{_esc(text)}</div>'
