"""Safe HTML for the chat page and the Markdown export of a conversation.

Text from documents and questions reaches HTML only through :func:`html.escape`, and Markdown
only through :func:`escape_markdown`.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from importlib import resources

from ..answer.present import abstention_reason, citation, pages_label, section_label, spelling_note
from ..answer.results import Hit, SearchResult
from ..profile import Knowledge
from ..types import Passage
from .chat import Turn, describe_filters, export_stamp, index_summary, reading_note

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


def citation_html(passage: Passage) -> str:
    """The citation with its § number as a badge: <span class="latm-sec">§4.4</span> Case studies — …, p. 8."""
    label = section_label(passage)
    number, _, rest = label.partition(" ") if label.startswith("§") else ("", "", label)
    page = pages_label(passage.pages)
    return (
        (f'<span class="latm-sec">{_esc(number)}</span> ' if number else "")
        + f'<span class="latm-title">{_esc(rest)}</span>'
        + (f' <span class="latm-page">{_esc(page)}</span>' if page else "")
    )


def card_id(turn_id: str, rank: int) -> str:
    """The HTML id of a card, which the answer's numbered citations link to."""
    return f"card-{turn_id}-{rank}"


def hit_html(hit: Hit, turn_id: str = "") -> str:
    """A passage card's body: rank, citation, the chance it holds the answer (calibrated, the same scale on
    every question), passage with its best sentences marked."""
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
        f'<span class="latm-rank">{hit.rank}</span><span class="latm-cite">{citation_html(hit.passage)}</span>'
        f'{chance}</div><div class="latm-text">{_header_html(hit.passage)}'
        f"{highlight_html(hit.passage.text, hit.highlights)}</div></div>"
    )


def _header_html(passage: Passage) -> str:
    """The header of the table a passage continues (its columns' labels), set apart above its rows."""
    return f'<div class="latm-thead">{_esc(passage.table_header)}</div>' if passage.table_header else ""


def section_html(section: list[Passage], current: Hit | Passage) -> str:
    """The whole section around a hit (or a passage offered as nearest section), its passages in order, its
    own passage outlined with the hit's best sentences marked."""
    passage, spans = (current.passage, current.highlights) if isinstance(current, Hit) else (current, ())
    parts = []
    for p in section:
        own = p.passage_id == passage.passage_id
        css = "latm-para latm-current" if own else "latm-para"
        parts.append(f'<div class="{css}">{highlight_html(p.text, spans if own else ())}</div>')
    head = f'<div class="latm-note">{_esc(citation(passage))}: the whole section in reading order</div>'
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
    sources = "".join(
        f'<div class="latm-answer-cite">{_ref(turn_id, rank)} {citation_html(result.hits[rank - 1].passage)}</div>'
        for rank in cited if rank <= len(result.hits)
    )
    return (
        f'<div class="latm-answer"><div class="latm-label">Answer{confidence_html(result)}</div>'
        f"{body}{sources}</div>"
    )


def abstain_html(result: SearchResult, filtered: bool, matching: int = 1, covers: str = "") -> str:
    """Says plainly that the report (or the filtered part of it) does not cover the question, and what the
    report does cover (``covers``: its description)."""
    if filtered and not matching:
        return (
            '<div class="latm-abstain"><p><strong>No passage matches the selected filters.</strong> '
            "Remove a chapter or a part in the sidebar and ask again.</p></div>"
        )
    where = "The passages matching your filters do not" if filtered else "The report does not"
    why, meant = abstention_reason(result)
    never = (f" {_esc(why[:1].upper() + why[1:])}." if why else "") + (f" {_esc(meant)}" if meant else "")
    items = "".join(f"<li>{citation_html(p)}</li>" for p in result.suggestions)
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


def welcome_html(knowledge: Knowledge) -> str:
    """What the page is for: the report's title (and publisher), and what it covers."""
    by = f" ({_esc(knowledge.publisher)})" if knowledge.publisher else ""
    about = f" {_esc(knowledge.description)}" if knowledge.description else ""
    return f"Ask questions about <em>{_esc(knowledge.title)}</em>{by}.{about}"


