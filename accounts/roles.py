"""Roles (DOMAIN.md §2) as Django groups, and the permissions each one carries.

The groups and their permissions are created by a data migration; an administrator
may change them in the admin afterwards. Views ask `user.can("<code>")`,
never for a role name, so the table below is the single place that decides.
"""

from django.utils.translation import gettext_lazy as _

CLERK = "intake_clerk"
REVIEWER = "reviewer"
DIRECTOR = "director"
STATION_STAFF = "station_staff"
HANDLER = "handler"
FINANCE = "finance"
ADMIN = "administrator"

ROLE_LABELS = {
    CLERK: _("Intake clerk"),
    REVIEWER: _("Reviewer"),
    DIRECTOR: _("Director"),
    STATION_STAFF: _("Station staff"),
    HANDLER: _("Handler"),
    FINANCE: _("Finance"),
    ADMIN: _("Administrator"),
}

# (codename, description) of every capability. Descriptions are English source
# strings; the admin shows them as permission names.
CAPABILITIES = [
    ("consultation_log", "Log and view consultations"),
    ("applicant_manage", "Register and edit applicants"),
    ("applicant_view_full", "See full ID and phone numbers"),
    ("applicant_merge", "Merge duplicate applicants"),
    ("registry_manage", "Manage the vulnerable-persons registry"),
    ("application_intake", "Take applications and check materials"),
    ("application_forward", "Forward a station's preliminary intake to the center"),
    ("application_decide", "Decide applications (grant or refuse)"),
    ("notice_register", "Register criminal notices"),
    ("matter_log", "Log duty-lawyer help and document drafting"),
    ("case_view_all", "See every case of the center"),
    ("case_assign", "Assign and change handlers"),
    ("case_terminate", "Terminate legal aid"),
    ("case_work", "Record progress and closing on own cases"),
    ("case_archive_review", "Review case files for archiving"),
    ("quality_manage", "Record quality checks and grade cases"),
    ("roster_manage", "Manage the roster of handlers and providers"),
    ("duty_roster_manage", "Manage duty rosters"),
    ("subsidy_manage", "Compute case subsidies"),
    ("subsidy_adjust", "Adjust computed case subsidies"),
    ("payment_manage", "Create and pay subsidy batches"),
    ("funding_manage", "Manage budgets and spending"),
    ("publicity_log", "Record publicity events and media reports"),
    ("station_manage", "Manage stations, contact points and liaisons"),
    ("volunteer_manage", "Manage volunteers"),
    ("dashboard_view", "See dashboards and statistics"),
    ("report_request", "Request and download work-summary reports"),
    ("report_submit", "Mark a half-year or annual report as submitted (上报)"),
    ("target_manage", "Set yearly targets"),
    ("ledger_import", "Import Excel ledgers"),
    ("history_view", "See the change history of records"),
    ("calendar_manage", "Keep the holiday calendar (holidays and make-up working days)"),
    ("user_manage", "Manage user accounts: roles, station, deactivation, passwords"),
    ("assignment_approve", "Approve or return proposed assignments"),
    ("vocabulary_manage", "Keep the vocabularies (charges, stages, roles, closing outcomes)"),
]

ROLE_CAPABILITIES: dict[str, set[str]] = {
    CLERK: {
        "consultation_log", "applicant_manage", "applicant_view_full", "registry_manage",
        "application_intake", "notice_register", "matter_log", "case_view_all", "case_assign",
        "roster_manage", "duty_roster_manage", "ledger_import", "history_view",
    },
    REVIEWER: {
        "consultation_log", "applicant_manage", "applicant_view_full", "application_intake",
        "application_decide", "notice_register", "case_view_all", "case_assign", "case_terminate",
        "case_archive_review", "quality_manage", "history_view", "assignment_approve",
    },
    DIRECTOR: {code for code, _d in CAPABILITIES} - {"case_work"},
    STATION_STAFF: {
        "consultation_log", "applicant_manage", "application_intake", "application_forward",
        "publicity_log", "dashboard_view", "volunteer_manage",
    },
    HANDLER: {"case_work"},
    FINANCE: {"subsidy_manage", "payment_manage", "funding_manage", "dashboard_view"},
    ADMIN: {"station_manage", "roster_manage", "history_view", "volunteer_manage", "calendar_manage",
            "user_manage", "vocabulary_manage"},
}

# The Django admin's own model permissions a role holds besides its capabilities: "app_label.model" → actions.
# The administrator keeps users, stations and configuration (DOMAIN.md §2) and opens nothing that holds a
# person's data or a case's file (§13). Accounts are only viewed there: they are kept on 管理 › 用户
# (user_manage), whose rules (the director's role given by a director, a superuser's account by a superuser)
# the admin's user form would skip. A real superuser (createsuperuser, for IT) keeps every permission.
_KEPT = ("view", "add", "change")
ROLE_ADMIN_MODELS: dict[str, dict[str, tuple[str, ...]]] = {
    ADMIN: {
        "accounts.user": ("view",),
        "auth.group": _KEPT,  # the roles' permissions are configuration (§2)
        "stations.station": _KEPT, "stations.contactpoint": _KEPT, "stations.liaison": _KEPT,
        "stations.volunteer": _KEPT,
        "core.centerprofile": ("view", "change"), "core.deadlinerule": ("view", "change"),
        "core.calendaryear": _KEPT, "core.calendarday": _KEPT, "core.vocabularyterm": _KEPT,
        "applicants.eligibilitypolicy": _KEPT, "applicants.eligibilityitem": _KEPT,
        "cases.gradingscale": _KEPT,
        "funding.subsidystandard": _KEPT, "funding.subsidypolicy": _KEPT,
    },
}
