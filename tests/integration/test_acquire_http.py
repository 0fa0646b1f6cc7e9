"""Mirror and live acquisition, against a local HTTP server on 127.0.0.1."""

import gzip
import io
import threading
import zipfile

import pytest

from sources.acquire import RemoteFile, acquire, mirror_files
from sources.errors import SourceUnavailable
from sources.http import FetchError, HttpClient
from tests.fixtures.http_server import LocalServer


def test_mirror_folder_wins_and_files_are_archived_with_provenance(tmp_path, archive):
    mirror = tmp_path / "mirror"
    (mirror / "demo").mkdir(parents=True)
    (mirror / "demo" / "SOURCE.md").write_text("docs, not data")
    (mirror / "demo" / "~$table.xlsx").write_bytes(b"\x05owner")  # Excel's lock: the workbook is open
    (mirror / "demo" / "Thumbs.db").write_bytes(b"\xd0\xcf")
    (mirror / "demo" / "table.csv").write_text("a,b\n1,2\n")
    files, mode = acquire("demo", archive=archive, mirror=mirror, http=HttpClient(), discover=None)
    assert mode == "mirror"
    assert [f.original_name for f in files] == ["table.csv"]
    raw = files[0]
    assert raw.origin.endswith("mirror/demo/table.csv") and len(raw.sha256) == 64
    assert (archive.root / "demo" / raw.sha256 / "table.csv").read_text() == "a,b\n1,2\n"
    assert (archive.root / "demo" / raw.sha256 / "provenance.json").exists()
    assert mirror_files(mirror, "absent") is None


def test_live_download_then_conditional_request_downloads_nothing(tmp_path, archive):
    with LocalServer() as server:
        server.static("/files/t.csv", b"x,y\n1,2\n")
        http = HttpClient(tmp_path / "validators.json", retries=0)
        discover = lambda h: [RemoteFile(server.url + "/files/t.csv", "t.csv", "2024")]  # noqa: E731
        first, mode = acquire("demo", archive=archive, mirror=None, http=http, discover=discover)
        assert mode == "live" and first[0].release == "2024"
        again, _ = acquire(
            "demo",
            archive=archive,
            mirror=None,
            http=HttpClient(tmp_path / "validators.json", retries=0),
            discover=discover,
        )
        assert again[0].sha256 == first[0].sha256
        gets = [r for r in server.requests if r[1] == "/files/t.csv"]
        assert len(gets) == 2 and "If-None-Match" in gets[1][2]


def test_http_500_is_retried_then_reported_by_source(tmp_path, archive):
    with LocalServer() as server:
        server.routes["/broken"] = lambda req: (500, {}, b"oops")
        http = HttpClient(retries=2, backoff=0.01)
        with pytest.raises(SourceUnavailable) as err:
            acquire(
                "demo",
                archive=archive,
                mirror=None,
                http=http,
                discover=lambda h: [RemoteFile(server.url + "/broken", "b.csv")],
            )
        assert "source demo could not be reached" in str(err.value)
        assert "HTTP 500" in str(err.value) and "INCLUSION_MIRROR" in str(err.value)
        assert len(server.requests) == 3  # one try and two retries


def test_timeout_is_bounded():
    # The server answers only after the client has given up (or after 60 s): a client that waited
    # instead of timing out would get "late" and no error. No elapsed time is measured.
    client_gave_up = threading.Event()

    def slow(req):
        client_gave_up.wait(60)
        return 200, {}, b"late"

    with LocalServer() as server:
        server.routes["/slow"] = slow
        http = HttpClient(timeout=0.3, retries=1, backoff=0.01)
        try:
            with pytest.raises(FetchError, match="timed out"):
                http.get_json(server.url + "/slow")
        finally:
            client_gave_up.set()


def test_truncated_download_is_detected(tmp_path):
    with LocalServer() as server:
        server.routes["/short"] = lambda req: (200, {"Content-Length": "100"}, b"only a little")
        with pytest.raises(FetchError):
            HttpClient(retries=0, timeout=2).download(server.url + "/short", tmp_path / "s.bin")


def test_unreachable_publisher_names_the_source(archive):
    http = HttpClient(retries=0, timeout=1)
    with pytest.raises(SourceUnavailable, match="source demo could not be reached"):
        acquire(
            "demo",
            archive=archive,
            mirror=None,
            http=http,
            discover=lambda h: [RemoteFile("http://127.0.0.1:9/none.csv", "none.csv")],
        )


