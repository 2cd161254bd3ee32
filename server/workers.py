"""gunicorn's threaded worker, except that /healthz is answered even when every thread is busy.

The gthread worker hands each connection to a pool of GUNICORN_THREADS threads. When they are
all waiting (for a database that hangs, a slow upstream), a health probe queues behind them
and a load balancer would mark a live server dead. This worker counts the requests it has
handed to the pool; while they fill it, the main thread reads ahead on each new request and
answers a plain `GET /healthz` itself, exactly as HealthCheckMiddleware would ("ok", never
cached). Everything else goes to the pool as before. The database bound
(DATABASE_QUERY_WAIT_SECONDS) frees the threads within seconds; this keeps the probe prompt
meanwhile, without a second port for load balancers to know about.
"""

import re
import selectors
import socket
import time
from functools import partial

from gunicorn.workers.gthread import ThreadWorker

PROBE_REQUEST = re.compile(rb"(GET|HEAD) /healthz/? HTTP/1\.[01]\r\n")
HEADERS_END = b"\r\n\r\n"
PEEK_BYTES = 4096


def probe_response(method: bytes) -> bytes:
    body = b"" if method == b"HEAD" else b"ok\n"
    return (
        b"HTTP/1.1 200 OK\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Length: 3\r\n"
        b"Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private\r\n"
        b"Connection: close\r\n"
        b"\r\n" + body
    )


def _buffered(conn) -> bool:
    """Whether gunicorn already read (part of) the next request off the socket."""
    return conn.parser is not None and bool(conn.parser.unreader.buf.getvalue())


class HealthProbeThreadWorker(ThreadWorker):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.in_pool = 0  # requests handed to the thread pool and not finished (main thread only)

    def enqueue_req(self, conn):
        if self.in_pool >= self.cfg.threads and not self.cfg.is_ssl and not _buffered(conn):
            answer = self._peek_probe(conn)
            if answer == "wait":
                self._wait_for_data(conn)
                return
            if answer is not None:
                self._answer_probe(conn, answer)
                return
        self.in_pool += 1
        super().enqueue_req(conn)

    def finish_request(self, conn, fs):
        self.in_pool -= 1
        super().finish_request(conn, fs)

    def _peek_probe(self, conn):
        """The probe's method and header length, "wait" if nothing arrived yet, else None."""
        try:
            head = conn.sock.recv(PEEK_BYTES, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return None if conn.data_ready else "wait"
        except OSError:
            return None
        match = PROBE_REQUEST.match(head)
        end = head.find(HEADERS_END)
        if match is None or end < 0:
            return None
        return match.group(1), end + len(HEADERS_END)

    def _wait_for_data(self, conn):
        # As gunicorn does for a connection whose request has not arrived: the poller watches
        # it, and on_pending_socket_readable() hands it back to enqueue_req().
        conn.timeout = time.monotonic() + self.cfg.keepalive
        self.pending_conns.append(conn)
        self.poller.register(
            conn.sock, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn)
        )

    def _answer_probe(self, conn, answer):
        method, length = answer
        self.nr_conns -= 1
        try:
            conn.sock.recv(length)  # consume the request, so closing does not reset the reply
            conn.sock.setblocking(True)
            conn.sock.settimeout(1)
            conn.sock.sendall(probe_response(method))
        except OSError:
            pass
        finally:
            conn.close()
