from django.db import migrations

from hotline.append_only import forbid_changes


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_monthly_report")]
    operations = [forbid_changes("reviews_monthlyreport")]
