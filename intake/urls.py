from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/edit/", views.consultation_create, name="consultation_edit"),
    path("consultations/<int:pk>/apply/", views.consultation_to_application, name="consultation_to_application"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_create, name="application_create"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/materials/", views.application_materials, name="application_materials"),
    path("materials/<int:pk>/files/", views.material_files_upload, name="material_files_upload"),
    path("material-files/<int:pk>/", views.material_file, name="material_file"),
    path("material-files/<int:pk>/remove/", views.material_file_remove, name="material_file_remove"),
    path("applications/<int:pk>/supplement/", views.application_supplement, name="application_supplement"),
    path("applications/<int:pk>/supplied/", views.application_supplied, name="application_supplied"),
    path("applications/<int:pk>/review/", views.application_submit_review, name="application_submit_review"),
    path("applications/<int:pk>/forward/", views.application_forward, name="application_forward"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/grant/", views.application_grant, name="application_grant"),
    path("applications/<int:pk>/advance-review/", views.application_advance_review,
         name="application_advance_review"),
    path("applications/<int:pk>/refuse/", views.application_refuse, name="application_refuse"),
    path("applications/<int:pk>/objection/", views.objection_create, name="objection_create"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="objection_decide"),
    path("applications/<int:pk>/print/receipt/", views.print_receipt, name="print_receipt"),
    path("applications/<int:pk>/print/decision/", views.print_decision, name="print_decision"),
    path("supplement-notices/<int:pk>/print/", views.print_supplement, name="print_supplement"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/new/", views.notice_create, name="notice_create"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("matters/", views.matter_list, name="matter_list"),
    path("matters/new/", views.matter_create, name="matter_create"),
    path("matters/<int:pk>/", views.matter_detail, name="matter_detail"),
    path("matters/<int:pk>/edit/", views.matter_create, name="matter_edit"),
]
