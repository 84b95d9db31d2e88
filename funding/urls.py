from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("standards/", views.standards, name="standards"),
    path("subsidies/", views.subsidy_list, name="subsidy_list"),
    path("subsidies/pending/", views.subsidy_pending, name="subsidy_pending"),
    path("subsidies/<int:pk>/", views.subsidy_detail, name="subsidy_detail"),
    path("subsidies/<int:pk>/adjust/", views.subsidy_adjust, name="subsidy_adjust"),
    path("cases/<int:case_pk>/compute/", views.subsidy_compute, name="subsidy_compute"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/voucher/", views.batch_voucher, name="batch_voucher"),
    path("batches/<int:pk>/pay/", views.batch_pay, name="batch_pay"),
    path("batches/<int:pk>/remove/<int:subsidy_pk>/", views.batch_remove, name="batch_remove"),
    path("batches/<int:pk>/reverse/", views.batch_reverse, name="batch_reverse"),
    path("batches/<int:pk>/reversals/<int:reversal_pk>/approve/", views.reversal_approve, name="reversal_approve"),
    path("batches/<int:pk>/reversals/<int:reversal_pk>/decline/", views.reversal_decline, name="reversal_decline"),
    path("payments/<int:pk>/", views.payment_detail, name="payment_detail"),
    path("duty/", views.duty_subsidy, name="duty_subsidy"),
    path("public-list/", views.public_list, name="public_list"),
    path("budgets/", views.budget_list, name="budget_list"),
    path("budgets/new/", views.budget_create, name="budget_create"),
    path("budgets/<int:pk>/", views.budget_detail, name="budget_detail"),
    path("budgets/<int:pk>/edit/", views.budget_edit, name="budget_edit"),
    path("spending/", views.spending_list, name="spending_list"),
    path("spending/new/", views.spending_create, name="spending_create"),
    path("spending/<int:pk>/", views.spending_detail, name="spending_detail"),
    path("spending/<int:pk>/edit/", views.spending_edit, name="spending_edit"),
    path("spending/<int:pk>/correct/", views.spending_correct, name="spending_correct"),
]
