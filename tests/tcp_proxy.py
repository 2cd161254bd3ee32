"""A loopback TCP proxy a test can cut and restore, to take the database away from an app."""

import contextlib
import selectors
import socket
import threading


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target. Modes: "open", "cut" (connections are dropped
    at once, like a database that went away), "blackhole" (connections are accepted and
    never answered, like a database host that stopped responding) and "frozen" (open
    connections stay open but nothing more passes, and new ones are never answered: a
    database whose processes are stopped, or a network that silently drops packets)."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.mode = "open"
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)  # so the accept loop notices when it should stop
        self.port = self._listener.getsockname()[1]
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stopped.set()
        self._thread.join(timeout=5)
        self._listener.close()
        self._drop_all()

    def cut(self):
        self.mode = "cut"
        self._drop_all()

    def blackhole(self):
        self.mode = "blackhole"
        self._drop_all()

    def freeze(self):
        self.mode = "frozen"

    def restore(self):
        self.mode = "open"

    def _drop_all(self):
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _track(self, *sockets):
        with self._lock:
            self._sockets.update(sockets)

    def _accept_loop(self):
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            if self.mode == "cut":
                client.close()
            elif self.mode in {"blackhole", "frozen"}:
                self._track(client)  # held open, never answered, dropped on the next change
            else:
                threading.Thread(target=self._pump, args=(client,), daemon=True).start()

    def _pump(self, client: socket.socket):
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        self._track(client, upstream)
        peers = {client: upstream, upstream: client}
        selector = selectors.DefaultSelector()
        for sock in peers:
            selector.register(sock, selectors.EVENT_READ)
        try:
            while not self._stopped.is_set():
                if self.mode == "frozen":
                    self._stopped.wait(0.05)  # hold the bytes: the peers see only silence
                    continue
                for key, _ in selector.select(timeout=0.5):
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    peers[key.fileobj].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            selector.close()
            for sock in peers:
                sock.close()
