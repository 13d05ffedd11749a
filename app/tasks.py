"""Background and scheduled work on Celery: thin tasks, each calling a service.

`init_app()` (called by the factory) gives each Flask app its own Celery app, whose
tasks run inside that Flask app's context and queue, after they commit, the email
they wrote. The worker's entry point is app/worker.py:

    celery -A app.worker worker --beat --pool solo      # development (make run)
    celery -A app.worker worker / celery -A app.worker beat   # production

Without CELERY_BROKER_URL the broker is a folder of the instance (kombu's filesystem
transport), so `make run` needs no Redis; testing runs each task where it is queued.
"""

from pathlib import Path

from celery import Celery, Task, shared_task
from flask import current_app

from . import workflow
from .accounts import citizens
from .extensions import db
from .services import calendar, deadlines, idempotency, sweep
from .services import mail as outbox

DELIVER_EMAIL = "aspirasi.deliver_email"
REGISTER_CITIZEN = "aspirasi.register_citizen"
REQUEST_PASSWORD_RESET = "aspirasi.request_password_reset"  # noqa: S105 (a task name)
RECOMPUTE_DEADLINES = calendar.RECOMPUTE
CLOSE_UNANSWERED = "aspirasi.close_unanswered"


def init_app(app):
    class AppTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                try:
                    return self.run(*args, **kwargs)
                finally:
                    outbox.enqueue_committed()
                    db.session.remove()

    celery = Celery(app.import_name, task_cls=AppTask)
    celery.config_from_object(_celery_settings(app))
    app.extensions["celery"] = celery
    app.extensions[outbox.DISPATCH] = lambda row_id: enqueue(DELIVER_EMAIL, row_id)
    app.extensions[calendar.RECOMPUTE] = lambda: enqueue(RECOMPUTE_DEADLINES)
    # Bind the shared tasks to this app now (tests build several apps).
    celery.finalize(auto=True)
    return celery


def _celery_settings(app):
    config = app.config
    settings = {
        "broker_url": config["CELERY_BROKER_URL"],
        "task_always_eager": config["CELERY_TASK_ALWAYS_EAGER"],
        "task_eager_propagates": config["CELERY_TASK_ALWAYS_EAGER"],
        "task_ignore_result": True,
        "task_default_queue": config["CELERY_QUEUE"],
        "task_acks_late": True,  # a task whose worker died is given to another
        "worker_prefetch_multiplier": 1,
        "worker_hijack_root_logger": False,
        "broker_connection_retry_on_startup": True,
        "timezone": "UTC",
        "beat_schedule": {
            "sweep-outbox": {"task": "aspirasi.sweep_outbox",
                             "schedule": config["OUTBOX_SWEEP_SECONDS"]},
            "sweep-deadlines": {"task": "aspirasi.sweep_deadlines",
                                "schedule": config["DEADLINE_SWEEP_SECONDS"]},
            "purge-idempotency-keys": {"task": "aspirasi.purge_idempotency_keys",
                                       "schedule": 3600},
            "close-unanswered": {"task": CLOSE_UNANSWERED,
                                 "schedule": config["CLOSE_UNANSWERED_SECONDS"]},
        },
    }
    if not settings["broker_url"]:
        folder = Path(config["CELERY_FOLDER"] or Path(config["INSTANCE_PATH"]) / "celery")
        queue = folder / "queue"
        if not settings["task_always_eager"]:
            queue.mkdir(parents=True, exist_ok=True)
        settings["broker_url"] = "filesystem://"
        settings["broker_transport_options"] = {
            "data_folder_in": str(queue), "data_folder_out": str(queue),
            "processed_folder": str(folder / "processed"), "store_processed": False,
            "control_folder": str(folder / "control"),
        }
        settings["beat_schedule_filename"] = str(folder / "beat-schedule")
    return settings


def enqueue(name, *args):
    """Queue task `name` of the current app's Celery (never the process-wide default)."""
    return current_app.extensions["celery"].tasks[name].apply_async(args)


@shared_task(name=DELIVER_EMAIL)
def deliver_email(row_id):
    return outbox.deliver(row_id)


@shared_task(name="aspirasi.sweep_outbox")
def sweep_outbox():
    """Re-queue the email whose retry time has come or whose worker died mid-send."""
    due = outbox.due_ids()
    for row_id in due:
        enqueue(DELIVER_EMAIL, row_id)
    return len(due)


@shared_task(name="aspirasi.purge_idempotency_keys")
def purge_idempotency_keys():
    return idempotency.purge()


@shared_task(name=CLOSE_UNANSWERED)
def close_unanswered():
    """Finish the messages whose question to the sender lapsed unanswered."""
    return workflow.close_unanswered()
@shared_task(name="aspirasi.sweep_deadlines")
def sweep_deadlines():
    """Reminders before due times, overdue notices, the Super Admin's flags."""
    return sweep.sweep()


@shared_task(name=RECOMPUTE_DEADLINES)
def recompute_deadlines():
    """The calendar changed: the open messages' due times follow."""
    return deadlines.recompute_open()


@shared_task(name=REGISTER_CITIZEN)
def register_citizen(full_name, email, password_hash, phone, locale):
    citizens.register_citizen(full_name=full_name, email=email, password_hash=password_hash,
                              phone=phone, locale=locale)


@shared_task(name=REQUEST_PASSWORD_RESET)
def request_password_reset(email):
    citizens.request_password_reset(email)
