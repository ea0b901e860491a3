"""The chat page under Streamlit's AppTest, for the page's end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")  # AppTest resolves relative paths from its caller


@pytest.fixture
def page(app_index_dir, tmp_path, monkeypatch):
    """A fresh chat page over the session's markdown index, saving feedback into tmp_path."""
    monkeypatch.setenv("LATM_QA_INDEX", str(app_index_dir))
    monkeypatch.setenv("LATM_QA_FEEDBACK_DIR", str(tmp_path / "feedback"))
    return AppTest.from_file(APP, default_timeout=120).run()
