"""The data version (meetings/data_version.py): a one-row table that PostgreSQL bumps when a
transaction that wrote to a table public pages read commits.

Statement-level triggers on those tables (INSERT, UPDATE, DELETE, TRUNCATE) note the writing
transaction in meetings_dataversion_pending, once per transaction; a deferred constraint
trigger on that row bumps meetings_dataversion at COMMIT and removes the note. So:

- no write path can forget it: ingest, the admin, merges, history reverts, touch_meetings,
  a psql session;
- the new number becomes visible in the same instant as the data (and, on a streaming
  replica, is replayed with it), so a page cached under a number always shows that data;
- the version row is locked only for the moment of the commit, not for the whole writing
  transaction: parallel ingest workers, which hold advisory locks, do not wait for each other
  on it (a lock held from the first write would serialise them and could deadlock);
- the number comes from a sequence, which no TRUNCATE (e.g. a test's flush) resets: a number
  is never given twice.
"""

from django.db import migrations, models

# The tables the public pages, feeds, exports and API read. Not: the history tables, the
# fetch log, tombstones (ingest bookkeeping).
PUBLIC_TABLES = [
    "meetings_article",
    "meetings_city",
    "meetings_directive",
    "meetings_directivecitation",
    "meetings_locality",
    "meetings_meeting",
    "meetings_meetingredirect",
    "meetings_metric",
    "meetings_organization",
    "meetings_organizationmention",
    "meetings_participation",
    "meetings_person",
]

CREATE = """
CREATE SEQUENCE meetings_dataversion_seq;

CREATE TABLE meetings_dataversion_pending (txid bigint PRIMARY KEY);

CREATE FUNCTION meetings_note_data_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO meetings_dataversion_pending (txid) VALUES (txid_current())
    ON CONFLICT (txid) DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION meetings_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO meetings_dataversion (id, version, changed_at)
    VALUES (1, nextval('meetings_dataversion_seq'), clock_timestamp())
    ON CONFLICT (id) DO UPDATE
        SET version = excluded.version, changed_at = excluded.changed_at;
    DELETE FROM meetings_dataversion_pending WHERE txid = NEW.txid;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER meetings_bump_data_version
    AFTER INSERT ON meetings_dataversion_pending
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION meetings_bump_data_version();

INSERT INTO meetings_dataversion (id, version, changed_at)
VALUES (1, nextval('meetings_dataversion_seq'), clock_timestamp());
"""

TRIGGER = """
CREATE TRIGGER meetings_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION meetings_note_data_change();
"""

DROP = """
DROP TRIGGER meetings_bump_data_version ON meetings_dataversion_pending;
DROP FUNCTION meetings_bump_data_version();
DROP FUNCTION meetings_note_data_change() CASCADE;
DROP TABLE meetings_dataversion_pending;
DROP SEQUENCE meetings_dataversion_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("meetings", "0015_search_exact_words")]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField()),
            ],
            options={"verbose_name": "data version"},
        ),
        migrations.RunSQL(
            CREATE + "".join(TRIGGER.format(table=table) for table in PUBLIC_TABLES), DROP
        ),
    ]
