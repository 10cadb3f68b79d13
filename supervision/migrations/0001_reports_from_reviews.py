"""The frozen monthly reports and the rollup cache move from reviews/ to supervision/ in Django's state only: their
tables, rows, triggers and grants stay as they are (reviews 0012 removes them from the reviews app's state)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('org', '0007_model_names_in_chinese'),
        ('reviews', '0011_backfill_rates_copies'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MonthlyReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(unique=True, verbose_name='month')),
                        ('as_of', models.DateTimeField(null=True, verbose_name='as of')),
                        ('figures', models.JSONField(verbose_name='figures')),
                        ('corrections', models.JSONField(default=dict, verbose_name='corrections')),
                        ('key_id', models.CharField(blank=True, max_length=16)),
                        ('previous_digest', models.CharField(blank=True, max_length=64)),
                        ('digest', models.CharField(max_length=64, unique=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        'verbose_name': 'monthly report',
                        'verbose_name_plural': 'monthly reports',
                        'db_table': 'reviews_monthlyreport',
                        'ordering': ['month'],
                    },
                ),
                migrations.CreateModel(
                    name='MonthlyRollup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField()),
                        ('rate', models.CharField(max_length=40)),
                        ('numerator', models.PositiveIntegerField()),
                        ('denominator', models.PositiveIntegerField()),
                        ('computed_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('department', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.department')),
                    ],
                    options={
                        'verbose_name': 'monthly rollup',
                        'verbose_name_plural': 'monthly rollups',
                        'db_table': 'reviews_monthlyrollup',
                        'indexes': [models.Index(fields=['month', 'rate'], name='rollup_month_rate')],
                        'constraints': [models.UniqueConstraint(fields=('month', 'department', 'rate'), name='one_rollup_row')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
