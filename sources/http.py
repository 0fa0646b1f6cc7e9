"""HTTP for publishers: timeouts, bounded retries with backoff, conditional GETs.

Conditional requests (ETag / Last-Modified) are remembered per URL in a small JSON cache, so an
unchanged release is neither downloaded nor reprocessed.
"""

from __future__ import annotations

import json
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when the first request is made: a refresh from a mirror never needs it
    import requests

USER_AGENT = "inclusion-impact/0.1 (+https://github.com/inclusion-impact; open-source statistics pipeline)"
RETRY_STATUSES = {429, 500, 502, 503, 504}
WEB_PAGE_SUFFIXES = {".html", ".htm"}
ZIP_CONTAINERS = {".xlsx", ".xlsm", ".ods", ".zip"}  # a zip whose directory is at its end


class FetchError(Exception):
    def __init__(self, url: str, reason: str):
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


@dataclass
class Fetched:
    url: str
    status: int  # 200, or 304 when unchanged since the last fetch
    path: Path | None  # downloaded body (None on 304)
    etag: str | None
    last_modified: str | None


class HttpClient:
    def __init__(
        self,
        cache_file: Path | None = None,
        *,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.5,
        session: requests.Session | None = None,
        rewrites: dict[str, str] | None = None,
    ):
        self.timeout = timeout
        # URL prefix -> replacement, e.g. a caching proxy, or a local test server for a publisher.
        self.rewrites = dict(rewrites or {})
        self.retries = retries
        self.backoff = backoff
        self._session = session
        self.cache_file = Path(cache_file) if cache_file else None
        self._validators = self._load_validators()

    @property
    def session(self) -> requests.Session:
        """The HTTP session, made at the first request (importing requests costs ~0.2 s of CPU)."""
        if self._session is None:
            import requests

            self._session = requests.Session()
        self._session.headers["User-Agent"] = USER_AGENT
        return self._session

    def _load_validators(self) -> dict:
        """The remembered validators. A cache that cannot be read (cut short by a kill or a full disk
        under an older version) is set aside beside it and forgotten: the next request is then an
        unconditional GET, whose bytes the archive recognises by sha256, never a failed refresh."""
        if not (self.cache_file and self.cache_file.exists()):
            return {}
        try:
            validators = json.loads(self.cache_file.read_text(encoding="utf-8"))
            if isinstance(validators, dict) and all(isinstance(v, dict) for v in validators.values()):
                return validators
        except (UnicodeDecodeError, json.JSONDecodeError):
            pass
        self.cache_file.replace(self.cache_file.with_name(self.cache_file.name + ".unreadable"))
        return {}

    def _save_validators(self) -> None:
        if self.cache_file:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            # Written beside and renamed: a refresh killed mid-write leaves the last whole file.
            tmp = self.cache_file.with_name(self.cache_file.name + ".part")
            tmp.write_text(json.dumps(self._validators, indent=2, sort_keys=True), encoding="utf-8")
            tmp.replace(self.cache_file)

    def _request(
        self,
        url: str,
        headers: dict | None = None,
        params: dict | None = None,
        method: str = "GET",
        json_body: dict | None = None,
    ) -> requests.Response:
        import requests

        url = self.rewrite(url)
        last: str = "no attempt made"
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                resp = self.session.request(
                    method, url, headers=headers or {}, params=params, json=json_body, timeout=self.timeout
                )
                _ = resp.content  # read the body here, so a cut-off transfer is retried too
            except requests.exceptions.ChunkedEncodingError:
                last = "truncated download (connection closed before the whole body arrived)"
                continue
            except requests.ConnectionError as exc:
                last = f"connection failed ({type(exc).__name__})"
                continue
            except requests.Timeout:
                last = f"timed out after {self.timeout:g}s"
                continue
            except requests.RequestException as exc:  # a redirect loop, a body that cannot be decoded...
                last = f"request failed ({type(exc).__name__}: {str(exc)[:200]})"
                continue
            if resp.status_code in RETRY_STATUSES:
                last = f"HTTP {resp.status_code}"
                continue
            if resp.status_code >= 400 and resp.status_code != 304:
                raise FetchError(url, f"HTTP {resp.status_code}")
            return resp
        raise FetchError(url, f"{last} after {self.retries + 1} attempts")

    def rewrite(self, url: str) -> str:
        for prefix, replacement in self.rewrites.items():
            if url.startswith(prefix):
                return replacement + url[len(prefix) :]
        return url

    def get_json(self, url: str, params: dict | None = None, headers: dict | None = None):
        resp = self._request(url, params=params, headers=headers)
        try:
            return resp.json()
        except ValueError as exc:
            raise FetchError(url, f"response is not JSON ({exc})") from exc

    def get_text(self, url: str, params: dict | None = None) -> str:
        """A small text answer (a probe of a CSV API), never cached or archived."""
        return self._request(url, params=params).text

    def post_json(self, url: str, body: dict, headers: dict | None = None):
        resp = self._request(url, headers=headers, method="POST", json_body=body)
        try:
            return resp.json()
        except ValueError as exc:
            raise FetchError(url, f"response is not JSON ({exc})") from exc

    def download(self, url: str, dest: Path, *, conditional: bool = True) -> Fetched:
        """Download url to dest; with conditional=True send the stored validators."""
        headers = {}
        known = self._validators.get(url, {}) if conditional else {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        resp = self._request(url, headers=headers)
        if resp.status_code == 304:
            return Fetched(url, 304, None, known.get("etag"), known.get("last_modified"))
        expected = resp.headers.get("Content-Length")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(resp.content)
        received = _bytes_on_the_wire(resp)
        if expected is not None and received is not None and int(expected) != received:
            raise FetchError(url, f"truncated download: {received} of {expected} bytes")
        etag, modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
        self._validators[url] = {"etag": etag, "last_modified": modified}
        self._save_validators()
        return Fetched(url, 200, dest, etag, modified)

    def remember(self, url: str, sha256: str) -> None:
        self._validators.setdefault(url, {})["sha256"] = sha256
        self._save_validators()

    def known_sha(self, url: str) -> str | None:
        return self._validators.get(url, {}).get("sha256")


def looks_whole(path: Path) -> bool:
    """False when a downloaded body is plainly not the file its name promises: a web page sent in
    its place (a CDN's error or challenge page), or a zip-based spreadsheet cut short without a
    Content-Length (its zip directory, at the end, is missing)."""
    suffix = path.suffix.lower()
    if suffix in WEB_PAGE_SUFFIXES:
        return True
    with open(path, "rb") as fh:
        head = fh.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return False
    return suffix not in ZIP_CONTAINERS or zipfile.is_zipfile(path)


def _bytes_on_the_wire(resp: requests.Response) -> int | None:
    """How many bytes of body arrived, to compare with Content-Length. That header counts the body
    as sent: compressed when the publisher gzips it (Nomis, ArcGIS and CDNs do, since requests asks
    for gzip), so the decoded content is compared only when nothing was encoded; an encoded body is
    measured by what the connection read (None when the transport cannot say)."""
    encoding = resp.headers.get("Content-Encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return len(resp.content)
    tell = getattr(resp.raw, "tell", None)
    return tell() if callable(tell) else None
