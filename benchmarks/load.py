"""Load (and fault) test: many respondents send a round at once through gunicorn.

What it does, bounded in count and time and on loopback only:

1. creates a fresh database (PostgreSQL: ``wijkbeeld_load`` on the server of ``--pg-url``, dropped
   and created again; SQLite: a file in a temporary folder), migrates it, and opens a round about
   one real Amsterdam wijk with invitations for three groups, through
   :mod:`wijkbeeld.web.urgency.services` (the tokens are shown once, as for a real round);
2. starts gunicorn (``wijkbeeld.web.wsgi``, several workers, DEBUG off) on 127.0.0.1;
3. lets ``--respondents`` clients (threads with httpx, all released at once) GET their personal
   form ``/peiling/<token>/`` (for the CSRF token) and POST step 1, the blind rating (issue 17).
   A share sends a second, different set of answers after the first (the blind step is frozen:
   the first must stay), a share sends two submissions at the same moment (one of the two must be
   stored). Clients retry a 503, a dropped connection or a timeout (the server may have stored
   it: sending again is then acknowledged without changing anything) until the deadline;
4. ``--restart-postgres`` (the fault test; also ``benchmarks/faults.py``): once a third of the
   respondents are acknowledged, restarts PostgreSQL (``pg_ctlcluster --skip-systemctl-redirect
   15 main restart``, a few seconds) while the clients keep sending;
5. checks the database: every acknowledged submission stored exactly once (one response per
   invitation, one answer per theme), with the answers of the first stored submission; no
   500 and no stack trace ever; every respondent acknowledged before the deadline.

Prints p50/p95/p99 latency of the form GET and the answer POST, throughput, 503s and retries,
beside a plain baseline: the same ``submit_response`` service called in-process, one at a time.
Exits 1 when anything was lost, duplicated, wrong, a 500, or not acknowledged in time.

    .venv/bin/python benchmarks/load.py --engine postgres          # 200 respondents
    .venv/bin/python benchmarks/load.py --engine sqlite
    .venv/bin/python benchmarks/load.py --engine sqlite --sqlite-timeout 0.05   # provoke locks
    .venv/bin/python benchmarks/load.py --engine postgres --restart-postgres     # faults
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
KWB_2024 = "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_2024.csv"
WIJK = "WK0363AF"
THEMES = ["veiligheid", "wonen", "werk_inkomen"]
GROUP_SHARES = (("residents", 0.6), ("professionals", 0.25), ("policy", 0.15))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION = re.compile(r'name="revision"(?: value="([^"]*)")?')
ROUND = "2026-load"
PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]


# --------------------------------------------------------------------------------------------
# The database: fresh, migrated, one round with invitations (through the services)


def _fresh_postgres(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


def _wijk_name() -> str:
    raw = Path(os.environ.get("WIJKBEELD_RAW_DATA", ROOT.parent / "shared" / "data" / "raw"))
    try:
        for line in (raw / KWB_2024).read_text(encoding="utf-8-sig").splitlines():
            cells = line.split(";")
            if len(cells) > 1 and WIJK in cells:
                return cells[0].strip()
    except OSError:
        pass
    return WIJK


def prepare(n_invitations: int, round_key: str = ROUND) -> list[tuple[str, str]]:
    """Migrate, open the round ``round_key`` and invite; returns (token, group) per invitation
    (``benchmarks/stress.py`` opens a new round per run in one database)."""
    from datetime import date

    from wijkbeeld.web.bootstrap import ensure_database
    from wijkbeeld.web.figures.store import ensure_areas
    from wijkbeeld.web.urgency.services import create_invitations, open_round

    ensure_database()
    ensure_areas([("GM0363", "Amsterdam"), (WIJK, _wijk_name())], 2024)
    rnd = open_round(round_key, [WIJK], THEMES, date(2026, 11, 1), title="Belastingtest")
    out: list[tuple[str, str]] = []
    left = n_invitations
    for i, (group, share) in enumerate(GROUP_SHARES):
        count = left if i == len(GROUP_SHARES) - 1 else round(n_invitations * share)
        left -= count
        out += [(t, group) for t in create_invitations(rnd, group, count)]
    return out


# --------------------------------------------------------------------------------------------
# The server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db_url: str, workers: int, threads: int, env_extra: dict[str, str],
                 log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": db_url, "WIJKBEELD_DEBUG": "0",
           "WIJKBEELD_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SETTINGS_MODULE":
           "wijkbeeld.web.settings", "WIJKBEELD_DB_CONN_MAX_AGE": "60", **env_extra}
    cmd = [str(VENV_BIN / "gunicorn"), "-c", "python:wijkbeeld.web.gunicorn_conf",
           "wijkbeeld.web.wsgi", "--bind", f"127.0.0.1:{port}",
           "--workers", str(workers), "--threads", str(threads), "--timeout", "60",
           "--graceful-timeout", "5", "--backlog", "512", "--no-control-socket"]
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn stopped (see {log})")
        try:
            if httpx.get(f"{base}/peiling/onbekend/", timeout=2).status_code == 404:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.terminate()
    raise SystemExit("gunicorn did not start within 60 s")


# --------------------------------------------------------------------------------------------
# The respondents


@dataclass
class Stats:
    """Shared, lock-protected counters of the whole run."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    get_ms: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    errors_500: list[str] = field(default_factory=list)
    traces: int = 0
    acked: int = 0
    first_ack: float = 0.0
    last_ack: float = 0.0

    def add(self, kind: str, ms: float, status: str) -> None:
        with self.lock:
            (self.get_ms if kind == "get" else self.post_ms).append(ms)
            self.statuses[f"{kind} {status}"] += 1


