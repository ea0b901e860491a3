"""HTTP API (`latm-qa api`): ask, search, sections and health over one read-only index, in the CLI's JSON
contract. app.py builds the FastAPI app, params.py checks a request, limits.py caps bodies, state.py keeps
the index current (reloaded when its manifest changes), serve.py runs uvicorn with one or more workers."""

from __future__ import annotations

from .app import create_app
from .serve import app_from_env, run_api
from .state import LiveIndex

__all__ = ["LiveIndex", "app_from_env", "create_app", "run_api"]
