"""Benchmark: the report at 1,000,000 messages, on SQLite and PostgreSQL.

    python -m bench.report [--messages N] [--databases sqlite,postgresql]

For each database: build it with the migrations and time `generate` (messages,
timelines, ratings, daily aggregates, indexes and ANALYZE), then time the full report
(all time, one month; read from the daily aggregates), the breakdowns alone, the speed
table alone, and the single scan the report is measured against: `SELECT opd_id,
category_id, status, count(*) FROM message GROUP BY 1, 2, 3`. Prints the ratios, the
result of `aggregates check`, and the query plans of the report's queries and of the
list views' queries. A benchmark, not a test.
"""

import argparse
import os
import statistics
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

BASELINE = "SELECT opd_id, category_id, status, count(*) FROM message GROUP BY 1, 2, 3"
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REPEAT = 3


def arguments(doc):
    """The command line of the benchmarks at a million messages."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


def databases(args):
    """(name, a context giving a fresh database's URL) for each of `--databases`."""
    openers = {"sqlite": _sqlite, "postgresql": _postgres}
    return [(name, openers[name]) for name in (n.strip() for n in args.databases.split(","))
            if name]


def main():
    args = arguments(__doc__)
    results = []
    for name, opener in databases(args):
        with opener() as url:
            results.append((name, run(url, args.messages, args.seed)))
    print("\n== Summary ==")
    header = ("database", "generate", "report all", "report month", "breakdowns all",
              "speed all", "GROUP BY", "ratio all", "ratio month", "ratio breakdowns")
    print(" | ".join(header))
    for name, r in results:
        print(" | ".join([name, f"{r['generate']:.1f} s"]
                         + [f"{r[k] * 1000:.1f} ms" for k in
                            ("all", "month", "breakdowns", "speed", "baseline")]
                         + [f"{r[k]:.3f}" for k in ("ratio_all", "ratio_month",
                                                    "ratio_breakdowns")]))


class _sqlite:
    def __enter__(self):
        self.dir = tempfile.TemporaryDirectory(prefix="aspirasi-bench-")
        return f"sqlite:///{Path(self.dir.name) / 'bench.db'}"

    def __exit__(self, *exc):
        self.dir.cleanup()


class _postgres:
    def __enter__(self):
        self.name = f"aspirasi_bench_{uuid.uuid4().hex[:8]}"
        self.admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        return make_url(PG_ADMIN_URL).set(database=self.name).render_as_string(
            hide_password=False)

    def __exit__(self, *exc):
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def _best(fn):
    fn()  # warm the cache: every run after the first reads the same pages
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def prepared_app(url, count):
    """(app, dialect) of the empty database at `url`, migrated, with its roles and
    reference data: what each benchmark generates its messages into."""
    from flask_migrate import upgrade

    from app import create_app
    from app.services.reference import load_reference_data

    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    dialect = make_url(url).get_backend_name()
    print(f"\n== {dialect}: {count:,} messages ==")
    with app.app_context():
        upgrade()
        app.appbuilder.sm.sync_roles()
        load_reference_data()
    return app, dialect


def run(url, count, seed):
    from app.extensions import db
    from app.services.generate import generate_messages
    from app.services.reports import Period, build_report, local_today

    app, dialect = prepared_app(url, count)
    with app.app_context():
        start = time.perf_counter()
        last = [0.0]

        def progress(n, done=[0]):  # noqa: B006  (a counter local to this run)
            done[0] += n
            if time.perf_counter() - last[0] > 10 or done[0] == count:
                last[0] = time.perf_counter()
                print(f"  generated {done[0]:,} ({done[0] / (last[0] - start):,.0f}/s)")

        generate_messages(count, seed=seed, progress=progress)
        generated = time.perf_counter() - start
        print(f"  generate: {generated:.1f} s (ANALYZE included)")
        _analyze(db)  # VACUUM too on PostgreSQL, not timed: it only helps the GROUP BY
        for table in ("message", "status_change", "rating", "aggregate_count", "aggregate_clock",
                      "aggregate_duration"):
            rows = db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608
            print(f"  {table}: {rows:,} rows")

        today = local_today()
        month_start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        month = Period(month_start, today.replace(day=1) - timedelta(days=1))
        timings = {
            "all": _best(lambda: build_report(Period())),
            "month": _best(lambda: build_report(month)),
            "breakdowns": _best(lambda: build_report(Period(), details=False)),
            "baseline": _best(lambda: db.session.execute(text(BASELINE)).all()),
        }
        from app.services import aggregates_read, reports

        names = {}
        timings["speed"] = _best(lambda: reports._speed(aggregates_read.durations(None, None),
                                                        names))
        db.session.rollback()
        timings["ratio_all"] = timings["all"] / timings["baseline"]
        timings["ratio_month"] = timings["month"] / timings["baseline"]
        timings["ratio_breakdowns"] = timings["breakdowns"] / timings["baseline"]
        timings["generate"] = generated
        for key in ("all", "month", "breakdowns", "speed", "baseline"):
            print(f"  {key:<11} {timings[key] * 1000:8.1f} ms")
        for key in ("ratio_all", "ratio_month", "ratio_breakdowns"):
            print(f"  {key:<17} {timings[key]:.3f}")
        _plans(db, dialect, month)
        _check(db)
    return timings


def _check(db):
    from app.services.aggregates_rebuild import differences

    start = time.perf_counter()
    lines = differences()
    db.session.rollback()
    verdict = "agree with the rows" if not lines else f"DIFFER: {lines[:3]}"
    print(f"\n  aggregates check: {verdict} ({time.perf_counter() - start:.1f} s)")


def _analyze(db):
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
            conn.commit()


def _captured(db, fn):
    """The SQL statements (with parameters) that `fn` runs."""
    seen = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "FROM " in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return seen


def _explain(db, dialect, statement, parameters=None):
    prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + statement, parameters or ()).all()
    if dialect == "sqlite":
        return "\n".join(f"    {row[-1]}" for row in rows)
    return "\n".join(f"    {row[0]}" for row in rows)


def _plans(db, dialect, month):
    from app.services.reports import Period, build_report

    print("\n  -- plans of the report's queries (one month) --")
    for statement, parameters in _captured(db, lambda: build_report(month)):
        print("  " + " ".join(statement.split())[:140])
        print(_explain(db, dialect, statement, parameters))
    print("\n  -- plans of the report's queries (all time) --")
    for statement, parameters in _captured(db, lambda: build_report(Period())):
        print("  " + " ".join(statement.split())[:140])
        print(_explain(db, dialect, statement, parameters))
    print("\n  -- plans of the list views' queries --")
    list_queries = [
        "SELECT id, code, title, status, created_at FROM message WHERE status = 'baru' "
        "ORDER BY created_at DESC LIMIT 20",
        "SELECT id, code, title, status, created_at FROM message WHERE opd_id = 3 "
        "ORDER BY created_at DESC LIMIT 20 OFFSET 200",
        "SELECT id, code, title, status, created_at FROM message "
        "ORDER BY created_at DESC LIMIT 20",
        "SELECT count(*) FROM message WHERE status = 'baru'",
        "SELECT count(*) FROM message WHERE opd_id = 3",
    ]
    for statement in list_queries:
        print("  " + statement)
        print(_explain(db, dialect, statement))
        print(f"    time: {_best(lambda s=statement: _run(db, s)) * 1000:.1f} ms")


def _run(db, statement):
    with db.engine.connect() as conn:
        return conn.exec_driver_sql(statement).all()


if __name__ == "__main__":
    main()
