"""HTTP API (`latm-qa api`): ask, search, sections and health over one read-only index, in the CLI's JSON
contract. app.py builds the FastAPI app, params.py checks a request, limits.py holds the limits and caps bodies,
guard.py applies the limits per connection (timeouts, per-client cap, JSON refusals), access_log.py keeps tokens
out of the access log, state.py keeps the index current (reloaded when its manifest changes), serve.py runs
uvicorn with one or more workers."""

from __future__ import annotations

from .app import create_app
from .limits import ApiLimits
from .serve import app_from_env, run_api
from .state import LiveIndex

__all__ = ["ApiLimits", "LiveIndex", "app_from_env", "create_app", "run_api"]
