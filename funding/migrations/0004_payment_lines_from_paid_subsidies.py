"""Every subsidy paid before payment lines existed gets its payment line (amount, paid_on, batch), so
subsidy.paid.* read lines only and past periods keep their figures."""

from django.db import migrations


def forwards(apps, schema_editor):
    Subsidy = apps.get_model("funding", "Subsidy")
    SubsidyPayment = apps.get_model("funding", "SubsidyPayment")
    lines = [SubsidyPayment(subsidy_id=s.pk, batch_id=s.batch_id, kind="payment", amount=s.amount, case_count=1,
                            date=s.paid_on, by_id=s.batch.created_by_id if s.batch_id else None)
             for s in Subsidy.objects.filter(status="paid", paid_on__isnull=False).select_related("batch")
             .iterator(chunk_size=2000)]
    SubsidyPayment.objects.bulk_create(lines, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("funding", "0003_payment_lines_and_reversals")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
