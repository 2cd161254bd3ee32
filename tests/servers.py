"""Run the real production server (gunicorn, DEBUG off) in a subprocess for end-to-end tests."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # Plain HTTP on loopback; HTTPS behaviour is tested in test_security_headers.
    "SECURE_SSL_REDIRECT": "false",
}


def production_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "REDIS_URL"))}
    env.update(PRODUCTION_ENV)
    # The test process's key, so sessions it creates are valid on the servers.
    env["SECRET_KEY"] = settings.SECRET_KEY
    env.update(overrides)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """One gunicorn instance on a free loopback port, its log captured to a file."""

    def __init__(self, log_path: Path, env: dict[str, str]):
        self.port = free_port()
        self.log_path = log_path
        self.env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": env.get("WEB_CONCURRENCY", "1"),
            "GUNICORN_THREADS": env.get("GUNICORN_THREADS", "2"),
        }
        self.process: subprocess.Popen | None = None
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=30)

    def start(self) -> "AppServer":
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() can end every worker
        )
        for _ in range(240):  # bounded: about a minute at most
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()}")
            try:
                if self.http.get("/healthz").status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"gunicorn did not answer:\n{self.log_path.read_text()}")

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def log_lines(self) -> list[dict]:
        lines = []
        for raw in self.log_path.read_text().splitlines():
            try:
                lines.append(json.loads(raw))
            except json.JSONDecodeError:
                lines.append({"unparsed": raw})
        return lines

    def wait_for_log(self, predicate) -> list[dict]:
        """Lines matching `predicate`, waiting briefly: gunicorn logs after it has answered."""
        for _ in range(80):  # bounded: about twenty seconds at most
            found = [line for line in self.log_lines() if predicate(line)]
            if found:
                return found
            time.sleep(0.25)
        return []

    def stop(self) -> None:
        self.http.close()
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=10)
            # A worker still busy when the master left would live on: end the whole group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._log.close()


# The servers run with SECURE_COOKIES=false (plain HTTP on loopback), so the plain name.
SERVER_SESSION_COOKIE = "sessionid"


def signed_in_session_key(user) -> str:
    """A session in the shared database in which `user` is signed in, as after the sign-in form.

    Servers started by these tests accept it with the cookie SERVER_SESSION_COOKIE. Signing in
    this way keeps the tests about serving, not about the sign-in pages.
    """
    from allauth.mfa.utils import is_mfa_enabled
    from django.test import Client

    from tests.staff import add_totp, sign_in

    if not is_mfa_enabled(user):
        add_totp(user)  # the back-office admits staff only after a second factor
    return sign_in(Client(), user).session.session_key
