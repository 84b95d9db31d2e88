from django.urls import path

from . import document_views, editing_views, roster_views, views

app_name = "cases"


def action(route: str, name: str):
    return path(f"<int:pk>/{route}/", views.case_action, {"action": name}, name=f"case_{name}")


urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    action("assign", "assign"),
    action("change-handler", "change_handler"),
    action("agreement", "agreement"),
    action("progress", "progress"),
    action("attach", "attach"),
    action("close", "close"),
    action("submit-file", "submit_file"),
    action("archive-review", "archive_review"),
    action("grade", "grade"),
    action("terminate", "terminate"),
    action("objection", "object"),
    action("objection-outcome", "objection_outcome"),
    action("resume", "resume"),
    path("<int:pk>/termination-notice/", views.case_termination_notified, name="case_termination_notified"),
    path("<int:pk>/letter-sent/", views.case_letter_sent, name="case_letter_sent"),
    path("<int:pk>/stage-letter-sent/", views.case_stage_letter_sent, name="case_stage_letter_sent"),
    path("<int:pk>/stage/", editing_views.case_change_stage, name="case_change_stage"),
    path("<int:pk>/edit/", editing_views.case_edit, name="case_edit"),
    action("discussion", "discussion"),
    action("hearing", "hearing"),
    action("inspection", "inspection"),
    action("opinion", "opinion"),
    action("followup", "followup"),
    action("complaint", "complaint"),
    path("discussions/", views.quality_record_list, {"kind": "discussion"}, name="discussion_list"),
    path("complaints/", views.quality_record_list, {"kind": "complaint"}, name="complaint_list"),
    path("complaints/<int:pk>/handle/", views.complaint_handle, name="complaint_handle"),
    path("<int:pk>/print/<slug:doc>/", document_views.case_print, name="case_print"),
    path("attachments/<int:pk>/", document_views.attachment_download, name="attachment_download"),
    path("handlers/", roster_views.handler_list, name="handler_list"),
    path("handlers/new/", roster_views.handler_create, name="handler_create"),
    path("handlers/<int:pk>/edit/", roster_views.handler_edit, name="handler_edit"),
    path("handlers/<int:pk>/active/", roster_views.handler_deactivate, name="handler_deactivate"),
    path("providers/new/", roster_views.provider_create, name="provider_create"),
    path("providers/<int:pk>/edit/", roster_views.provider_edit, name="provider_edit"),
    action("propose", "propose"),
    action("propose-change", "propose_change"),
    path("<int:pk>/assignment/approve/", views.case_assignment_approve, name="case_assignment_approve"),
    path("<int:pk>/assignment/return/", views.case_assignment_return, name="case_assignment_return"),
]
