"""Streamlit page: renders only; every piece of logic lives in latm_qa."""

from __future__ import annotations

import streamlit as st

from latm_qa.config import load_settings
from latm_qa.errors import LatmQaError
from latm_qa.present import citation

st.set_page_config(page_title="LATM report assistant", page_icon="📘")
st.title("Local Authority Transformational Models — report assistant")


@st.cache_resource(show_spinner="Loading the index and model…")
def get_index(path: str, stamp: str):
    from latm_qa.search import Index

    index = Index.load(path)
    index.embedder  # noqa: B018 - load the model once per process
    return index


settings = load_settings()
try:
    manifest_path = settings.index_dir / "manifest.json"
    index = get_index(str(settings.index_dir), manifest_path.stat().st_mtime_ns if manifest_path.exists() else "")
except LatmQaError as exc:
    st.error(str(exc))
    st.stop()

if question := st.chat_input("Ask about the report"):
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        try:
            result = index.ask(question)
        except LatmQaError as exc:
            st.warning(str(exc))
        else:
            for hit in result.hits:
                st.markdown(f"**{citation(hit.passage)}**")
                st.text(hit.passage.text)
