"""Run a command while other processes keep every core busy: the suite must pass on a loaded machine.

    python tests/load.py [--burners N] -- COMMAND...    # N defaults to the number of cores

Each burner is a separate process spinning on arithmetic at normal priority, so the command gets
about half of each core; a little memory is touched too, so caches are not the command's alone.
The burners stop when the command ends (or this script is interrupted); the command's exit code
is returned.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys


def burn() -> None:
    block = bytearray(32 * 1024 * 1024)
    i = 0
    while True:
        i = (i * 1103515245 + 12345) % 2147483648
        block[i % len(block)] = i & 0xFF


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burners", type=int, default=os.cpu_count() or 2)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    burners = [multiprocessing.Process(target=burn, daemon=True) for _ in range(args.burners)]
    for proc in burners:
        proc.start()
    print(f"load: {len(burners)} CPU burners running beside: {' '.join(command)}", flush=True)
    try:
        return subprocess.call(command)
    finally:
        for proc in burners:
            proc.kill()
            proc.join()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
