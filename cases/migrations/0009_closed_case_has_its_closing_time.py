from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_closing_times_of_cases_already_closed")]

    operations = [
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("closed_at__isnull", False), ("status", "closed")),
                    models.Q(
                        models.Q(("status", "closed"), _negated=True), ("closed_at__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="closed_case_has_its_closing_time",
            ),
        ),
    ]
