"""Chat page for council officers: renders only; every piece of logic lives in latm_qa."""

from __future__ import annotations

import streamlit as st

from latm_qa.answer.index import Index
from latm_qa.answer.present import place_note, spelling_note
from latm_qa.app import chat, render
from latm_qa.app.export import conversation_docx
from latm_qa.app.feedback import REASONS, record_feedback
from latm_qa.app.pages import page_png, pdf_source
from latm_qa.errors import IndexMismatchError, IndexMissingError, LatmQaError
from latm_qa.settings import Settings, load_settings


@st.cache_resource(show_spinner="Loading the report index and the language model…", max_entries=2)
def load_index(path: str, stamp: int, reranker: str, _settings: Settings) -> Index:
    """One loaded index (and warm models) per process, index build and reranker; a new ingest changes ``stamp``."""
    index = Index.load(path, settings=_settings)
    index.embedder.encode_query("warm up")
    if _settings.reranker:
        index.rerank("warm up", [0])  # a missing or broken reranker is reported now, not on the first question
    return index


def render_build_panel(settings: Settings, problem: str = "") -> None:
    st.info(
        f"There is no usable index at `{settings.index_dir}` yet. Build it from the reports in "
        f"`{settings.ingest_dir}` with `latm-qa ingest` (or `make index`), or with the button below. "
        "It takes about ten seconds."
    )
    if problem:
        st.error(problem)
    if st.button("Build the index now", type="primary", icon=":material/build:"):
        bar, tracker = st.progress(0.0, text="Reading the reports…"), chat.IngestProgress()
        try:
            from latm_qa.build.ingest import ingest

            report = ingest([settings.ingest_dir], settings, progress=lambda *t: bar.progress(*tracker.update(*t)))
        except LatmQaError as exc:
            st.error(str(exc))
            st.stop()
        st.session_state["built"] = f"Index built: {report.passages} passages from {report.documents} document(s)."
        st.rerun()


def render_sidebar_filters(index: Index, settings: Settings) -> tuple[chat.Filters, int]:
    with st.sidebar:
        st.header("Search options")
        documents = []
        if choices := chat.document_choices(index):  # a library: chapters are a document's
            documents = st.multiselect("Document", choices, format_func=lambda d: chat.document_label(index, d),
                                       placeholder="All documents", key="documents")
        knowledge = chat.chapter_source(index, documents)
        own = f"_{documents[0]}" if choices and knowledge else ""  # each document's choices kept apart
        chapters = []
        if knowledge is None:
            st.caption("Choose one document to filter by chapter.")
        else:
            chapters = st.multiselect(
                "Chapter", chat.chapter_choices(knowledge), placeholder="All chapters", key=f"chapters{own}",
                format_func=lambda number: chat.chapter_choice_label(knowledge, number),
            )
        knowledge = knowledge or index.knowledge
        parts = []
        if knowledge.parts:
            parts = st.multiselect(
                "Part of a chapter", [p.lower() for p in knowledge.parts], format_func=str.capitalize,
                placeholder="All parts", key=f"parts{own}",
            )
        k = st.slider("Passages to show", 1, 10, settings.k, key="k")
        filters = chat.build_filters(knowledge, chapters, parts, documents)
        if documents or chapters or parts:
            matching = chat.count_matching(index, filters)
            st.caption(f"{matching} of {len(index.passages)} passages match these filters.")
            if not matching:
                st.warning("No passage matches this combination: not every chapter has that part.")
    return filters, k


def render_sidebar_footer(index: Index, turns: list[chat.Turn]) -> None:
    with st.sidebar:
        st.divider()
        st.download_button(
            "Download conversation (.docx)",
            conversation_docx(turns, index.manifest, knowledge=index.knowledge, documents=chat.document_titles(index))
            if turns else b"",
            file_name="latm-conversation.docx",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            icon=":material/description:",
            disabled=not turns,
            width="stretch",
        )
        st.download_button(
            "Download conversation (.md)",
            render.conversation_markdown(turns, index.manifest, knowledge=index.knowledge,
                                         documents=chat.document_titles(index)),
            file_name="latm-conversation.md",
            mime="text/markdown",
            icon=":material/download:",
            disabled=not turns,
            width="stretch",
        )
        st.button("New conversation", icon=":material/refresh:", on_click=clear_conversation, disabled=not turns,
                  width="stretch")
        st.html(render.summary_html(index.manifest, index.settings.reranker))


