"""Run `inclusion refresh` in this process and SIGKILL it at a named point (the fault suite's crash).

    python -m tests.faults.kill_at POINT      # POINT: landing_transaction | sql_step | publish_rename | site_pages

Each point wraps one function the refresh calls, so the kill lands at the same place every time
(deterministic, unlike a timer): inside a source's landing transaction, right after a mart is
replaced, after the new warehouse file is written but before it is renamed into place, and part
way through writing the site's pages.
"""

from __future__ import annotations

import os
import signal
import sys


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def arm(point: str) -> None:
    if point == "landing_transaction":
        import assets.landing as ld

        original = ld._insert

        def insert(con, relpath, frame):  # called after the source's old rows were deleted
            if relpath.endswith("landing/insert_indicator_values.sql"):
                _die()
            return original(con, relpath, frame)

        ld._insert = insert
    elif point == "sql_step":
        from assets.warehouse import Warehouse

        original_run = Warehouse.run  # a staticmethod: the plain function

        def run(con, relpath, params=None):
            result = original_run(con, relpath, params)
            if relpath == "marts/indicator_values.sql":
                _die()
            return result

        Warehouse.run = staticmethod(run)
    elif point == "publish_rename":
        import assets.warehouse as wh

        class _Os:
            def __getattr__(self, name):
                return getattr(os, name)

            @staticmethod
            def replace(src, dst):
                if str(src).endswith(".publishing"):
                    _die()
                return os.replace(src, dst)

        wh.os = _Os()
    elif point == "site_pages":
        # Area pages are written by forked workers; the refresh itself writes the site-wide pages
        # after them. Kill the refresh at its first such page: area pages written, the site unfinished.
        from dashboards.sitefiles import SiteWriter

        original_write = SiteWriter.write_bytes
        refresh_pid = os.getpid()

        def write_bytes(self, relative, data):
            if str(relative).endswith(".html") and os.getpid() == refresh_pid:
                _die()
            return original_write(self, relative, data)

        SiteWriter.write_bytes = write_bytes
    else:
        raise SystemExit(f"unknown kill point {point!r}")


if __name__ == "__main__":
    arm(sys.argv[1])
    from pipelines.cli import main

    sys.exit(main(["refresh", "--log-level", "WARNING"]))
