"""`inclusion` command line: refresh (the full job), serve (the dashboards), dev (the Dagster UI),
sql (the DuckDB shell on the published warehouse), records (check files)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from assets.settings import Settings

# Modules only some commands use are imported in them: `inclusion records check` (whose start-up
# is part of its time against bare DuckDB) imports none of socket, uuid, json, errno or shutil.


def reachable(host: str, port: int = 443, timeout: float = 3.0) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def preflight(settings: Settings) -> list[str]:
    """Sources that have no mirror folder, cannot reach their publisher and have nothing archived."""
    from urllib.parse import urlparse

    from sources.acquire import mirror_files
    from sources.http import HttpClient
    from sources.registry import registered

    rewrite = HttpClient(rewrites=dict(settings.http_rewrites)).rewrite

    problems, checked = [], {}
    for described in registered():
        source_id, host = described.source_id, described.host
        if settings.mirror and mirror_files(settings.mirror, source_id) is not None:
            continue
        if (settings.archive_dir / source_id).is_dir():
            continue  # last good raw files exist; the refresh will mark the source stale if offline
        if host not in checked:
            target = urlparse(rewrite("https://" + host))
            checked[host] = reachable(target.hostname or host, target.port or (443 if target.scheme == "https" else 80))
        if not checked[host]:
            where = f"no folder {settings.mirror / source_id}" if settings.mirror else "INCLUSION_MIRROR is not set"
            problems.append(f"source {source_id} could not be reached: {host} is unreachable and {where}")
    return problems


BASE_DIR_LINE = "  # config: base_dir (written here by `inclusion` when it copies this file into a Dagster home)"


def dagster_yaml_for(home: Path) -> str:
    """pipelines/dagster.yaml for one Dagster home: the event log's folder written in, so any process
    opening the home (with DAGSTER_HOME set or not) finds it."""
    import json

    from .event_log import event_log_dir

    text = Path(__file__).with_name("dagster.yaml").read_text()
    return text.replace(BASE_DIR_LINE, "  config:\n    base_dir: " + json.dumps(event_log_dir(home.resolve())))


def _dagster_home(settings: Settings) -> None:
    """One Dagster home per deployment (<INCLUSION_HOME>/dagster_home) for the CLI and the UI alike."""
    if not os.environ.get("DAGSTER_HOME"):
        home = settings.home / "dagster_home"
        home.mkdir(parents=True, exist_ok=True)
        config = home / "dagster.yaml"
        if not config.exists():
            config.write_text(dagster_yaml_for(home))
        else:
            _follow_the_home(config, home)
        os.environ["DAGSTER_HOME"] = str(home)


def _follow_the_home(config: Path, home: Path) -> None:
    """A home moved or copied elsewhere carries a dagster.yaml whose event log folder (an absolute
    path) is still the old home's: its runs would record their data versions there, and a copy and
    its original would read each other's, skipping work the other did (stale data served). The line
    is pointed at this home's own folder (which holds the history that moved with it); the rest of
    the file, an operator's edits included, is kept."""
    import json

    from .event_log import event_log_dir

    wanted = "    base_dir: " + json.dumps(event_log_dir(home.resolve()))
    lines, block = config.read_text().splitlines(keepends=True), None
    for i, line in enumerate(lines):
        if line[:1] not in ("", " ", "#", "\n"):  # a top-level key starts a block
            block = line.split(":")[0]
        if block == "event_log_storage" and line.startswith("    base_dir: "):
            if line.rstrip("\n") != wanted:
                lines[i] = wanted + "\n"
                config.write_text("".join(lines))
            return


def _instance(settings: Settings):
    import dagster as dg

    _dagster_home(settings)
    return dg.DagsterInstance.get()


def _settings(what: str) -> Settings | None:
    """The deployment's settings, or None after saying in plain words why `what` did not start."""
    try:
        return Settings.from_env()
    except ValueError as exc:
        print(f"{what} not started: {exc}", file=sys.stderr)
        return None


def dev(args) -> int:
    """The Dagster UI on the same settings as `inclusion refresh` (environment over inclusion.env)."""
    import shutil

    settings = _settings("Dagster UI")
    if settings is None:
        return 2
    _dagster_home(settings)
    print(
        f"Settings: home {settings.home}, mirror {settings.mirror or 'none (live from publishers)'}, "
        f"nightly schedule {'on' if settings.nightly else 'off'}",
        file=sys.stderr,
    )
    root = Path(__file__).resolve().parents[1]
    dagster = shutil.which("dagster", path=str(Path(sys.executable).parent)) or "dagster"
    os.chdir(root)
    os.execv(dagster, [dagster, "dev", "-w", str(root / "workspace.yaml"), *args.rest])


