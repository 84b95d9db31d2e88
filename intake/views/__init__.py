"""The intake views, by topic (issue 15.4): each module's views are named here as intake.urls reads them."""

from .applications import application_create, application_detail, application_edit, application_list
from .consultations import (
    consultation_create,
    consultation_detail,
    consultation_list,
    consultation_to_application,
)
from .decisions import (
    application_advance_review,
    application_forward,
    application_grant,
    application_refuse,
    application_submit_review,
    application_supplement,
    application_supplied,
    application_withdraw,
    objection_create,
    objection_decide,
)
from .documents import print_decision, print_receipt, print_supplement
from .materials import application_materials, material_file, material_file_remove, material_files_upload
from .matters import matter_create, matter_detail, matter_list
from .notices import notice_create, notice_detail, notice_list

__all__ = [
    "application_advance_review", "application_create", "application_detail", "application_edit",
    "application_forward", "application_grant", "application_list", "application_materials",
    "application_refuse", "application_submit_review", "application_supplement", "application_supplied",
    "application_withdraw", "consultation_create", "consultation_detail", "consultation_list",
    "consultation_to_application", "material_file", "material_file_remove", "material_files_upload",
    "matter_create", "matter_detail", "matter_list", "notice_create", "notice_detail", "notice_list",
    "objection_create", "objection_decide", "print_decision", "print_receipt", "print_supplement",
]