def summary_html(manifest: dict, reranker: str = "") -> str:
    rows = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in index_summary(manifest, reranker).items())
    return f'<div class="latm-info"><dl>{rows}</dl></div>'


def note_html(text: str, css: str = "latm-note") -> str:
    return f'<div class="{css}">{_esc(text)}</div>'


# --- Markdown export ------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$&!])")
_MD_FOOTNOTE = re.compile(r"^> \\\[\d{1,3}\\\] ")  # "> \[4\] Office for National Statistics (2015) ..."
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])(?=\s|$)", re.M)


def escape_markdown(text: str) -> str:
    """Backslash-escape what Markdown would interpret, so passages and questions read literally."""
    return _MD_LINE_START.sub(r"\1\\\2", _MD_SPECIAL.sub(r"\\\1", text))


def _md_passage(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        piece = text[start:end].strip()
        if not piece:
            continue
        out += [escape_markdown(text[pos:start]), f"**{escape_markdown(piece)}**"]
        pos = end
    out.append(escape_markdown(text[pos:]))
    return "\n".join("> " + line if line.strip() else ">" for line in "".join(out).split("\n"))


def _md_header(passage: Passage) -> list[str]:
    """The header of the table a passage continues, quoted above it in the Markdown export."""
    return [_md_passage(passage.table_header, ()), ">"] if passage.table_header else []


def conversation_markdown(
    turns: list[Turn], manifest: dict | None = None, now: datetime | None = None, knowledge: Knowledge | None = None
) -> str:
    """The whole conversation as Markdown: questions, answers with citations, the passages shown."""
    now = now or datetime.now(UTC)
    knowledge = knowledge or Knowledge(title="the report")
    title = escape_markdown(knowledge.title)
    source = f"*{title}*" + (f" ({escape_markdown(knowledge.publisher)})" if knowledge.publisher else "")
    lines = [f"# {title} — conversation", "", f"Source: {source}. {export_stamp(manifest, now)}"]
    for n, turn in enumerate(turns, 1):
        lines += ["", f"## {n}. {escape_markdown(turn.question)}", ""]
        if turn.rewritten:
            lines.append(f"*{escape_markdown(reading_note(turn))}*  ")
        if corrections := getattr(turn.result, "corrections", ()):  # (None when the turn was not searched)
            lines.append(f"*Spelling:* read {escape_markdown(spelling_note(corrections))}  ")
        if turn.filters.chapters or turn.filters.parts:
            lines.append(f"*Filters:* {describe_filters(knowledge, turn.filters)}  ")
        result = turn.result
        if result is None:
            lines.append(f"*Not searched:* {escape_markdown(turn.error)}")
            continue
        if result.truncated:
            lines.append("*The question was long and only its beginning was searched.*  ")
        if result.abstained:
            lines.append("**Not covered:** the report does not seem to answer this question.")
            if result.suggestions:
                lines += ["", "Nearest sections:", ""]
                lines += [f"- {escape_markdown(citation(p))}" for p in result.suggestions]
            continue
        if result.points:
            lines += ["**Answer:**", ""]
            lines += [f"- {escape_markdown((p.label.capitalize() + ': ') if p.label else '')}{escape_markdown(p.text)}"
                      f" \\[{p.rank}\\]" for p in result.points]
        elif result.answer:
            lines += [f"**Answer:** {escape_markdown(result.answer)} \\[1\\]",
                      f"— *{escape_markdown(result.answer_citation)}*"]
        if result.probability is not None:
            lines += ["", f"*Confidence:* {result.confidence_words} ({round(100 * result.probability)}%)"]
        lines += ["", "Passages:"]
        for hit in result.hits:
            head = f"{hit.rank}\\. **{escape_markdown(citation(hit.passage))}**"
            body = _md_passage(hit.passage.text, hit.highlights)  # less the footnotes appended to the passage
            body = "\n".join(line for line in body.split("\n") if not _MD_FOOTNOTE.match(line)).rstrip(">\n")
            lines += ["", head, "", *_md_header(hit.passage), body]
    return "\n".join(lines).rstrip() + "\n"
