from django.db import migrations

from hotline.append_only import forbid_changes


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [forbid_changes("org_auditentry")]
