"""The CPU-bound job of chapter 4's `cpu_scaling` demo, in Python.

Each unit runs the same linear congruential generator as the Rust
version (masked to 64 bits). The script times the job on 1..N threads
(`threading`) and on 1..N processes (`multiprocessing`) and prints one
line per setting: `<kind> <workers> <seconds> <cpu seconds>`, where the CPU
time counts every thread of this process and the pool's worker processes.

Each setting runs `--repeats` times after one untimed warm-up run, and the
line reports the run with the median wall time: a single run on a busy
machine (or a first run that pays for imports and cold caches) can make
GIL-bound threads look faster than one thread, which they are not.
"""

import argparse
import multiprocessing
import os
import sys
import threading
import time

MASK = (1 << 64) - 1


# ANCHOR: unit
def unit(seed, iterations):
    x = seed
    for _ in range(iterations):
        x = (x * 6364136223846793005 + 1442695040888963407) & MASK
    return x >> 33
# ANCHOR_END: unit


def share(first, step, units, iterations):
    return sum(unit(seed, iterations) for seed in range(first, units, step))


def on_threads(units, iterations, workers):
    results = [0] * workers

    def work(index):
        results[index] = share(index, workers, units, iterations)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(results)


def on_processes(units, iterations, workers):
    with multiprocessing.Pool(workers) as pool:
        parts = pool.starmap(
            share, [(i, workers, units, iterations) for i in range(workers)]
        )
    return sum(parts)


def cpu_seconds():
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=32)
    parser.add_argument("--iterations", type=int, default=100_000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    workers = [int(w) for w in args.workers.split(",")]

    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    print(f"version {sys.version.split()[0]} (GIL {'on' if gil else 'off'})")
    expected = None
    for kind, run in (("threads", on_threads), ("processes", on_processes)):
        for n in workers:
            run(args.units, args.iterations, n)  # warm-up, not timed
            samples = []
            for _ in range(max(1, args.repeats)):
                start, cpu_start = time.perf_counter(), cpu_seconds()
                total = run(args.units, args.iterations, n)
                elapsed = time.perf_counter() - start
                samples.append((elapsed, cpu_seconds() - cpu_start))
                if expected is None:
                    expected = total
                assert total == expected, "every split computes the same checksum"
            # The median run (by wall time), with that run's own CPU time.
            elapsed, cpu = sorted(samples)[len(samples) // 2]
            print(f"{kind} {n} {elapsed:.6f} {cpu:.6f}", flush=True)


if __name__ == "__main__":
    main()