def _freeze_at_exit() -> None:
    """At its exit, a refresh's process spent 0.6-0.9 s of CPU (about a fifth of a refresh with
    nothing new) in Python's collector, walking the some 200,000 objects still alive (Dagster's,
    the definitions') again and again while the modules are torn down. Frozen by the first exit
    handler to run, they are left to the process's end, which frees their memory at once. Files
    are closed before: the DuckDB connections by their with blocks (no .wal is left; the kill
    story's last refresh checks it); Dagster's SQLite event log was left open at exit before too."""
    import atexit
    import gc

    atexit.unregister(gc.freeze)  # once, however many refreshes one process runs (tests)
    atexit.register(gc.freeze)


def _pause_collector(whole_process: bool) -> Callable[[], None]:
    """Loading Dagster, the definitions and Dagster's storage makes some 200,000 objects that live
    as long as the process, and Python's collector walked them over and over while they were made
    (0.25 s of CPU, a fifth of it in three full collections). When the process is the command's
    own (`inclusion refresh`, `python -m pipelines.cli refresh`), the collector waits until they
    are made, then they are frozen (never examined again) and it runs as usual for everything
    after. Called from another program (a test), nothing changes: freezing there would keep that
    program's garbage of the moment for good. Returns what ends the pause (once)."""
    import gc

    if not whole_process or not gc.isenabled():
        return lambda: None
    gc.disable()

    def resume() -> None:
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    return resume


def _held_if_built(defs) -> AbstractContextManager:
    """The private database held open (Warehouse.held) from housekeeping to the end of the last run,
    when one exists: housekeeping, the plans and the runs join it instead of each opening the file
    (~40 ms of CPU each). None yet (a first refresh): nothing is opened before the run creates it."""
    from contextlib import nullcontext

    warehouse = defs.resources["warehouse"].warehouse
    return warehouse.held() if warehouse.work_path.exists() else nullcontext()


def _say_if_waiting(defs) -> None:
    """Another refresh running: this one waits on its lock. Say so, or it looks hung."""
    warehouse = defs.resources["warehouse"].warehouse
    if warehouse.busy():
        print(
            f"Another refresh is running (it holds {warehouse.lock_path}); this one starts when it "
            f"ends, waiting up to {warehouse.lock_timeout / 60:.0f} minutes.",
            file=sys.stderr,
        )


def refresh(args) -> int:
    _freeze_at_exit()
    resume = _pause_collector(getattr(args, "whole_process", False))
    try:
        return _refresh(args, resume)
    finally:
        resume()


def _refresh(args, loaded: Callable[[], None]) -> int:
    import time
    import uuid

    try:
        settings = Settings.from_env()
    except ValueError as exc:  # a malformed setting, named in the message
        print(f"Refresh not started; nothing published was changed: {exc}", file=sys.stderr)
        return 2
    started = time.monotonic()
    problems = preflight(settings)
    if problems:
        print("Refresh not started; nothing published was changed.", file=sys.stderr)
        for p in problems:
            print("  - " + p, file=sys.stderr)
        print(
            "To run offline, point INCLUSION_MIRROR at a mirror laid out as <mirror>/<source_id>/<files>,"
            " e.g. INCLUSION_MIRROR=../shared/data make refresh",
            file=sys.stderr,
        )
        return 2
    from .faults import plain

    try:
        from .definitions import defs
        from .housekeeping import housekeep
        from .plan import REFRESH_TAG, run_planned
        from .progress import with_progress
        from .summary import Runs, print_summary

        instance = _instance(settings)
        loaded()  # what lives as long as the process is made: the collector resumes
        refresh_id = uuid.uuid4().hex  # on both runs of this refresh: retention counts it once

        def execute(planned):
            job, progress = with_progress(planned)
            return job.execute_in_process(
                instance=instance,
                raise_on_error=False,
                run_config={"loggers": {"console": {"config": {"log_level": args.log_level}}, **progress}},
                tags={REFRESH_TAG: refresh_id},
            )

        _say_if_waiting(defs)
        with _held_if_built(defs):
            for line in housekeep(instance, settings.layout, settings.retention_days, settings.retention_runs).lines():
                print(line)
            # Only what can have anything new runs (pipelines/plan.py): the roots first, then the rest.
            result = Runs(run_planned(defs, instance, execute))
        return print_summary(result, settings, time.monotonic() - started)
    except KeyboardInterrupt:  # Ctrl+C outside a step (a step's own is in its run's summary)
        print(
            "Refresh interrupted: the published warehouse and site were not changed; run it again to carry on.",
            file=sys.stderr,
        )
        return 130
    except Exception as exc:  # a fault outside any step (Dagster's storage, the disk): plain words, no traceback
        home = Path(os.environ["DAGSTER_HOME"]) if os.environ.get("DAGSTER_HOME") else None
        message = plain(exc, home=settings.home, dagster_home=home)
        print(
            "Refresh FAILED: "
            + (
                message
                or f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"
                " (details in the Dagster event log; the published warehouse was not changed)"
            ),
            file=sys.stderr,
        )
        return 3


