"""Search vectors now hold each word's exact form too (meetings/search.py): mark every
meeting's document stale, so that the next ingest run (which refreshes stale documents at its
end, in batches) rebuilds them. Until then a query typed with diacritics finds only the
meetings already rebuilt, and one typed without finds all, as before."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("meetings", "0014_names_editors_read")]

    operations = [
        migrations.RunSQL(
            "UPDATE meetings_meeting SET search_stale = true", migrations.RunSQL.noop
        )
    ]
