"""The console's suggested category and department: server time of one suggestion, beside the model alone.

Run: bash scripts/with-test-services.sh .venv/bin/python bench/console_suggestions.py [--runs 300]
It migrates the database in DATABASE_URL, loads the demo city, imports the labelled sample
(shared/data/tipdm2020/messages_labelled_sample.csv: 495 messages, their top-level category, a lead department per
category) as finished history, trains the model (``suggest_train``), then asks for suggestions one message at a time
as the operator's screen does (GET /learning/console/suggestions/ through Django's test client: URL routing, the
login, the view, two queries for the names and the template all count) beside the two classifiers' own time for the
same text, and prints median and 95th percentile in milliseconds, and the CPU time per suggestion (the machine may be
shared: wall time then includes waiting for a core).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
os.environ.setdefault("HOTLINE_ENV", "test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent.parent / "shared/data/tipdm2020/messages_labelled_sample.csv"
UNITS = [
    "市住房和城乡建设局",
    "市生态环境局",
    "市交通运输局",
    "市教育局",
    "市人力资源和社会保障局",
    "市商务局",
    "市卫生健康委员会",
]


def load(sample: Path, media: Path) -> list[str]:
    """Imports the sample as history and trains; returns the texts to ask about."""
    from django.conf import settings

    settings.MEDIA_ROOT = media
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--without-tickets", verbosity=0, stdout=io.StringIO())
    with sample.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    labels = sorted({r["label"] for r in rows})
    history = media / "history.csv"
    with history.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["编号", "受理时间", "分类", "标题", "内容", "承办单位"])
        for r in rows:
            unit = UNITS[labels.index(r["label"]) % len(UNITS)]
            writer.writerow([f"S{r['id']}", r["created_at"], r["label"], r["title"], r["content"], unit])
    call_command("import_history", str(history), "--create-missing", stdout=io.StringIO())
    call_command("suggest_train", stdout=io.StringIO())
    return [f"{r['title']} {r['content']}"[:4000] for r in rows]


def percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    return f"median={samples[len(samples) // 2]:.1f} p95={samples[int(len(samples) * 0.95) - 1]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    from learning.suggest.routing import routing_suggest
    from learning.suggest.store import suggestion_model_loaded
    from org.models import User

    with tempfile.TemporaryDirectory() as folder:
        texts = load(args.sample, Path(folder))
        client = Client()
        client.force_login(User.objects.get(username="operator"))
        url = reverse("learning:console_suggestions")
        bundle = suggestion_model_loaded()
        assert bundle is not None and bundle.category is not None and bundle.department is not None
        asked = [texts[i * 7 % len(texts)] for i in range(args.runs)]
        assert routing_suggest(asked[0], None) is not None  # warm: the model loaded, jieba's dictionary read

        def page(text: str) -> None:
            response = client.get(url, {"content": text})
            assert response.status_code == 200 and "%" in response.content.decode()

        def model(text: str) -> None:
            bundle.category.top(("", text))  # type: ignore[union-attr]
            bundle.department.top(("", text, ""))  # type: ignore[union-attr]

        for name, ask in (("GET /learning/console/suggestions/", page), ("  the two classifiers alone", model)):
            wall, started_cpu = [], time.process_time()
            for text in asked:
                started = time.perf_counter()
                ask(text)
                wall.append((time.perf_counter() - started) * 1000)
            cpu = (time.process_time() - started_cpu) / len(asked) * 1000
            print(f"{name:40s} ms: {percentiles(wall)} cpu_mean={cpu:.1f}")


if __name__ == "__main__":
    main()
