"""User management in the app (issue 16): the `user_manage` capability for the director and the administrator
role, the one-time-password flag, the second-factor flag, and roles kept in the user's history."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def add_capability(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="accounts", model="capability")
    perm, _ = Permission.objects.get_or_create(
        content_type=ct, codename="user_manage",
        defaults={"name": "Manage user accounts: roles, station, deactivation, passwords"})
    for group in Group.objects.filter(name__in=["director", "administrator"]):
        group.permissions.add(perm)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_calendar_manage'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='capability',
            options={'default_permissions': (), 'managed': False, 'permissions': [('consultation_log', 'Log and view consultations'), ('applicant_manage', 'Register and edit applicants'), ('applicant_view_full', 'See full ID and phone numbers'), ('applicant_merge', 'Merge duplicate applicants'), ('registry_manage', 'Manage the vulnerable-persons registry'), ('application_intake', 'Take applications and check materials'), ('application_forward', "Forward a station's preliminary intake to the center"), ('application_decide', 'Decide applications (grant or refuse)'), ('notice_register', 'Register criminal notices'), ('matter_log', 'Log duty-lawyer help and document drafting'), ('case_view_all', 'See every case of the center'), ('case_assign', 'Assign and change handlers'), ('case_terminate', 'Terminate legal aid'), ('case_work', 'Record progress and closing on own cases'), ('case_archive_review', 'Review case files for archiving'), ('quality_manage', 'Record quality checks and grade cases'), ('roster_manage', 'Manage the roster of handlers and providers'), ('duty_roster_manage', 'Manage duty rosters'), ('subsidy_manage', 'Compute case subsidies'), ('subsidy_adjust', 'Adjust computed case subsidies'), ('payment_manage', 'Create and pay subsidy batches'), ('funding_manage', 'Manage budgets and spending'), ('publicity_log', 'Record publicity events and media reports'), ('station_manage', 'Manage stations, contact points and liaisons'), ('volunteer_manage', 'Manage volunteers'), ('dashboard_view', 'See dashboards and statistics'), ('report_request', 'Request and download work-summary reports'), ('report_submit', 'Mark a half-year or annual report as submitted (上报)'), ('target_manage', 'Set yearly targets'), ('ledger_import', 'Import Excel ledgers'), ('history_view', 'See the change history of records'), ('calendar_manage', 'Keep the holiday calendar (holidays and make-up working days)'), ('user_manage', 'Manage user accounts: roles, station, deactivation, passwords')], 'verbose_name': 'capability'},
        ),
        migrations.AddField(
            model_name='historicaluser',
            name='must_change_password',
            field=models.BooleanField(default=False, help_text='Set when a password was reset: the user chooses a new one before anything else.', verbose_name='must change password'),
        ),
        migrations.AddField(
            model_name='historicaluser',
            name='otp_enrolled',
            field=models.BooleanField(default=False, verbose_name='second factor enrolled'),
        ),
        migrations.AddField(
            model_name='user',
            name='must_change_password',
            field=models.BooleanField(default=False, help_text='Set when a password was reset: the user chooses a new one before anything else.', verbose_name='must change password'),
        ),
        migrations.AddField(
            model_name='user',
            name='otp_enrolled',
            field=models.BooleanField(default=False, verbose_name='second factor enrolled'),
        ),
        migrations.CreateModel(
            name='HistoricalUser_groups',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('group', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='auth.group')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='accounts.historicaluser')),
                ('user', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'HistoricalUser_groups',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(add_capability, migrations.RunPython.noop),
    ]
