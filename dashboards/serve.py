"""Preview a built site locally with the standard library's HTTP server."""

from __future__ import annotations

import functools
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def make_server(
    site_dir: str | Path, port: int = 8000, host: str = "127.0.0.1", on_request: Callable[[str], None] | None = None
) -> ThreadingHTTPServer:
    """A server for site_dir (port 0 picks a free port). on_request(path) sees every request path."""
    root = Path(site_dir)
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"no built site at {root} (index.html missing)")

    class SiteHandler(SimpleHTTPRequestHandler):
        def log_message(self, *args):  # quiet: tests and the CLI report what matters
            pass

        def send_head(self):
            if on_request is not None:
                on_request(self.path)
            return super().send_head()

    return ThreadingHTTPServer((host, port), functools.partial(SiteHandler, directory=str(root)))


def serve(site_dir: str | Path, port: int = 8000, host: str = "127.0.0.1") -> None:
    """Serve site_dir until interrupted (Ctrl+C)."""
    server = make_server(site_dir, port, host)
    print(f"Serving {Path(site_dir).resolve()} at http://{host}:{server.server_address[1]}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