def clear_conversation() -> None:
    st.session_state["turns"] = []


def render_welcome(index: Index, paged: bool) -> None:
    knowledge, titles = index.knowledge, chat.document_titles(index)  # a library's: its reports
    chips = render.chips_html(titles or [c.title for c in knowledge.chapters if c.topic])
    cites = ("the section, named example and printed page, and shows the page" if paged
             else "the section and named example (page numbers come with a PDF of the report)")
    quotes = "the reports and cites the report," if titles else "the report and cites"
    st.html(
        f'<div class="latm-intro"><p>{render.welcome_html(knowledge, titles)} Every answer quotes {quotes} '
        f"{cites}.</p>"
        f'<div class="latm-chips">{chips}</div></div>'
    )
    if knowledge.examples:
        st.markdown("**Try one of these questions**")
        columns = st.columns(2)
        for n, question in enumerate(knowledge.examples):
            columns[n % 2].button(question, key=f"example_{n}", on_click=st.session_state.__setitem__,
                                  args=("pending", question), width="stretch", wrap=True)


def save_vote(turn: chat.Turn, index: Index, settings: Settings) -> None:
    vote = st.session_state.get(f"vote_{turn.turn_id}")
    reason = st.session_state.get(f"reason_{turn.turn_id}") if vote == 0 else None
    result = turn.result
    hits = result.hits if result else ()
    record_feedback(
        settings.feedback_dir, turn.question, [h.passage.passage_id for h in hits], vote,
        turn_id=turn.turn_id, query=turn.query, citations=[result.cite(h.passage) for h in hits],
        abstained=bool(result and result.abstained), filters={"chapters": list(turn.filters.chapters),
        "parts": list(turn.filters.parts), "documents": list(turn.filters.documents)}, k=turn.k,
        index_created=str(index.manifest.get("created", "")), model=index.model_name, reason=reason or "",
        answer=result.answer_text if result else "",
    )
    if vote == 0 and not reason:
        st.toast("Thanks. Say what was wrong below, if you can.", icon=":material/check:")
    else:
        st.toast("Thanks, your feedback was saved." if vote is not None else "Feedback withdrawn.",
                 icon=":material/check:")


def ask_as_typed(turn_id: str, index: Index) -> None:
    """Ask a question read as a follow-up again, as typed, in its place in the conversation."""
    turns = st.session_state.get("turns", [])
    for i, turn in enumerate(turns):
        if turn.turn_id == turn_id:
            turns[i] = chat.ask_turn(index, turn.question, None, turn.k, turn.filters, as_typed=True)


@st.cache_data(show_spinner="Drawing the page…", max_entries=32)
def page_image(path: str, page: int, marks: tuple[str, ...]) -> bytes:
    return page_png(path, page, list(marks))


def render_feedback(turn: chat.Turn, index: Index, settings: Settings) -> None:
    """Thumbs by the answer; a thumbs-down asks what was wrong."""
    left, right = st.columns([1, 1])
    with left:
        st.feedback("thumbs", key=f"vote_{turn.turn_id}", on_change=save_vote, args=(turn, index, settings))
    result = turn.result
    if result is not None and not result.abstained and result.hits:
        with right, st.popover("Copy the answer", icon=":material/content_copy:"):
            st.caption("The answer with its citations: copy it with the button at the top right of the box.")
            st.code(chat.answer_for_copy(result), language=None, wrap_lines=True)
    if st.session_state.get(f"vote_{turn.turn_id}") == 0:
        st.pills("What was wrong?", REASONS, key=f"reason_{turn.turn_id}", on_change=save_vote,
                 args=(turn, index, settings))


