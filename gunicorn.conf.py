"""gunicorn settings for the production image (Dockerfile CMD ``gunicorn hotline.wsgi``) and its smoke test.

gunicorn reads this file from the working directory. It binds to 0.0.0.0:$PORT (8000 unless set) and starts
$WEB_CONCURRENCY workers (3 unless set); access lines go to standard output.
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
# A worker that is stuck on a dead connection is restarted rather than holding requests for ever.
timeout = 30
graceful_timeout = 20
