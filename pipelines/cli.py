"""`inclusion` command line: refresh (the full job), serve (the dashboards), records (check files)."""
from __future__ import annotations

import argparse
import errno
import os
import shutil
import socket
import sys
import time
from pathlib import Path

from assets.settings import Settings

# Hosts each source's live path talks to; used only to fail fast when offline with no mirror.
PUBLISHER_HOSTS = {
    "geography": "services1.arcgis.com",
    "population": "www.ons.gov.uk",
    "rough_sleeping": "www.gov.uk",
    "living_wage_ashe": "www.ons.gov.uk",
    "in_work_poverty": "www.gov.uk",
    "social_mobility": "social-mobility.data.gov.uk",
}


def reachable(host: str, port: int = 443, timeout: float = 3.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def preflight(settings: Settings) -> list[str]:
    """Sources that have no mirror folder, cannot reach their publisher and have nothing archived."""
    from urllib.parse import urlparse

    from sources.acquire import mirror_files
    from sources.catalogue import SOURCE_MODULES
    from sources.http import HttpClient

    rewrite = HttpClient(rewrites=dict(settings.http_rewrites)).rewrite

    problems, checked = [], {}
    for source_id in SOURCE_MODULES:
        if settings.mirror and mirror_files(settings.mirror, source_id) is not None:
            continue
        if (settings.archive_dir / source_id).is_dir():
            continue  # last good raw files exist; the refresh will mark the source stale if offline
        host = PUBLISHER_HOSTS.get(source_id, "www.gov.uk")
        if host not in checked:
            target = urlparse(rewrite("https://" + host))
            checked[host] = reachable(target.hostname or host,
                                      target.port or (443 if target.scheme == "https" else 80))
        if not checked[host]:
            where = (f"no folder {settings.mirror / source_id}" if settings.mirror
                     else "INCLUSION_MIRROR is not set")
            problems.append(f"source {source_id} could not be reached: {host} is unreachable and {where}")
    return problems


def _instance(settings: Settings):
    import dagster as dg

    if not os.environ.get("DAGSTER_HOME"):
        home = settings.home / "dagster_home"
        home.mkdir(parents=True, exist_ok=True)
        if not (home / "dagster.yaml").exists():
            shutil.copyfile(Path(__file__).with_name("dagster.yaml"), home / "dagster.yaml")
        os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()


def refresh(args) -> int:
    try:
        settings = Settings.from_env()
    except ValueError as exc:   # a malformed setting, named in the message
        print(f"Refresh not started; nothing published was changed: {exc}", file=sys.stderr)
        return 2
    started = time.monotonic()
    problems = preflight(settings)
    if problems:
        print("Refresh not started; nothing published was changed.", file=sys.stderr)
        for p in problems:
            print("  - " + p, file=sys.stderr)
        print("To run offline, point INCLUSION_MIRROR at a mirror laid out as <mirror>/<source_id>/<files>,"
              " e.g. INCLUSION_MIRROR=../shared/data make refresh", file=sys.stderr)
        return 2
    from .faults import plain

    try:
        from .definitions import defs
        from .housekeeping import housekeep
        from .summary import print_summary

        instance = _instance(settings)
        for line in housekeep(instance, settings).lines():
            print(line)
        result = defs.resolve_job_def("full_refresh").execute_in_process(
            instance=instance, raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": args.log_level}}}})
        return print_summary(result, settings, time.monotonic() - started)
    except Exception as exc:  # a fault outside any step (Dagster's storage, the disk): plain words, no traceback
        home = Path(os.environ["DAGSTER_HOME"]) if os.environ.get("DAGSTER_HOME") else None
        message = plain(exc, home=settings.home, dagster_home=home)
        print("Refresh FAILED: " + (message or f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"
                                    " (details in the Dagster event log; the published warehouse was not changed)"),
              file=sys.stderr)
        return 3


def serve(args) -> int:
    from dashboards.serve import serve as serve_site

    settings = Settings.from_env()
    if not (settings.site_dir / "index.html").exists():
        print(f"No site at {settings.site_dir}: run the refresh first.", file=sys.stderr)
        return 2
    try:
        serve_site(settings.site_dir, port=args.port, host=args.host)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            busy = "is already in use (another `inclusion serve`?)" if exc.errno == errno.EADDRINUSE \
                else "needs administrator rights"
            print(f"Cannot serve on {args.host}:{args.port}: the port {busy}. Choose another with "
                  f"--port, e.g. inclusion serve --port {args.port + 1 if args.port else 8001}", file=sys.stderr)
            return 2
        raise
    return 0


def accept_shrink(args) -> int:
    """Let the next refresh land a release far smaller than the last good one (once per source)."""
    from sources.archive import now_utc
    from sources.catalogue import SOURCE_MODULES
    from sources.shrink import accept

    unknown = [s for s in args.sources if s not in SOURCE_MODULES]
    if unknown:
        print(f"Unknown source {', '.join(unknown)}; sources are: {', '.join(SOURCE_MODULES)}", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    accept(settings.work_db_path.parent, args.sources, when=now_utc())
    print(f"The next refresh will land {', '.join(args.sources)} even if far smaller than the last good "
          f"release (once; the acceptance is then used up).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="inclusion", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_refresh = sub.add_parser("refresh", help="run the full refresh: fetch, check, publish, build dashboards")
    p_refresh.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    p_serve = sub.add_parser("serve", help="serve build/site on http://127.0.0.1:8000/")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--host", default="127.0.0.1")
    p_accept = sub.add_parser("accept-shrink", help="let the next refresh land a release of SOURCE with far "
                                                    "fewer rows, areas or periods than its last good one")
    p_accept.add_argument("sources", nargs="+", metavar="SOURCE")
    p_records = sub.add_parser("records", add_help=False,
                               help="check co-production records or write the template (records --help)")
    p_records.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.command == "records":
        from .records_cli import records_main
        return records_main(args.rest)
    return {"refresh": refresh, "serve": serve, "accept-shrink": accept_shrink}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
