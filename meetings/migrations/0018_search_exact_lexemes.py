"""The exact half of each search vector names its words "=hà", "=nam" instead of telling them
from the folded half by weight A alone (meetings/search.py): a query then asks for them
without a weight, which the GIN index answers alone. With a weight, PostgreSQL re-read every
candidate's vector (kilobytes, from TOAST) to check it: "Tam Thành" typed with diacritics took
half a second at 100,000 meetings, testing every vector with "tam" or "tâm" in it.

Rewritten in place, in SQL, both ways: each lexeme's positions of weight A go to its "="
twin (still weight A, which ranking weighs), the others stay. The parser never puts "=" in
a word, so the two halves cannot meet."""

from django.db import migrations

# A tsvector as text, from (lexeme, "1A,5A") pairs: quotes and backslashes doubled.
_VECTOR = (
    "SELECT coalesce(string_agg('''' || replace(replace(e.lexeme, '\\', '\\\\'), '''', '''''')"
    " || ''':' || e.positions, ' '), '')::tsvector FROM ({pairs}) e"
)
_POSITIONS = "string_agg(x.p::text || x.w, ',' ORDER BY x.p) AS positions"
_EACH = "FROM unnest(m.search_vector) u, unnest(u.positions, u.weights) AS x(p, w) GROUP BY 1"

FORWARD = (
    "UPDATE meetings_meeting m SET search_vector = ("
    + _VECTOR.format(
        pairs="SELECT CASE WHEN x.w = 'A' THEN '=' || u.lexeme ELSE u.lexeme END AS lexeme,"
        f" {_POSITIONS} {_EACH}"
    )
    + ") WHERE m.search_vector IS NOT NULL"
)
BACKWARD = (
    "UPDATE meetings_meeting m SET search_vector = ("
    + _VECTOR.format(
        pairs="SELECT CASE WHEN left(u.lexeme, 1) = '=' THEN substr(u.lexeme, 2) ELSE u.lexeme END"
        f" AS lexeme, {_POSITIONS} {_EACH}"
    )
    + ") WHERE m.search_vector IS NOT NULL"
)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0017_facet_indexes_include_place")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
