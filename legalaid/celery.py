import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalaid.settings")

app = Celery("legalaid")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="legalaid.ping")
def ping(value: int) -> dict:
    """Round trip used by /healthz-style checks and the worker integration test."""
    import socket

    return {"pong": value, "host": socket.gethostname(), "pid": os.getpid()}
