# One image for web, worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# pg_dump/pg_restore must be at least as new as the server (postgres:16 in docker-compose.yml); Debian
# bookworm ships 15, so the client comes from the PostgreSQL project's own repository (PGDG).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc https://www.postgresql.org/media/keys/ACCC4CF8.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
    > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-microhei gettext postgresql-client-16 \
 && apt-get purge -y curl && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# .dockerignore keeps the tests, the demo, scale and bench modules and the development scripts out of the build
# context (tests/core/test_image_contents.py starts the product from exactly that set); `seed_demo` stays and
# says that the demo is not in the image.
COPY . .
RUN pip install --no-cache-dir . \
 && useradd --system --home /app legalaid \
 && mkdir -p /data/files /data/backups && chown -R legalaid /data && chmod 700 /data/backups

# collectstatic needs a settings module that imports; real values come at run time.
RUN SECRET_KEY=build-only DEBUG=0 DATABASE_URL=postgres://x@localhost/x python manage.py collectstatic --noinput

USER legalaid
ENV PRIVATE_FILES_ROOT=/data/files BACKUP_DIR=/data/backups
EXPOSE 8000
CMD ["gunicorn", "legalaid.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
