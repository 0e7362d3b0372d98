"""Existing meetings under issue 16's rules:

1. Review: "corrected" is no review any more (correcting one value does not check the
   others; the value's lock says it was corrected). Meetings "corrected" become "not
   reviewed", with a history record saying why.
2. History: every meeting gets its "As ingested" record (meetings/history.py,
   record_baselines): from its row when nobody changed it, else from its first record with
   the review as ingest leaves it.
3. Doubts: the values the first source's extractor warnings doubt (meetings/ingest/write.py,
   doubts), for the review queue.
"""

from django.db import migrations

RESET = "Review reset: corrections are per value now"
DOUBTED = ("title", "city", "held_on", "period", "participants")


def forwards(apps, schema_editor):
    from meetings.history import record_baselines

    connection = schema_editor.connection
    quote = connection.ops.quote_name
    historical = apps.get_model("meetings", "HistoricalMeeting")
    meeting = apps.get_model("meetings", "Meeting")
    article = apps.get_model("meetings", "Article")
    hist_table, table = quote(historical._meta.db_table), quote(meeting._meta.db_table)
    columns = [
        f.column
        for f in historical._meta.concrete_fields
        if not f.name.startswith("history_") and f.name != "history_id"
    ]
    cols = ", ".join(quote(c) for c in columns)
    reset = {"review_status": "'unreviewed'", "reviewed_by_id": "NULL", "reviewed_at": "NULL"}
    values = ", ".join(reset.get(c, "m." + quote(c)) for c in columns)

    # 2 first, so that a meeting's baseline is not the reset record of 1.
    record_baselines(apps, connection_=connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {hist_table} ({cols}, history_date, history_change_reason,"
            " history_type, history_user_id)"
            f" SELECT {values}, now(), %s, '~', NULL FROM {table} m"
            " WHERE m.review_status = 'corrected'",
            [RESET],
        )
        cursor.execute(
            f"UPDATE {table} SET review_status = 'unreviewed', reviewed_by_id = NULL,"
            " reviewed_at = NULL WHERE review_status = 'corrected'"
        )
        # The first source: the earliest-ingested current article (else the earliest).
        cursor.execute(
            f"UPDATE {table} m SET doubts = d.doubts FROM ("
            " SELECT DISTINCT ON (a.meeting_id) a.meeting_id, ARRAY("
            "  SELECT name FROM unnest(%s::varchar[]) WITH ORDINALITY AS n(name, i)"
            "  WHERE EXISTS (SELECT 1 FROM jsonb_array_elements_text("
            "   CASE WHEN jsonb_typeof(a.extraction -> 'warnings') = 'array'"
            "   THEN a.extraction -> 'warnings' ELSE '[]'::jsonb END) w"
            "   WHERE split_part(w, ':', 1) = n.name)"
            "  ORDER BY n.i)::varchar(20)[] AS doubts"
            f" FROM {quote(article._meta.db_table)} a WHERE a.meeting_id IS NOT NULL"
            " ORDER BY a.meeting_id, a.is_current DESC, a.id) d"
            " WHERE m.id = d.meeting_id AND m.doubts IS DISTINCT FROM d.doubts",
            [list(DOUBTED)],
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0012_review_and_doubts")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