def serve(args) -> int:
    import errno

    from dashboards.serve import serve as serve_site

    settings = _settings("Server")
    if settings is None:
        return 2
    if not (settings.site_dir / "index.html").exists():
        print(f"No site at {settings.site_dir}: run the refresh first.", file=sys.stderr)
        return 2
    try:
        serve_site(settings.site_dir, port=args.port, host=args.host)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            busy = (
                "is already in use (another `inclusion serve`?)"
                if exc.errno == errno.EADDRINUSE
                else "needs administrator rights"
            )
            print(
                f"Cannot serve on {args.host}:{args.port}: the port {busy}. Choose another with "
                f"--port, e.g. inclusion serve --port {args.port + 1 if args.port else 8001}",
                file=sys.stderr,
            )
            return 2
        # Any other reason the address cannot be used (a host name that does not resolve, an address
        # not on this machine): plain words, never a traceback.
        print(f"Cannot serve on {args.host}:{args.port}: {exc.strerror or exc}.", file=sys.stderr)
        return 2
    return 0


def accept_shrink(args) -> int:
    """Let the next refresh land a release far smaller than the last good one (once per source)."""
    from sources.archive import now_utc
    from sources.registry import SOURCE_IDS
    from sources.shrink import accept

    unknown = [s for s in args.sources if s not in SOURCE_IDS]
    if unknown:
        print(f"Unknown source {', '.join(unknown)}; sources are: {', '.join(SOURCE_IDS)}", file=sys.stderr)
        return 2
    settings = _settings("accept-shrink")
    if settings is None:
        return 2
    accept(settings.work_db_path.parent, args.sources, when=now_utc())
    print(
        f"The next refresh will land {', '.join(args.sources)} even if far smaller than the last good "
        f"release (once; the acceptance is then used up)."
    )
    return 0


def sql(args) -> int:
    """The DuckDB shell (installed by setup) on the published warehouse, read-only."""
    import shutil

    settings = _settings("DuckDB shell")
    if settings is None:
        return 2
    if not settings.warehouse_path.exists():
        print(f"No warehouse at {settings.warehouse_path}: run 'make refresh' first.", file=sys.stderr)
        return 2
    shell = shutil.which("duckdb", path=str(Path(sys.executable).parent)) or shutil.which("duckdb")
    if shell is None:
        print("The DuckDB shell is not installed: run 'make setup' (it installs duckdb-cli).", file=sys.stderr)
        return 2
    os.execv(shell, [shell, "-readonly", str(settings.warehouse_path), *args.rest])


def _port(text: str) -> int:
    """A TCP port for `inclusion serve`, 0 to 65535 (argparse names the option and exits 2 otherwise)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number from 0 to 65535")
    return port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="inclusion", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_refresh = sub.add_parser("refresh", help="run the full refresh: fetch, check, publish, build dashboards")
    p_refresh.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    p_serve = sub.add_parser("serve", help="serve build/site on http://127.0.0.1:8000/")
    p_serve.add_argument("--port", type=_port, default=8000, help="0 picks a free port (default 8000)")
    p_serve.add_argument("--host", default="127.0.0.1")
    p_dev = sub.add_parser("dev", help="open the Dagster UI with the refresh's settings (make dev)")
    p_dev.add_argument("rest", nargs=argparse.REMAINDER, help="passed on to dagster dev")
    p_sql = sub.add_parser("sql", help="open the published warehouse read-only in the DuckDB shell (make sql)")
    p_sql.add_argument("rest", nargs=argparse.REMAINDER, help="passed on to duckdb, e.g. -c 'SELECT 1'")
    p_accept = sub.add_parser(
        "accept-shrink",
        help="let the next refresh land a release of SOURCE with far "
        "fewer rows, areas or periods than its last good one",
    )
    p_accept.add_argument("sources", nargs="+", metavar="SOURCE")
    p_records = sub.add_parser(
        "records", add_help=False, help="check co-production records or write the template (records --help)"
    )
    p_records.add_argument("rest", nargs=argparse.REMAINDER)
    whole_process = argv is None  # the command line's own process, not a call from a program
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("sql", "dev"):  # everything after is the shell's or dagster's own options
        return {"sql": sql, "dev": dev}[argv[0]](argparse.Namespace(command=argv[0], rest=argv[1:]))
    if argv and argv[0] == "records":  # its own parser, `records --help` included
        from .records_cli import records_main

        return records_main(argv[1:])
    args = parser.parse_args(argv)
    args.whole_process = whole_process
    if args.command == "records":
        from .records_cli import records_main

        return records_main(args.rest)
    return {"refresh": refresh, "serve": serve, "dev": dev, "sql": sql, "accept-shrink": accept_shrink}[args.command](
        args
    )


if __name__ == "__main__":
    sys.exit(main())
