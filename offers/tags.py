"""The shared focus tags every offer can carry: the Teachers' Standards (2011) and the EEF's
fourteen mechanisms of effective professional development (2021, see domain.md)."""

from __future__ import annotations

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


def ensure_shared_tags() -> int:
    """Create any missing shared tag (a migration seeds them; a flushed database, such as
    after a transactional test, has none). Returns how many were created."""
    from offers.models import FocusTag

    have = set(FocusTag.objects.filter(school__isnull=True).values_list("code", flat=True))
    missing = [
        FocusTag(kind=FocusTag.Kind.TEACHERS_STANDARD, code=code, name=name)
        for code, name in STANDARDS
        if code not in have
    ] + [
        FocusTag(kind=FocusTag.Kind.EEF_MECHANISM, code=code, name=name, group=group)
        for code, name, group in MECHANISMS
        if code not in have
    ]
    FocusTag.objects.bulk_create(missing)
    return len(missing)
