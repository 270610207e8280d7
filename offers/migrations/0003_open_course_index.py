"""PostgreSQL: an index-only path through the providers' published courses.

Every signed-in person may see every provider's published course (several thousand
nationally), so the catalogue ranks and filters them on each default page. This partial
index carries the columns the catalogue reads for that (fit and offer filters), so that
scan never visits the table.

The catalogue's queries are short and many run at once; a parallel plan for one of them
costs more in worker start-up (tens of milliseconds on a busy 2-core machine) than it
saves, and takes the cores other requests need. So the two tables it reads most are
marked to be scanned without parallel workers. SQLite gets nothing: it has no INCLUDE
and no parallel query."""

from django.db import migrations

INDEX = (
    "CREATE INDEX IF NOT EXISTS offer_open_course_idx ON offers_offer (id) INCLUDE "
    "(career_stages, phases, school_id, network_id, kind, mode, for_whole_school, for_teams, "
    "for_individuals) WHERE status = 'published' AND provider_id IS NOT NULL"
)


TABLES = ("offers_offer", "offers_session")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET (parallel_workers = 0)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS offer_open_course_idx")
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} RESET (parallel_workers)")


class Migration(migrations.Migration):
    dependencies = [("offers", "0002_search_index_and_tags")]
    operations = [migrations.RunPython(forwards, backwards)]