def _answers(rng: random.Random) -> dict[str, str]:
    """Step 1 of the form (the blind rating and why): the step every respondent sends first,
    and the one whose first stored copy is frozen (issue 17)."""
    data: dict[str, str] = {"stap": "1"}
    for theme in THEMES:
        data[f"{theme}-rating"] = rng.choice(["1", "2", "3", "4", "5", "weet_niet"])
        data[f"{theme}-comment"] = rng.choice(["", "Te weinig groen.", "Bel me: 06-12345678"])
    return data


class Respondent:
    """One token: GET the form, POST the answers; retry until acknowledged or the deadline."""

    def __init__(self, base: str, token: str, stats: Stats, deadline: float,
                 timeout: float = 60) -> None:
        self.base, self.token, self.stats, self.deadline = base, token, stats, deadline
        self.timeout = timeout
        self.acked: list[dict[str, str]] = []  # submissions acknowledged, in order
        self.sent: list[dict[str, str]] = []  # submissions tried, in order

    def submit(self, data: dict[str, str]) -> bool:
        url = f"{self.base}/peiling/{self.token}/"
        self.sent.append(data)
        wait = 0.2
        with httpx.Client(timeout=self.timeout, follow_redirects=False) as client:
            while time.monotonic() < self.deadline:
                ok = self._attempt(client, url, data)
                if ok:
                    return True
                with self.stats.lock:
                    self.stats.retries += 1
                time.sleep(wait * (0.5 + random.random()))
                wait = min(wait * 2, 2.0)
        return False

    def _attempt(self, client: httpx.Client, url: str, data: dict[str, str]) -> bool:
        t0 = time.perf_counter()
        try:
            page = client.get(url)
        except httpx.HTTPError as exc:
            self.stats.add("get", (time.perf_counter() - t0) * 1000, type(exc).__name__)
            return False
        self.stats.add("get", (time.perf_counter() - t0) * 1000, str(page.status_code))
        if not self._clean(page) or page.status_code != 200:
            return False
        match = CSRF.search(page.text)
        if match is None:
            self._note_500(f"GET {page.status_code}: no CSRF token")
            return False
        t0 = time.perf_counter()
        try:
            revision = REVISION.search(page.text)
            hidden = {"csrfmiddlewaretoken": match.group(1),
                      "revision": revision.group(1) or "" if revision else ""}
            sent = client.post(url, data={**data, **hidden}, headers={"Referer": url})
        except httpx.HTTPError as exc:
            self.stats.add("post", (time.perf_counter() - t0) * 1000, type(exc).__name__)
            return False
        self.stats.add("post", (time.perf_counter() - t0) * 1000, str(sent.status_code))
        if not self._clean(sent):
            return False
        # Acknowledged: on to step 2 (stored now, or already stored: the blind step is frozen).
        if sent.status_code == 302 and "stap=2" in sent.headers.get("location", ""):
            with self.stats.lock:
                self.acked.append(data)
                self.stats.acked += 1
                now = time.monotonic()
                self.stats.first_ack = self.stats.first_ack or now
                self.stats.last_ack = now
            return True
        if sent.status_code == 409:  # stored since the form was shown: show it again and resend
            return False
        if sent.status_code != 503:
            self._note_500(f"POST {sent.status_code}")
        return False

    def _clean(self, response: httpx.Response) -> bool:
        """A 503 must be the plain page; a 500 or a stack trace is a failure of the run."""
        if "Traceback" in response.text or "File \"/" in response.text:
            with self.stats.lock:
                self.stats.traces += 1
        if response.status_code >= 500 and response.status_code != 503:
            self._note_500(f"{response.request.method} {response.status_code}")
            return False
        return response.status_code != 503

    def _note_500(self, what: str) -> None:
        with self.stats.lock:
            self.stats.errors_500.append(what)


