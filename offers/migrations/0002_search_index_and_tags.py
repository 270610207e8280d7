"""The PostgreSQL full-text index, and the shared focus tags (Teachers' Standards, EEF
mechanisms). SQLite has no GIN index; the catalogue falls back to LIKE there."""

from django.db import migrations

STANDARDS = [
    ("TS1", "Set high expectations which inspire, motivate and challenge pupils"),
    ("TS2", "Promote good progress and outcomes by pupils"),
    ("TS3", "Demonstrate good subject and curriculum knowledge"),
    ("TS4", "Plan and teach well-structured lessons"),
    ("TS5", "Adapt teaching to respond to the strengths and needs of all pupils"),
    ("TS6", "Make accurate and productive use of assessment"),
    ("TS7", "Manage behaviour effectively to ensure a good and safe learning environment"),
    ("TS8", "Fulfil wider professional responsibilities"),
]
MECHANISMS = [
    ("M01", "Managing cognitive load", "Build knowledge"),
    ("M02", "Revisiting prior learning", "Build knowledge"),
    ("M03", "Setting and agreeing on goals", "Motivate teachers"),
    ("M04", "Presenting information from a credible source", "Motivate teachers"),
    ("M05", "Providing affirmation and reinforcement after progress", "Motivate teachers"),
    ("M06", "Instructing teachers on how to perform a technique", "Develop teaching techniques"),
    ("M07", "Arranging social support", "Develop teaching techniques"),
    ("M08", "Modelling the technique", "Develop teaching techniques"),
    ("M09", "Monitoring and providing feedback", "Develop teaching techniques"),
    ("M10", "Rehearsing the technique", "Develop teaching techniques"),
    ("M11", "Providing prompts and cues", "Embed practice"),
    ("M12", "Prompting action planning", "Embed practice"),
    ("M13", "Encouraging monitoring", "Embed practice"),
    ("M14", "Prompting context-specific repetition", "Embed practice"),
]

INDEX = (
    "CREATE INDEX IF NOT EXISTS offer_search_idx ON offers_offer USING gin "
    "((to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(summary, '')"
    " || ' ' || COALESCE(description, ''))))"
)


def forwards(apps, schema_editor):
    FocusTag = apps.get_model("offers", "FocusTag")
    for code, name in STANDARDS:
        FocusTag.objects.update_or_create(
            kind="standard", code=code, school=None, defaults={"name": name}
        )
    for code, name, group in MECHANISMS:
        FocusTag.objects.update_or_create(
            kind="mechanism", code=code, school=None, defaults={"name": name, "group": group}
        )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS offer_search_idx")


class Migration(migrations.Migration):
    dependencies = [("offers", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
