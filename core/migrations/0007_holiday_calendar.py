"""The center's holiday calendar (issue 16), with every year the installed chinesecalendar package knows."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def import_package(apps, schema_editor):
    from core.holidays import calendar_import

    calendar_import(year_model=apps.get_model("core", "CalendarYear"), day_model=apps.get_model("core", "CalendarDay"),
                    year_history=apps.get_model("core", "HistoricalCalendarYear"),
                    day_history=apps.get_model("core", "HistoricalCalendarDay"))


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_pg_trgm'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('source', models.CharField(help_text="The notice that announced the year's holidays, e.g. 国办发明电〔2025〕7号.", max_length=100, verbose_name='State Council notice')),
                ('origin', models.CharField(choices=[('package', 'imported from the chinesecalendar package'), ('admin', 'entered or changed by an administrator')], default='admin', editable=False, max_length=10, verbose_name='origin')),
            ],
            options={
                'verbose_name': 'holiday arrangement',
                'verbose_name_plural': 'holiday arrangements',
                'ordering': ['-year'],
            },
        ),
        migrations.CreateModel(
            name='CalendarDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(unique=True, verbose_name='date')),
                ('kind', models.CharField(choices=[('holiday', 'holiday (rest day)'), ('workday', 'make-up working day')], max_length=10, verbose_name='rest or work')),
                ('name', models.CharField(help_text='e.g. 春节, 国庆节.', max_length=50, verbose_name='holiday')),
                ('source', models.CharField(blank=True, help_text="Only when a later notice changed this day; otherwise the year's notice applies.", max_length=100, verbose_name='other notice')),
                ('origin', models.CharField(choices=[('package', 'imported from the chinesecalendar package'), ('admin', 'entered or changed by an administrator')], default='admin', editable=False, max_length=10, verbose_name='origin')),
                ('year', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='days', to='core.calendaryear', verbose_name='arrangement')),
            ],
            options={
                'verbose_name': 'holiday or make-up working day',
                'verbose_name_plural': 'holidays and make-up working days',
                'ordering': ['date'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalCalendarDay',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('date', models.DateField(db_index=True, verbose_name='date')),
                ('kind', models.CharField(choices=[('holiday', 'holiday (rest day)'), ('workday', 'make-up working day')], max_length=10, verbose_name='rest or work')),
                ('name', models.CharField(help_text='e.g. 春节, 国庆节.', max_length=50, verbose_name='holiday')),
                ('source', models.CharField(blank=True, help_text="Only when a later notice changed this day; otherwise the year's notice applies.", max_length=100, verbose_name='other notice')),
                ('origin', models.CharField(choices=[('package', 'imported from the chinesecalendar package'), ('admin', 'entered or changed by an administrator')], default='admin', editable=False, max_length=10, verbose_name='origin')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('year', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.calendaryear', verbose_name='arrangement')),
            ],
            options={
                'verbose_name': 'historical holiday or make-up working day',
                'verbose_name_plural': 'historical holidays and make-up working days',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCalendarYear',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(db_index=True, validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('source', models.CharField(help_text="The notice that announced the year's holidays, e.g. 国办发明电〔2025〕7号.", max_length=100, verbose_name='State Council notice')),
                ('origin', models.CharField(choices=[('package', 'imported from the chinesecalendar package'), ('admin', 'entered or changed by an administrator')], default='admin', editable=False, max_length=10, verbose_name='origin')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical holiday arrangement',
                'verbose_name_plural': 'historical holiday arrangements',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(import_package, migrations.RunPython.noop),
    ]
