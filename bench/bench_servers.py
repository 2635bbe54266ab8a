"""The two servers of the observations benchmark, started alike: the project's API under
uvicorn and Datasette, one process each, on the same SQLite file; and their memory."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

# Both servers get the same environment. Two malloc arenas instead of one per thread (glibc's
# default): a threaded Python server otherwise keeps tens of MB of freed memory per arena.
SERVER_ENV = {"MALLOC_ARENA_MAX": "2"}


def free_port() -> int:
    """Return a port free on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def two_free_ports() -> tuple[int, int]:
    """Return two ports free on 127.0.0.1."""
    # Both held open while asked for, so the system cannot hand out the same port twice.
    with socket.socket() as first, socket.socket() as second:
        first.bind(("127.0.0.1", 0))
        second.bind(("127.0.0.1", 0))
        return int(first.getsockname()[1]), int(second.getsockname()[1])


def serve_api(url: str, port: int, folder: str) -> subprocess.Popen[bytes]:
    """Start the API on the database at `url`: one uvicorn process, the httptools parser and
    no access log (a log line per request is work Datasette does not do either)."""
    command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    command += ["--http", "httptools", "--no-access-log"]
    env = {**os.environ, **SERVER_ENV, "PPNE_DATABASE_URL": url}
    return subprocess.Popen(command, env=env, cwd=folder, stdout=subprocess.DEVNULL)


def serve_datasette(file: Path, port: int, folder: str) -> subprocess.Popen[bytes]:
    """Start Datasette on the SQLite file, one process, as it ships."""
    command = [sys.executable, "-m", "datasette", "serve", str(file)]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    env = {**os.environ, **SERVER_ENV}
    return subprocess.Popen(command, env=env, cwd=folder, stdout=subprocess.DEVNULL)


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def resident_mb(pid: int) -> float:
    """Return the resident memory of a process now (VmRSS), in MB."""
    return _status_mb(pid, "VmRSS")


def peak_mb(pid: int) -> float:
    """Return the highest resident memory of a process so far (VmHWM), in MB."""
    return _status_mb(pid, "VmHWM")