def run_clients(base: str, tokens: list[str], args: argparse.Namespace, stats: Stats,
                on_progress: Any = None) -> dict[str, list[Respondent]]:
    """All respondents at once; returns per token the respondents (two for concurrent ones)."""
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.time_limit
    plan: list[tuple[str, str]] = []  # (token, mode)
    for token in tokens:
        r = rng.random()
        mode = ("twice" if r < args.resubmit_share else
                "concurrent" if r < args.resubmit_share + args.concurrent_share else "once")
        plan.append((token, mode))
    by_token: dict[str, list[Respondent]] = {}
    jobs: list[tuple[Respondent, list[dict[str, str]]]] = []
    for token, mode in plan:
        if mode == "concurrent":
            pair = [Respondent(base, token, stats, deadline, args.client_timeout)
                    for _ in range(2)]
            by_token[token] = pair
            jobs += [(p, [_answers(rng)]) for p in pair]
        else:
            one = Respondent(base, token, stats, deadline, args.client_timeout)
            by_token[token] = [one]
            jobs.append((one, [_answers(rng)] + ([_answers(rng)] if mode == "twice" else [])))
    barrier = threading.Barrier(len(jobs))

    def work(resp: Respondent, submissions: list[dict[str, str]]) -> None:
        barrier.wait()
        for data in submissions:
            if not resp.submit(data):
                return
            if on_progress:
                on_progress()

    threads = [threading.Thread(target=work, args=job, daemon=True) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()) + 35)
    return by_token


# --------------------------------------------------------------------------------------------
# Checking the database


def _stored(response: Any) -> tuple[tuple[str, bool], ...]:
    rows = {a.theme: a for a in response.answers.all()}
    return tuple(("weet_niet" if rows[t].rating is None else str(rows[t].rating),
                  bool(rows[t].comment)) if t in rows else ("?", False)
                 for t in THEMES)


def _expected(data: dict[str, str]) -> tuple[tuple[str, bool], ...]:
    return tuple((data[f"{t}-rating"], bool(data[f"{t}-comment"])) for t in THEMES)


