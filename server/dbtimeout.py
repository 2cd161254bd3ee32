"""A bound on how long a web request waits for a silent database.

libpq waits for an answer for as long as the socket stays open. A database whose processes
are frozen, or a network path that swallows packets while the kernel still acknowledges them,
keeps that socket open and quiet, so every request (and, once all threads wait, the whole
server) would hang. psycopg2 lets a "wait callback" do libpq's waiting: this one waits with
poll() against a deadline and raises OperationalError when it passes, which the portal turns
into its 503 page (psc_portal.health.DatabaseUnavailableMiddleware).

The callback covers connecting, every query and every commit of the process it is installed
in. gunicorn installs it in each worker (gunicorn.conf.py); management commands such as
migrations do not get it, so a long data migration is limited only by the statement timeout.

No cancel request is sent on giving up: psycopg2's connection.cancel() holds the GIL while
libpq waits for the server, so against a frozen server it would stop the whole worker
process, and a helper thread cannot bound it. The 503 path closes the connection instead, and
a server that is merely slow ends the statement at DATABASE_STATEMENT_TIMEOUT.
"""

import select
import time

from psycopg2 import OperationalError, extensions


class DatabaseWaitTimeout(OperationalError):
    """The database sent nothing for DATABASE_QUERY_WAIT_SECONDS."""


def bounded_wait(seconds: float):
    """A psycopg2 wait callback that gives up when the database is silent for `seconds`."""

    def wait(conn, cursor=None):
        deadline = time.monotonic() + seconds
        poller = select.poll()  # no FD_SETSIZE limit, unlike select.select
        registered = None
        while True:
            state = conn.poll()
            if state == extensions.POLL_OK:
                return
            if state == extensions.POLL_READ:
                events = select.POLLIN
            elif state == extensions.POLL_WRITE:
                events = select.POLLOUT
            else:
                raise OperationalError(f"unexpected state from poll(): {state}")
            if registered != events:
                poller.register(conn.fileno(), events)
                registered = events
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not poller.poll(remaining * 1000):
                raise DatabaseWaitTimeout(f"the database did not answer within {seconds:g} s")

    return wait


def install(seconds: float) -> None:
    """Bound every database wait of this process to `seconds` (0 leaves libpq's own waits)."""
    if seconds > 0:
        extensions.set_wait_callback(bounded_wait(seconds))
