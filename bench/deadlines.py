"""Benchmark: the deadline queries at 1,000,000 messages, on SQLite and PostgreSQL.

    python -m bench.deadlines [--messages N] [--databases sqlite,postgresql]

For each database: build it with the migrations and `generate` (which gives every
message the clocks the workflow would have), then print the query plans and times of
the "Terlambat" lists (Admin inbox, an Operator's list, the Super Admin's flagged
queue, with their counts) and of the sweep's queries, and time whole sweeps (the
first one claims up to 1,000 notices of each kind; the next ones what is left). A
benchmark, not a test.
"""

import time

from sqlalchemy import text

from .report import _analyze, _best, _explain, _run, arguments, databases, prepared_app


def main():
    args = arguments(__doc__)
    for _name, opener in databases(args):
        with opener() as url:
            run(url, args.messages, args.seed)


def _literal(value):
    return f"'{value.isoformat(sep=' ')}'"


def run(url, count, seed):
    from app.extensions import db
    from app.services import calendar, sweep
    from app.services.generate import generate_messages
    from app.timeutil import utcnow

    app, dialect = prepared_app(url, count)
    with app.app_context():
        start = time.perf_counter()
        generate_messages(count, seed=seed)
        print(f"  generate: {time.perf_counter() - start:.0f} s")
        _analyze(db)
        now = utcnow()
        overdue = db.session.scalar(text(
            f"SELECT count(*) FROM message WHERE due_at < {_literal(now)}"))
        print(f"  overdue messages: {overdue:,}")
        columns = "id, code, title, status, due_at"
        queries = [
            f"SELECT {columns} FROM message WHERE due_at < {_literal(now)} "
            "ORDER BY due_at LIMIT 25",
            f"SELECT count(*) FROM message WHERE due_at < {_literal(now)}",
            f"SELECT {columns} FROM message WHERE opd_id = 3 AND due_at < {_literal(now)} "
            "ORDER BY due_at LIMIT 25",
            f"SELECT count(*) FROM message WHERE opd_id = 3 AND due_at < {_literal(now)}",
            f"SELECT {columns} FROM message WHERE flagged_at IS NOT NULL "
            "ORDER BY due_at LIMIT 25",
        ]
        print("\n  -- the Terlambat lists --")
        for statement in queries:
            _show(db, dialect, statement)
        print("\n  -- the sweep's queries --")
        cal = calendar.load()
        flag_after = app.config["DEADLINE_FLAG_AFTER_DAYS"]
        for kind, where in sweep.conditions(now, cal, flag_after).items():
            query = sweep.candidate_query(kind, where)
            compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
            print(f"  [{kind}]")
            _show(db, dialect, str(compiled))
        for attempt in range(1, 4):
            start = time.perf_counter()
            counts = sweep.sweep()
            print(f"  sweep {attempt}: {time.perf_counter() - start:.2f} s, sent {counts}")


def _show(db, dialect, statement):
    print("  " + " ".join(statement.split())[:160])
    print(_explain(db, dialect, statement))
    print(f"    time: {_best(lambda: _run(db, statement)) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
