"""Run a command; write its wall time and peak memory, measured from a small parent.

    python -S _launch.py OUT_FILE COMMAND [ARGUMENT ...]

A process's ``ru_maxrss`` starts from its parent's high-water mark when it was spawned
(fork or vfork, then exec, carry it over), so a benchmark driver that has grown would
inflate every child's figure. This launcher stays a few megabytes, far below any
Python child's own peak, so the figure it writes is the command's own.
"""

import json
import os
import sys
import time


def main() -> None:
    out, *command = sys.argv[1:]
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.execvp(command[0], command)

    _, status, usage = os.wait4(pid, 0)
    figures = {"wall_s": time.perf_counter() - started, "peak_rss_kb": usage.ru_maxrss}
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(figures, handle)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
