"""Real Celery workers for the tests: Redis as the broker beside PostgreSQL, the
folder broker of `make run` beside SQLite; each run on a queue of its own."""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis
from amqp.exceptions import ChannelError
from celery.contrib.testing.worker import start_worker

from .databases import in_ci

ROOT = Path(__file__).resolve().parent.parent.parent
REDIS_URL = "redis://127.0.0.1:6379/14"
_QUEUE = f"aspirasi-test-{uuid.uuid4().hex[:8]}"


def redis_available():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


def worker_config(database_url, folder):
    """Settings for an app whose tasks go to a real broker instead of running eagerly."""
    config = {"CELERY_TASK_ALWAYS_EAGER": False, "CELERY_QUEUE": _QUEUE,
              "CELERY_FOLDER": str(folder / "celery")}
    if database_url.startswith("postgresql"):
        if not redis_available():
            if in_ci():
                pytest.fail("Redis is not reachable at 127.0.0.1:6379 (required in CI)")
            pytest.skip("Redis is not reachable at 127.0.0.1:6379")
        config["CELERY_BROKER_URL"] = REDIS_URL
    return config


@contextlib.contextmanager
def running_workers(app, count=1):
    """`count` Celery workers consuming this app's queue, each in a thread of its own."""
    celery = app.extensions["celery"]
    with contextlib.ExitStack() as stack:
        for _ in range(count):
            stack.enter_context(start_worker(celery, pool="solo", perform_ping_check=False,
                                             shutdown_timeout=20, loglevel="WARNING"))
        yield celery
    celery.control.purge()


def worker_process(app, database_url, mail_port, **environ):
    """A worker process as production runs it (`celery -A app.worker worker`), on this
    test app's database, broker and queue, sending mail to `mail_port`."""
    celery = app.extensions["celery"]
    settings = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "APP_ENV": "development",
        # The folder broker of a test app is <INSTANCE_PATH>/celery (see worker_config).
        "INSTANCE_PATH": str(Path(app.config["CELERY_FOLDER"]).parent),
        "SECRET_KEY": "worker-test", "DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mail_port),
        "CELERY_QUEUE": celery.conf.task_default_queue, **environ,
    }
    if app.config.get("CELERY_BROKER_URL"):
        settings["CELERY_BROKER_URL"] = app.config["CELERY_BROKER_URL"]
    return subprocess.Popen(  # noqa: S603 (our own worker, fixed arguments)
        [sys.executable, "-m", "celery", "-A", "app.worker", "worker", "--pool", "solo",
         "--loglevel", "WARNING"],
        cwd=ROOT, env=settings, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def stop(process, kill=False):
    if process.poll() is None:
        process.send_signal(9 if kill else 15)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def queued_tasks(celery):
    """How many tasks wait in the app's queue (Redis drops an empty queue's key)."""
    with celery.connection_for_write() as connection:
        try:
            return connection.default_channel.queue_declare(
                celery.conf.task_default_queue, passive=True).message_count
        except ChannelError:
            return 0


def at_once(target, count):
    """Run `target` in `count` threads started together; return when all have ended."""
    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def wait_for(condition, timeout=30.0, what="the condition"):
    """Poll `condition()` until it is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


class SilentServer:
    """A TCP server that accepts connections, counts them and never answers: an SMTP
    server that hangs, or proof that nobody connected."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)

    def close(self):
        for conn in self.connections:
            conn.close()
        self.sock.close()