def render_card(hit, turn: chat.Turn, index: Index) -> None:
    with st.container(border=True):
        st.html(render.hit_html(hit, turn.turn_id, turn.result.documents > 1))
        section = chat.section_passages(index.passages, hit.passage)
        with st.expander(f"Show the whole section ({len(section)} passage{'s' * (len(section) > 1)})"):
            st.html(render.section_html(section, hit, turn.result.cite))
        source = pdf_source(hit.passage, index.document(hit.passage.document))
        if source is not None:
            page = hit.passage.pages[0]
            with st.expander(f"Show page {page} of the PDF", icon=":material/description:"):
                marks = tuple(hit.passage.text[s:e] for s, e in hit.highlights) or (hit.passage.text,)
                try:
                    st.image(page_image(str(source), page, marks),
                             caption=f"Page {page} of {source.name}, the passage's best sentences marked")
                except LatmQaError as exc:
                    st.warning(str(exc))


def render_turn(turn: chat.Turn, index: Index, settings: Settings) -> None:
    with st.chat_message("user"):
        shown = turn.question if len(turn.question) <= 1200 else turn.question[:1200] + " …"
        st.html(render.note_html(shown, "latm-question"))
    with st.chat_message("assistant", avatar=":material/menu_book:"):
        if turn.rewritten:
            note, button = st.columns([4, 1], vertical_alignment="center")
            note.info(chat.reading_note(turn), icon=":material/forum:")
            button.button("Ask as typed", key=f"typed_{turn.turn_id}", on_click=ask_as_typed,
                          args=(turn.turn_id, index), help="Search your words alone, not as a follow-up")
        notes = []
        if filtered := bool(turn.filters.documents or turn.filters.chapters or turn.filters.parts):
            notes.append(f"Filtered to: {turn.described or chat.describe_filters(index.knowledge, turn.filters)}")
        if turn.result is not None:
            if pasted := turn.result.check("pasted"):
                notes.append(pasted.reason[:1].upper() + pasted.reason[1:])
            if corrections := getattr(turn.result, "corrections", ()):
                notes.append(f"Read {spelling_note(corrections)}")
            notes += [f"Read {place_note(reading)}" for reading in getattr(turn.result, "places", ())]
        if notes:
            st.html(render.note_html("\n".join(notes)))
        result = turn.result
        if result is None:
            st.warning(turn.error)
            return
        if result.truncated:
            st.info(f"Your question was long: only its first {settings.max_question_chars} characters were searched.")
        if result.abstained:
            matching = chat.count_matching(index, turn.filters) if filtered else 1
            st.html(render.abstain_html(result, filtered, matching, index.knowledge.description))
            for passage in result.suggestions:
                section = chat.section_passages(index.passages, passage)
                with st.expander(f"Open {result.cite(passage)}"):
                    st.html(render.section_html(section, passage, result.cite))
            render_feedback(turn, index, settings)
            return
        st.html(render.answer_html(result, turn.turn_id))
        render_feedback(turn, index, settings)
        for hit in result.hits:
            render_card(hit, turn, index)


st.set_page_config(page_title="Report assistant", page_icon=":material/menu_book:", layout="centered")
st.html(render.page_style())

try:
    settings = load_settings()
except LatmQaError as exc:
    st.error(str(exc))
    st.stop()
stamp = chat.index_stamp(settings.index_dir)
if stamp is None:
    st.title("Report assistant")
    render_build_panel(settings)
    st.stop()
try:
    index = load_index(str(settings.index_dir), stamp, settings.reranker, settings)
except (IndexMissingError, IndexMismatchError) as exc:
    st.title("Report assistant")
    render_build_panel(settings, str(exc))
    st.stop()
except LatmQaError as exc:
    st.error(str(exc))
    st.stop()
st.title(index.knowledge.title)
st.html(f'<div class="latm-sub">{render.subtitle_html(index.knowledge)}</div>')

if built := st.session_state.pop("built", None):
    st.toast(built, icon=":material/check:")
turns: list[chat.Turn] = st.session_state.setdefault("turns", [])
filters, k = render_sidebar_filters(index, settings)
question = st.chat_input("Ask a question about the report" if len(index.documents) == 1 else "Ask about the reports")
question = question or st.session_state.pop("pending", None)
if not chat.is_blank(question):
    with st.spinner("Searching the report…"):
        try:
            turns.append(chat.ask_turn(index, question, turns[-1] if turns else None, k, filters))
        except LatmQaError as exc:
            st.error(str(exc))
            st.stop()
render_sidebar_footer(index, turns)
if not turns:
    render_welcome(index, any(p.pages for p in index.passages))
for turn in turns:
    render_turn(turn, index, settings)
