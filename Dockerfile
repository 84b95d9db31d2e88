# One image for web, worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-microhei gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install --no-cache-dir . \
 && useradd --system --home /app legalaid \
 && mkdir -p /data/files && chown -R legalaid /data

# collectstatic needs a settings module that imports; real values come at run time.
RUN SECRET_KEY=build-only DEBUG=0 DATABASE_URL=postgres://x@localhost/x python manage.py collectstatic --noinput

USER legalaid
ENV PRIVATE_FILES_ROOT=/data/files
EXPOSE 8000
CMD ["gunicorn", "legalaid.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
