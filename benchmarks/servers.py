"""Production servers compared under the load benchmark's citizen mix, on PostgreSQL.

    python -m benchmarks.servers [--users 10,50,100] [--seconds 60] [--citizens 120]
                                [--servers waitress,gunicorn] [--markdown out.md]

One command: it starts a throwaway PostgreSQL cluster (initdb in a temporary folder,
port 55440 unless --pg-port; as the `postgres` user when run as root), fills it with
distinct citizens (benchmarks/load/population.py), then for each server and each number
of users serves the app the production way, runs locust headless (benchmarks/load)
and prints one line: requests/s, p50/p95/p99 of all requests, failures, and the load
average of the machine before and after (a busy machine makes every number worse: say
so when you quote one). The cluster is stopped and removed at the end.

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
import time
import urllib.request
from pathlib import Path

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

    def __exit__(self, *exc):
        subprocess.run(_as_pg([str(self.pg / "pg_ctl"), "-D", str(self.dir / "data"), "-m",
                               "fast", "-w", "stop"]), capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


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


def _locust(url, users, seconds, env, prefix):
    subprocess.run([str(BIN / "locust"), "-f", "benchmarks/load/locustfile.py", "--headless",
                    "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s",
                    "--host", url, "--csv", prefix, "--only-summary"],
                   cwd=ROOT, env=env, capture_output=True, timeout=seconds + 120)
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="10,50,100")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--citizens", type=int, default=120)
    parser.add_argument("--servers", default="waitress,gunicorn")
    parser.add_argument("--pg-port", type=int, default=55440)
    parser.add_argument("--markdown")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-servers-"))
    lines = ["| server | users | req/s | p50 ms | p95 ms | p99 ms | failures | load avg "
             "before → after |", "|---|---|---|---|---|---|---|---|"]
    print(lines[0])
    with Cluster(args.pg_port) as url:
        env = dict(os.environ, DATABASE_URL=url, WEBAPP_INSTANCE_PATH=str(tmp / "instance"),
                   WEBAPP_STORAGE_PATH=str(tmp / "storage"), WEBAPP_SECURE_COOKIES="0",
                   WEBAPP_RATELIMIT="0", WEBAPP_MAIL_TRANSPORT="console",
                   LOAD_USERS=str(tmp / "users.json"))
        subprocess.run([sys.executable, "-m", "benchmarks.load.population", "--citizens",
                        str(args.citizens), "--out", env["LOAD_USERS"]],
                       cwd=ROOT, env=env, check=True)
        for name in args.servers.split(","):
            for users in [int(u) for u in args.users.split(",")]:
                process, served = _serve(name, env)
                try:
                    before = os.getloadavg()[0]
                    rows = _locust(served, users, args.seconds, env, str(tmp / f"{name}{users}"))
                    after = os.getloadavg()[0]
                finally:
                    process.terminate()
                    try:
                        process.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
                total = next(r for r in rows if r["Name"] == "Aggregated")
                line = (f"| {name} | {users} | {float(total['Requests/s']):.1f} | "
                        f"{total['50%']} | {total['95%']} | {total['99%']} | "
                        f"{total['Failure Count']} | {before:.1f} → {after:.1f} |")
                lines.append(line)
                print(line, flush=True)
                for r in rows:
                    if r["Name"] != "Aggregated":
                        lines.append(f"|   {r['Name']} | | {float(r['Requests/s']):.1f} | "
                                     f"{r['50%']} | {r['95%']} | {r['99%']} | "
                                     f"{r['Failure Count']} | |")
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
