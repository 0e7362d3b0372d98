"""Every province-level unit, before and after the 2025 reorganisation, and every district of
the gazetteer (meetings/extraction/data/places.json), as City and Locality rows: editors pick
a province or a district in the admin instead of creating one, and ingest finds these rows
(by folded name, as it finds its own) instead of creating them. Rows ingest created before
are kept, completed and linked to their 2025 successor (meetings/ingest/places.py,
load_gazetteer_places; it reads the gazetteer through the extractor's reader).
"""

from django.db import migrations


def load(apps, schema_editor):
    from meetings.ingest.places import load_gazetteer_places

    load_gazetteer_places(apps.get_model("meetings", "City"), apps.get_model("meetings", "Locality"))


class Migration(migrations.Migration):
    dependencies = [("meetings", "0010_article_url_http")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
