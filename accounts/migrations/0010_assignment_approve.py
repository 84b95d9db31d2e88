"""Approving proposed assignments (issue 16, item 3) becomes a capability of the reviewer and the director role."""

from django.db import migrations


def add_capability(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="accounts", model="capability")
    perm, _ = Permission.objects.get_or_create(
        content_type=ct, codename="assignment_approve",
        defaults={"name": "Approve or return proposed assignments"})
    for group in Group.objects.filter(name__in=["reviewer", "director"]):
        group.permissions.add(perm)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0009_user_manage'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='capability',
            options={'default_permissions': (), 'managed': False, 'permissions': [('consultation_log', 'Log and view consultations'), ('applicant_manage', 'Register and edit applicants'), ('applicant_view_full', 'See full ID and phone numbers'), ('applicant_merge', 'Merge duplicate applicants'), ('registry_manage', 'Manage the vulnerable-persons registry'), ('application_intake', 'Take applications and check materials'), ('application_forward', "Forward a station's preliminary intake to the center"), ('application_decide', 'Decide applications (grant or refuse)'), ('notice_register', 'Register criminal notices'), ('matter_log', 'Log duty-lawyer help and document drafting'), ('case_view_all', 'See every case of the center'), ('case_assign', 'Assign and change handlers'), ('case_terminate', 'Terminate legal aid'), ('case_work', 'Record progress and closing on own cases'), ('case_archive_review', 'Review case files for archiving'), ('quality_manage', 'Record quality checks and grade cases'), ('roster_manage', 'Manage the roster of handlers and providers'), ('duty_roster_manage', 'Manage duty rosters'), ('subsidy_manage', 'Compute case subsidies'), ('subsidy_adjust', 'Adjust computed case subsidies'), ('payment_manage', 'Create and pay subsidy batches'), ('funding_manage', 'Manage budgets and spending'), ('publicity_log', 'Record publicity events and media reports'), ('station_manage', 'Manage stations, contact points and liaisons'), ('volunteer_manage', 'Manage volunteers'), ('dashboard_view', 'See dashboards and statistics'), ('report_request', 'Request and download work-summary reports'), ('report_submit', 'Mark a half-year or annual report as submitted (上报)'), ('target_manage', 'Set yearly targets'), ('ledger_import', 'Import Excel ledgers'), ('history_view', 'See the change history of records'), ('calendar_manage', 'Keep the holiday calendar (holidays and make-up working days)'), ('user_manage', 'Manage user accounts: roles, station, deactivation, passwords'), ('assignment_approve', 'Approve or return proposed assignments')], 'verbose_name': 'capability'},
        ),
        migrations.RunPython(add_capability, migrations.RunPython.noop),
    ]
