"""Production servers compared under the load benchmark's citizen mix, on PostgreSQL.

    python -m benchmarks.servers [--users 1,25,50,100:300] [--seconds 120]
                                [--citizens 120] [--servers gunicorn,waitress]
                                [--spawn-rate 4] [--markdown out.md]

One command: it starts a throwaway PostgreSQL cluster (initdb in a temporary folder,
port 55440 unless --pg-port; as the `postgres` user when run as root), fills it with
distinct citizens (benchmarks/load/population.py), then for each server and each number
of users serves the app the production way and runs locust headless (benchmarks/load):
the users start at --spawn-rate a second and sign in once each, then the statistics
restart and the mix runs for the given seconds (100:300 is 100 users for 5 minutes).
It prints one line per run: requests/s, p50/p95/p99 of all requests, failures, the CPU
milliseconds per request of the server's processes and of PostgreSQL's, and the load
average of the machine before and after (a busy machine makes every number worse: say
so when you quote one), then one line per page. The cluster is removed at the end.

Servers: waitress with 8 threads (the README's command before), gunicorn with the
gthread worker, 2 workers of 4 threads, keep-alive 10 s. Both use a pool of PostgreSQL
connections (DATABASE_POOL_SIZE, default 10 per process).
"""

import argparse
import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVERS = {
    "waitress": lambda port: [str(BIN / "waitress-serve"), f"--listen=127.0.0.1:{port}",
                              "--threads=8", "--call", "webapp:create_app"],
    "gunicorn": lambda port: [str(BIN / "gunicorn"), "-b", f"127.0.0.1:{port}",
                              "-k", "gthread", "-w", "2", "--threads", "4",
                              "--keep-alive", "10", "--graceful-timeout", "5",
                              "webapp:create_app()"],
}


def _pg_bin():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    return found[-1] if found else Path(shutil.which("initdb") or "/usr/bin/initdb").parent


def _as_pg(cmd):
    return (["runuser", "-u", "postgres", "--"] + cmd) if os.getuid() == 0 else cmd


class Cluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (fsync off: a benchmark, not a store)."""

    def __init__(self, port):
        self.port, self.dir = port, Path(tempfile.mkdtemp(prefix="bench-pg-"))
        self.pg = _pg_bin()

    def __enter__(self):
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
        subprocess.run(_as_pg([str(self.pg / "initdb"), "-D", str(self.dir / "data"), "-A",
                               "trust", "-U", "postgres"]), check=True, capture_output=True)
        subprocess.run(_as_pg([str(self.pg / "pg_ctl"), "-D", str(self.dir / "data"), "-l",
                               str(self.dir / "log"), "-w", "-o",
                               f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                               "-c fsync=off -c max_connections=200", "start"]),
                       check=True, capture_output=True)
        subprocess.run([str(self.pg / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                        "-U", "postgres", "bench"], check=True)
        return f"postgresql://postgres@127.0.0.1:{self.port}/bench"

    def postmaster(self):
        """The cluster's main process (its backends are its children)."""
        return psutil.Process(int((self.dir / "data" / "postmaster.pid").read_text().split()[0]))

    def __exit__(self, *exc):
        subprocess.run(_as_pg([str(self.pg / "pg_ctl"), "-D", str(self.dir / "data"), "-m",
                               "fast", "-w", "stop"]), capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


class CpuMeter:
    """CPU seconds (user + system) used by process trees (the server and its workers,
    PostgreSQL and its backends) while active: sampled twice a second per process, so
    that a backend that ends in between (a pooled connection recycled) still counts
    what it used until its last sample."""

    def __init__(self, *roots):
        self.roots, self.first, self.last = roots, {}, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, initial=False):
        for index, root in enumerate(self.roots):
            try:
                processes = [root] + root.children(recursive=True)
            except psutil.NoSuchProcess:
                continue
            for p in processes:
                try:
                    times = p.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                key = (index, p.pid, p.create_time())
                self.first.setdefault(key, times.user + times.system if initial else 0.0)
                self.last[key] = times.user + times.system

    def _run(self):
        while not self._stop.wait(0.5):
            self._sample()

    def __enter__(self):
        self._sample(initial=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()

    def seconds(self, index):
        """CPU seconds used by the tree of roots[index] while the meter ran."""
        return sum(self.last[k] - self.first[k] for k in self.last if k[0] == index)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(name, env):
    port = _free_port()
    process = subprocess.Popen(SERVERS[name](port), cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{name} did not start")


def _locust(url, users, seconds, env, prefix, spawn_rate, server, postmaster):
    """Run the mix; return (locust's rows, CPU ms per request of the server and of
    PostgreSQL, measured over the window after every user started)."""
    ramp = users / spawn_rate
    run = subprocess.Popen([str(BIN / "locust"), "-f", "benchmarks/load/locustfile.py",
                            "--headless", "-u", str(users), "-r", str(spawn_rate),
                            "-t", f"{seconds + ramp:.0f}s", "--host", url, "--csv", prefix,
                            "--only-summary", "--reset-stats"],
                           cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    time.sleep(ramp + 2)  # locust's own start, then the ramp: statistics restart here
    started = time.monotonic()
    with CpuMeter(server, postmaster) as meter:
        run.wait(timeout=seconds + ramp + 120)
    cpu = [meter.seconds(0), meter.seconds(1), time.monotonic() - started]
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    requests = max(1.0, float(total["Requests/s"]) * cpu[2])
    return rows, 1000 * cpu[0] / requests, 1000 * cpu[1] / requests


def _runs(spec, default_seconds):
    """The runs of --users: "1,25,100:300" gives [(1, default), (25, default), (100, 300)]."""
    runs = []
    for item in spec.split(","):
        users, _, seconds = item.partition(":")
        runs.append((int(users), int(seconds or default_seconds)))
    return runs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="1,25,50,100:300",
                        help="numbers of users, each with :seconds when not --seconds")
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--citizens", type=int, default=120)
    parser.add_argument("--servers", default="gunicorn,waitress")
    parser.add_argument("--spawn-rate", type=float, default=4,
                        help="virtual users started per second; each signs in once "
                             "(Argon2, 0.2 s of CPU), and the statistics restart when all "
                             "have started, so --seconds is the measured window after that")
    parser.add_argument("--pg-port", type=int, default=55440)
    parser.add_argument("--markdown")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-servers-"))
    lines = ["| server | users | seconds | req/s | p50 ms | p95 ms | p99 ms | failures | "
             "CPU ms/req app | CPU ms/req PostgreSQL | load avg before → after |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    print(lines[0])
    cluster = Cluster(args.pg_port)
    with cluster as url:
        env = dict(os.environ, DATABASE_URL=url, WEBAPP_INSTANCE_PATH=str(tmp / "instance"),
                   WEBAPP_STORAGE_PATH=str(tmp / "storage"), WEBAPP_SECURE_COOKIES="0",
                   WEBAPP_RATELIMIT="0", WEBAPP_MAIL_TRANSPORT="console",
                   LOAD_USERS=str(tmp / "users.json"))
        subprocess.run([sys.executable, "-m", "benchmarks.load.population", "--citizens",
                        str(args.citizens), "--out", env["LOAD_USERS"]],
                       cwd=ROOT, env=env, check=True)
        for name in args.servers.split(","):
            for users, seconds in _runs(args.users, args.seconds):
                process, served = _serve(name, env)
                try:
                    before = os.getloadavg()[0]
                    rows, app_cpu, pg_cpu = _locust(
                        served, users, seconds, env, str(tmp / f"{name}{users}"),
                        args.spawn_rate, psutil.Process(process.pid), cluster.postmaster())
                    after = os.getloadavg()[0]
                finally:
                    process.terminate()
                    try:
                        process.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
                total = next(r for r in rows if r["Name"] == "Aggregated")
                line = (f"| {name} | {users} | {seconds} | {float(total['Requests/s']):.1f} | "
                        f"{total['50%']} | {total['95%']} | {total['99%']} | "
                        f"{total['Failure Count']} | {app_cpu:.1f} | {pg_cpu:.1f} | "
                        f"{before:.1f} → {after:.1f} |")
                lines.append(line)
                print(line, flush=True)
                for r in rows:
                    if r["Name"] != "Aggregated":
                        lines.append(f"|   {r['Name']} | | | {float(r['Requests/s']):.1f} | "
                                     f"{r['50%']} | {r['95%']} | {r['99%']} | "
                                     f"{r['Failure Count']} | | | |")
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
