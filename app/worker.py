"""The Celery worker's entry point: `celery -A app.worker worker` (see app/tasks.py)."""

from . import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
