"""Record where the province of each existing meeting came from, as its first source said.

Meetings ingested before city_source existed: the first current article's extraction names
the source ("text", "title", "url", "locality"). Places, inferences and the rest of issue 12
are applied by the next ingest run, which re-applies every stored article once (see
INGEST_RULES in meetings/ingest/write.py).
"""

from django.db import migrations

SOURCES = {"text": "text", "title": "text", "url": "address", "locality": "locality"}


def fill(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Article = apps.get_model("meetings", "Article")
    for meeting in Meeting.objects.filter(city__isnull=False, city_source="").only("id").iterator():
        article = (
            Article.objects.filter(meeting_id=meeting.pk)
            .order_by("-is_current", "pk")
            .only("extraction")
            .first()
        )
        sources = (article.extraction or {}).get("sources") or {} if article else {}
        source = SOURCES.get(sources.get("city"), "text")
        Meeting.objects.filter(pk=meeting.pk).update(city_source=source)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0007_places_city_sources_duplicates")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
