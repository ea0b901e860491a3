"""The page listens on this machine only unless asked: `latm-qa serve` (and `make run`, through
.streamlit/config.toml) binds 127.0.0.1, so another machine on the council's network cannot open it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import closing

import pytest
from conftest import ROOT


def _other_address() -> str | None:
    """An address of this machine that is not loopback (what another machine on the network would reach)."""
    try:
        with closing(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)) as probe:
            probe.connect(("192.0.2.254", 9))  # no packet is sent: it only picks the outgoing interface
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def _free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _serve(tmp_path, *extra: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LATM_QA_", "STREAMLIT_"))}
    env |= {"LATM_QA_INDEX": str(tmp_path / "no-index"), "STREAMLIT_SERVER_HEADLESS": "true",
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    server = subprocess.Popen(
        [sys.executable, "-m", "latm_qa.cli", "serve", "--port", str(port), *extra],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.monotonic() + 60
    while not _reachable("127.0.0.1", port) and not _reachable(_other_address() or "127.0.0.1", port):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"the page did not start: {server.stdout.read()}")
        time.sleep(0.3)
    return server, port


@pytest.mark.skipif(_other_address() is None, reason="this machine has no address but loopback")
def test_the_page_listens_on_this_machine_only_unless_asked(tmp_path):
    server, port = _serve(tmp_path)  # run from another folder: the project's config.toml is not read there
    try:
        assert _reachable("127.0.0.1", port)
        assert not _reachable(_other_address(), port)
        output = ""
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Network URL" not in output

    server, port = _serve(tmp_path, "--host", "0.0.0.0")  # published on purpose
    try:
        assert _reachable(_other_address(), port)
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_the_projects_streamlit_settings_bind_loopback():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