def verify(by_token: dict[str, list[Respondent]], round_key: str = ROUND) -> dict[str, int]:
    """Compare the database with what was acknowledged; returns counts of each problem."""
    from django.db import connections
    from django.db.models import Count

    from wijkbeeld.web.urgency.models import Answer, Invitation, Response
    from wijkbeeld.web.urgency.tokens import hash_token

    connections.close_all()  # the connection may predate a database restart
    problems: Counter[str] = Counter()
    invitations = {i.token_hash: i for i in Invitation.objects.filter(round__key=round_key)}
    responses = {r.invitation_id: r for r in
                 Response.objects.filter(round__key=round_key).prefetch_related("answers")}
    for token, respondents in by_token.items():
        acked = [d for r in respondents for d in r.acked]
        inv = invitations[hash_token(token)]
        stored = responses.get(inv.pk)
        if not acked:
            problems["not acknowledged before the deadline"] += 1
            continue
        if stored is None:
            problems["LOST: acknowledged but not stored"] += 1
            continue
        got = _stored(stored)
        if len(respondents) == 2:  # two at once: either may be the one kept
            allowed = [_expected(d) for d in acked]
            allowed += [_expected(d) for r in respondents for d in r.sent if d not in r.acked]
        else:
            # The blind step is frozen once stored: the first submission that reached the
            # database wins, which is one sent up to the first acknowledgement.
            r = respondents[0]
            first = r.sent.index(r.acked[0])
            allowed = [_expected(d) for d in r.sent[:first + 1]]
        if got not in allowed:
            problems["WRONG: stored blind answers are not the first acknowledged"] += 1
    dup = (Response.objects.filter(round__key=round_key).values("invitation_id")
           .annotate(n=Count("id")).filter(n__gt=1).count())
    if dup:
        problems["DUPLICATE responses for one invitation"] += dup
    bad_answers = (Answer.objects.filter(response__round__key=round_key).values("response_id")
                   .annotate(n=Count("id")).exclude(n=len(THEMES)).count())
    if bad_answers:
        problems["DUPLICATE or missing answers in a response"] += bad_answers
    return dict(problems)


def baseline(tokens: list[str]) -> list[float]:
    """The plain baseline: the same service in-process, one submission at a time (ms)."""
    from wijkbeeld.web.gunicorn_conf import warm
    from wijkbeeld.web.urgency.services import ThemeAnswer, submit_response

    warm()  # as the server's workers are
    out = []
    for i, token in enumerate(tokens):
        answers = [ThemeAnswer(t, 1 + (i % 5), "ja", "Te weinig groen.") for t in THEMES]
        t0 = time.perf_counter()
        submit_response(token, answers, story="De speeltuin is 's avonds onveilig.")
        out.append((time.perf_counter() - t0) * 1000)
    return out


# --------------------------------------------------------------------------------------------
# The run


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def _line(name: str, values: list[float]) -> str:
    return (f"  {name:<28} n={len(values):>5}  p50 {_pct(values, 50):7.1f} ms  "
            f"p95 {_pct(values, 95):7.1f} ms  p99 {_pct(values, 99):7.1f} ms  "
            f"max {max(values, default=float('nan')):7.1f} ms")


