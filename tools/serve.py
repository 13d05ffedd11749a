"""`make run`: the development web server and, beside it, a Celery worker with beat.

The worker uses the folder broker in the instance folder (no Redis needed) and the
solo pool; it starts with the server and stops with it (Ctrl-C).
"""

import argparse
import signal
import subprocess
import sys

WORKER = [sys.executable, "-m", "celery", "-A", "app.worker", "worker", "--beat",
          "--pool", "solo", "--loglevel", "INFO"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)

    from app import create_app

    app = create_app()  # stops here, naming the variable, if a setting is bad
    # SIGTERM (e.g. from a process manager) ends the server like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    worker = subprocess.Popen(WORKER)  # noqa: S603 (fixed arguments)
    try:
        print(f"Aspirasi Etam: http://{args.host}:{args.port}", flush=True)
        app.run(host=args.host, port=args.port, use_reloader=False)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == "__main__":
    main()
