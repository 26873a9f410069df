#!/usr/bin/python3
"""measure.py SPEC.json RESULTS.json: times whole processes.

SPEC: {"repeats": R, "cases": [{"name", "argv", "ok": [exit codes], "repeats"?: r}, ...]}. Every
case runs R times (or its own r), interleaved round-robin (case 1, case 2, …, case 1, …), so that
the noise of a shared machine falls on every case alike rather than on whichever ran during a
burst. Each run: wall time (time.perf_counter around fork+exec+wait), the child's CPU time
(user + system) and peak RSS (ru_utime, ru_stime, ru_maxrss from os.wait4). The first run's stdout
is kept, and every run's stderr (where iaf --timings prints its stage times). A run whose exit code is not in "ok"
aborts the benchmark.
"""
import json
import os
import selectors
import statistics
import sys
import time


def timed(argv):
    r, w = os.pipe()
    e_r, e_w = os.pipe()
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(w, 1)
        os.dup2(e_w, 2)
        os.close(r)
        os.close(e_r)
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    os.close(w)
    os.close(e_w)
    chunks, errs = [], []
    # Drain both pipes (outputs are small: a line or a progress message).
    sel = selectors.DefaultSelector()
    sel.register(r, selectors.EVENT_READ, chunks)
    sel.register(e_r, selectors.EVENT_READ, errs)
    open_fds = 2
    while open_fds:
        for key, _ in sel.select():
            data = os.read(key.fd, 65536)
            if data:
                key.data.append(data)
            else:
                sel.unregister(key.fd)
                os.close(key.fd)
                open_fds -= 1
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, code, b"".join(chunks).decode(errors="replace"), b"".join(errs).decode(errors="replace")


def main():
    spec = json.load(open(sys.argv[1], encoding="utf-8"))
    cases = spec["cases"]
    default = spec["repeats"]
    results = {c["name"]: {"argv": c["argv"], "wall": [], "cpu": [], "rss": [], "stdout": None, "stderr": []} for c in cases}
    rounds = max(c.get("repeats", default) for c in cases)
    for i in range(rounds):
        for c in cases:
            if i >= c.get("repeats", default):
                continue
            wall, cpu, rss, code, out, err = timed(c["argv"])
            if code not in c.get("ok", [0]):
                sys.exit(f"measure: {c['name']} exited {code}:\n  {' '.join(c['argv'])[:500]}\n{err[-2000:]}")
            r = results[c["name"]]
            r["wall"].append(wall)
            r["cpu"].append(cpu)
            r["rss"].append(rss)
            r["stderr"].append(err)
            if r["stdout"] is None:
                r["stdout"] = out
            print(f"  [{i + 1}/{rounds}] {c['name']}: {wall:.3f} s wall, {cpu:.3f} s CPU, {rss / 2**20:.0f} MiB", file=sys.stderr, flush=True)
    for r in results.values():
        r["median"] = statistics.median(r["wall"])
        r["cpu_median"] = statistics.median(r["cpu"])
        r["min"] = min(r["wall"])
        r["max"] = max(r["wall"])
        r["rss_max"] = max(r["rss"])
    json.dump(results, open(sys.argv[2], "w", encoding="utf-8"), indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