def test_a_gzipped_download_is_whole_and_a_cut_one_is_not(tmp_path):
    # requests asks for gzip; a publisher that sends it (Nomis, ArcGIS, a CDN) gives the compressed
    # length in Content-Length. That must not read as a truncation; a cut gzipped body still must.
    body = b"code,value\n" + b"E06000001,1\n" * 500
    packed = gzip.compress(body)
    with LocalServer() as server:
        server.routes["/whole.csv"] = lambda req: (200, {"Content-Encoding": "gzip"}, packed)
        server.routes["/cut.csv"] = lambda req: (
            200,
            {"Content-Encoding": "gzip", "Content-Length": str(len(packed))},
            packed[: len(packed) // 2],
        )
        http = HttpClient(retries=0, timeout=2)
        fetched = http.download(server.url + "/whole.csv", tmp_path / "whole.csv")
        assert fetched.status == 200 and (tmp_path / "whole.csv").read_bytes() == body
        with pytest.raises(FetchError, match="truncated"):
            http.download(server.url + "/cut.csv", tmp_path / "cut.csv")


@pytest.mark.parametrize("damage", [b'{"http://x/a.csv": {"etag": "\\"ab', b"\xff\xfe", b"[]"])
def test_a_damaged_validator_cache_costs_a_download_not_the_refresh(tmp_path, damage):
    # The cache is shared by every source's raw step: unreadable, it must not fail them all.
    cache = tmp_path / "http_cache.json"
    cache.write_bytes(damage)
    with LocalServer() as server:
        server.static("/t.csv", b"x,y\n1,2\n")
        fetched = HttpClient(cache, retries=0).download(server.url + "/t.csv", tmp_path / "t.csv")
        assert fetched.status == 200 and (tmp_path / "t.csv").read_bytes() == b"x,y\n1,2\n"
        assert (tmp_path / "http_cache.json.unreadable").read_bytes() == damage
        again = HttpClient(cache, retries=0).download(server.url + "/t.csv", tmp_path / "t2.csv")
        assert again.status == 304  # the rewritten cache is whole and used


@pytest.mark.parametrize(
    "bad_body",
    [
        b"\n<!DOCTYPE html><html><body>Checking your browser...</body></html>",
        b"PK\x03\x04 the first bytes of a workbook, then nothing",
    ],
)
def test_a_page_or_cut_file_in_place_of_an_edition_is_fetched_again(tmp_path, archive, bad_body):
    # An edition's URL is fetched once and its bytes kept for good: a wrong 200 body kept so would
    # leave the source stale for ever. It is archived (the parser reports it, or sets an older
    # edition aside) but not kept for good: the next refresh fetches the real file.
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w") as book:
        book.writestr("content.xml", "<sheet/>")
    with LocalServer() as server:
        server.static("/media/t.xlsx", bad_body)
        http = HttpClient(tmp_path / "validators.json", retries=0)
        discover = lambda h: [RemoteFile(server.url + "/media/t.xlsx", "t.xlsx", "2024", immutable=True)]  # noqa: E731
        first, _ = acquire("demo", archive=archive, mirror=None, http=http, discover=discover)
        assert open(first[0].path, "rb").read() == bad_body
        server.static("/media/t.xlsx", good.getvalue())
        again, _ = acquire("demo", archive=archive, mirror=None, http=http, discover=discover)
        assert open(again[0].path, "rb").read() == good.getvalue()
        # and, once whole, it is kept for good: not fetched a third time
        before = len(server.requests)
        acquire("demo", archive=archive, mirror=None, http=http, discover=discover)
        assert len(server.requests) == before


def test_a_redirect_loop_is_a_reason_not_a_traceback(tmp_path, archive):
    # A moved page that redirects to itself (or a body that cannot be decoded) fails like any other
    # unreachable publisher: the source is named, with the reason.
    with LocalServer() as server:
        server.routes["/moved"] = lambda req: (302, {"Location": "/moved"}, b"")
        with pytest.raises(SourceUnavailable, match=r"source demo could not be reached.*TooManyRedirects"):
            acquire(
                "demo",
                archive=archive,
                mirror=None,
                http=HttpClient(retries=0),
                discover=lambda h: [RemoteFile(server.url + "/moved", "m.csv")],
            )