def run_engine(args: argparse.Namespace) -> int:
    work = Path(tempfile.mkdtemp(prefix="wijkbeeld-load-"))
    if args.engine == "postgres":
        db_url = _fresh_postgres(args.pg_url, args.pg_database)
    else:
        db_url = f"sqlite:///{work / 'load.sqlite3'}"
    os.environ["WIJKBEELD_DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbeeld.web.settings")
    os.environ["WIJKBEELD_DEBUG"] = "0"
    extra = {}
    if args.sqlite_timeout is not None:
        os.environ["WIJKBEELD_SQLITE_TIMEOUT"] = extra["WIJKBEELD_SQLITE_TIMEOUT"] = str(
            args.sqlite_timeout)
    import django

    django.setup()
    t0 = time.perf_counter()
    invited = [t for t, _ in prepare(args.respondents + args.baseline + args.probe)]
    tokens = invited[: args.respondents]
    base_tokens = invited[args.respondents: args.respondents + args.baseline]
    probe_tokens = invited[args.respondents + args.baseline:]
    print(f"{args.engine}: database {db_url.split('@')[-1]} ready with {len(invited)} "
          f"invitations in {time.perf_counter() - t0:.1f} s")
    log = work / "gunicorn.log"
    proc, base = start_server(db_url, args.workers, args.threads, extra, log)
    stats = Stats()
    restart: dict[str, float] = {}
    trigger = threading.Event()

    def progress() -> None:
        if args.restart_postgres and stats.acked >= len(tokens) // 3 and not trigger.is_set():
            trigger.set()

    def restarter() -> None:
        if not trigger.wait(args.time_limit):
            return
        restart["at"] = time.monotonic()
        done = subprocess.run(PG_RESTART, capture_output=True, text=True, timeout=60)
        restart["took"] = time.monotonic() - restart["at"]
        restart["rc"] = done.returncode
        with stats.lock:
            restart["acked_before"] = stats.acked

    fault = threading.Thread(target=restarter, daemon=True)
    if args.restart_postgres:
        fault.start()
    probe = Stats()
    try:
        rng = random.Random(args.seed + 1)
        for token in probe_tokens:  # one at a time: the latency without a queue
            Respondent(base, token, probe, time.monotonic() + 60).submit(_answers(rng))
        start = time.monotonic()
        by_token = run_clients(base, tokens, args, stats, progress)
        wall = time.monotonic() - start
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
    if args.restart_postgres:
        fault.join(70)
    problems = verify(by_token)
    base_ms = baseline(base_tokens) if base_tokens else []
    submissions = sum(len(r.acked) for rs in by_token.values() for r in rs)
    print(f"  server: gunicorn, {args.workers} workers x {args.threads} threads; "
          f"{len(tokens)} respondents ({sum(len(rs) for rs in by_token.values())} clients); "
          f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(_line("one at a time: GET form", probe.get_ms))
    print(_line("one at a time: POST answers", probe.post_ms))
    print(_line("GET form (incl. retries)", stats.get_ms))
    print(_line("POST answers (incl. retries)", stats.post_ms))
    print(_line("baseline: service in-process", base_ms))
    print(f"  acknowledged submissions: {submissions} in {wall:.1f} s = "
          f"{submissions / wall:.1f}/s (first to last ack "
          f"{stats.last_ack - stats.first_ack:.1f} s); retries {stats.retries}")
    print(f"  statuses: {dict(sorted(stats.statuses.items()))}")
    if restart:
        print(f"  PostgreSQL restart: exit {restart.get('rc')}, "
              f"took {restart.get('took', 0):.1f} s, after {restart.get('acked_before')} acks")
    failed = dict(problems)
    if stats.errors_500:
        failed["500 or unexpected status"] = len(stats.errors_500)
    if stats.traces:
        failed["stack trace in a page"] = stats.traces
    if args.restart_postgres and restart.get("rc") != 0:
        failed["PostgreSQL restart failed"] = 1
    locked = log.read_text(errors="replace").count("database unavailable")
    print(f"  server log: {locked} requests answered 503 (database unavailable)")
    if failed:
        print(f"  FAILED: {failed}")
        print(f"  gunicorn log: {log}")
        return 1
    print("  ok: every acknowledged response stored exactly once, none lost, no duplicates")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--engine", choices=["postgres", "sqlite", "both"], default="both")
    p.add_argument("--respondents", type=int, default=200)
    p.add_argument("--baseline", type=int, default=20, help="tokens for the in-process baseline")
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--resubmit-share", type=float, default=0.2)
    p.add_argument("--concurrent-share", type=float, default=0.1)
    p.add_argument("--time-limit", type=float, default=180, help="seconds for all clients")
    p.add_argument("--seed", type=int, default=9)
    p.add_argument("--client-timeout", type=float, default=60, help="seconds per request")
    p.add_argument("--probe", type=int, default=10,
                   help="respondents sent one at a time before the burst (unloaded latency)")
    p.add_argument("--pg-url", default=os.environ.get(
        "WIJKBEELD_LOAD_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    p.add_argument("--pg-database", default="wijkbeeld_load")
    p.add_argument("--sqlite-timeout", type=float, help="SQLite busy timeout (s) in the server")
    p.add_argument("--restart-postgres", action="store_true",
                   help="restart PostgreSQL once a third of the respondents are acknowledged")
    args = p.parse_args(argv)
    if not 1 <= args.respondents <= 1000:
        p.error("--respondents must be 1..1000 (bounded load test)")
    if args.engine == "both":
        if args.restart_postgres:
            p.error("--restart-postgres needs --engine postgres")
        rest = [a for a in (argv if argv is not None else sys.argv[1:])
                if not a.startswith("--engine") and a not in ("both",)]
        codes = [subprocess.call([sys.executable, __file__, "--engine", e, *rest])
                 for e in ("postgres", "sqlite")]
        return max(codes)
    if args.restart_postgres and args.engine != "postgres":
        p.error("--restart-postgres needs --engine postgres")
    return run_engine(args)


if __name__ == "__main__":
    sys.exit(main())
