"""The demo's year of CPD: priorities, offers, sessions, bookings, registers and evaluations.

Like the rest of the demo it comes in two halves. `build_year()` turns the people plan and
today's date into plain data: what each school, network and provider offers, and a short
story for every session (who books, who is directed, invited, approved or cancels, the marks
on each past date's register, the evaluations). The loader then tells each story through
the services (`offers.services`, `booking.services`, `booking.registers`,
`booking.evaluations`), so history rows, seat counters and waiting-list positions are the
ones real use would make.

Dates. Every date is a week offset from the Monday of the current week (Europe/London, or
the configured zone), on a weekday and at a time of day: past sessions sit two to twelve
weeks behind, upcoming ones one to thirty weeks ahead, so whatever the day the demo has
registers to read and sessions to book (loaded in December, that is the autumn term behind
and spring and summer ahead, all inside the academic year). Each school's sessions take
one weekday each (Monday to Thursday) and the networks' and the provider's take Fridays,
skipping the usual holidays, so no person's bookings ever clash. Offers are found again by
(owner, title) and sessions by (offer, label), never by time, and which titles and labels
are planned does not depend on the day, so a run on another day adds nothing; a session's
story is told only when the session is made.

The past is replayed, not forged: bookings for a session that has happened are made with
the clock set to a few weeks before it, registers at the end of each date and evaluations
a day or two later (`_clock`). Creation times the services leave to a column default are
set to the same moment afterwards.

Nobody is told. Demo bookings are a year already under way, not news, so the loader runs
with a dummy task backend (see `quiet_tasks`): no notification, email or reminder task is
queued, and a worker started later has nothing to send to the invented addresses.
"""

from __future__ import annotations

import contextlib
import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.test.utils import override_settings
from django.utils import timezone

from booking.evaluations import submit_evaluation
from booking.models import Attendance, Booking, Evaluation, Invitation
from booking.registers import take_register
from booking.services import (
    answer_invitation,
    approve_booking,
    book_session,
    cancel_booking,
    decline_booking,
    direct_to_session,
    invite_to_session,
)
from offers.models import FocusTag, Interest, Offer, Session
from offers.services import (
    add_session,
    approve_proposal,
    create_offer,
    create_priority,
    propose_session,
    register_interest,
)
from offers.tags import ensure_shared_tags
from tenancy.models import School, User

if TYPE_CHECKING:
    from staffroom.demo_data import DemoContext, DemoPlan, PersonPlan, SchoolPlan

SEED = 2025

# --- What schools offer ----------------------------------------------------------------

PRIMARY = frozenset({"primary", "all_through", "middle"})
SECONDARY = frozenset({"secondary", "all_through", "middle", "post_16"})
SPECIAL = frozenset({"special", "alternative"})
NURSERY = frozenset({"nursery"})
SCHOOLS = PRIMARY | SECONDARY | SPECIAL  # every phase but nursery

PRIORITIES = {
    "primary": ["Reading fluency in KS2", "Adaptive teaching", "Mathematical talk and reasoning",
                "Early reading and phonics", "Vocabulary across the curriculum"],
    "secondary": ["Disciplinary literacy", "Adaptive teaching", "Retrieval and responsive teaching",
                  "Calm and consistent routines", "Vocabulary across the curriculum"],
    "special": ["Communication and interaction", "Regulation and relationships",
                "Adaptive teaching", "Preparing for adulthood"],
    "nursery": ["Early language and communication", "Sustained shared thinking",
                "Physical development outdoors"],
    "post_16": ["Independent study", "Assessment and feedback", "Disciplinary literacy"],
}  # fmt: skip
PRIORITY_GROUPS = {
    "primary": ["primary"], "secondary": ["secondary"], "post_16": ["post_16"],
    "nursery": ["nursery"], "special": ["special"], "alternative": ["special", "secondary"],
    "all_through": ["primary", "secondary"], "middle": ["primary", "secondary"],
}  # fmt: skip


@dataclass(frozen=True)
class Idea:
    """A piece of CPD a school might offer; one idea suits several schools."""

    title: str
    summary: str
    topic: str  # how attendees name it in their evaluations
    fits: frozenset[str]  # the school phases it suits
    focus: tuple[str, ...]  # Teachers' Standards and EEF mechanisms
    serves: tuple[str, ...] = ()  # priorities it serves, when the school has them
    audience: str = "teachers"  # the pool attendees come from (see _People.pool)
    stages: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    strands: str = "w"  # w whole school, t team, i individual
    mode: str = Offer.Mode.IN_PERSON
    evidence: str = ""
    units: tuple[str, ...] = ()  # programmes: the six meetings
    structure: str = ""  # programmes: gap tasks and the final piece of work
    terms: int | None = None
    directed_hours: str | None = None  # blank: the hours of the dates count
    provider: str = ""  # external courses
    cost: str = "0"
    days: int = 1


ONE_OFFS = [
    Idea("Retrieval practice that sticks",
         "Low-stakes quizzing, spacing and brain dumps that fit the first ten minutes.",
         "retrieval practice", SCHOOLS, ("TS2", "TS6", "M02", "M06", "M08"),
         ("Retrieval and responsive teaching", "Independent study"),
         evidence="Cognitive science of memory: retrieval and spacing (EEF review of cognitive "
         "science approaches, 2021)."),
    Idea("Questioning that makes everyone think",
         "Cold calling, wait time and mini whiteboards so that every pupil answers.",
         "questioning", SCHOOLS, ("TS4", "TS6", "M06", "M08", "M10"),
         ("Retrieval and responsive teaching", "Mathematical talk and reasoning")),
    Idea("Adaptive teaching without lowering the bar",
         "Scaffolds that come away, not separate worksheets: planning one lesson for all.",
         "adaptive teaching", SCHOOLS, ("TS1", "TS5", "M01", "M06", "M08"),
         ("Adaptive teaching",), strands="wt"),
    Idea("Whole-class feedback that moves learning on",
         "Read the books, find the three common errors, reteach tomorrow: no marking marathon.",
         "whole-class feedback", SCHOOLS, ("TS6", "M06", "M09", "M12"),
         ("Assessment and feedback", "Retrieval and responsive teaching")),
    Idea("Calm, consistent routines",
         "Entry, transitions and attention signals rehearsed until they run themselves.",
         "classroom routines", SCHOOLS, ("TS1", "TS7", "M06", "M08", "M10", "M11"),
         ("Calm and consistent routines", "Regulation and relationships")),
    Idea("Reading fluency: modelled, echo and choral reading",
         "A fifteen-minute fluency routine for Key Stage 2 classes, practised in the session.",
         "fluency routines", PRIMARY, ("TS3", "TS5", "M06", "M08", "M10"),
         ("Reading fluency in KS2",), phases=("primary",), subjects=("English",),
         evidence="EEF guidance: Improving literacy in Key Stage 2."),
    Idea("Phonics refresher for all staff",
         "Pure sounds, blending and the school's scheme, for teachers and teaching assistants.",
         "phonics", frozenset({"primary"}), ("TS3", "M02", "M06", "M08"),
         ("Early reading and phonics",), audience="all", phases=("primary",),
         subjects=("English",)),
    Idea("Bar models and representations in maths",
         "From concrete to pictorial to abstract: one representation taught well, in each year.",
         "bar models", PRIMARY, ("TS3", "TS4", "M01", "M08"),
         ("Mathematical talk and reasoning",), phases=("primary",),
         subjects=("Mathematics",), strands="t"),
    Idea("Disciplinary literacy: reading like a subject expert",
         "How scientists, historians and mathematicians read, and how to teach it.",
         "disciplinary reading", SECONDARY, ("TS3", "M04", "M06", "M12"),
         ("Disciplinary literacy", "Vocabulary across the curriculum"), strands="t",
         evidence="EEF guidance: Improving literacy in secondary schools."),
    Idea("Teaching tier 2 vocabulary explicitly",
         "Choosing the words that unlock texts and teaching them so they stay.",
         "explicit vocabulary teaching", SCHOOLS, ("TS3", "TS5", "M01", "M06", "M08"),
         ("Vocabulary across the curriculum", "Disciplinary literacy")),
    Idea("Metacognition: plan, monitor, evaluate",
         "Modelling your thinking aloud and handing the questions over to pupils.",
         "metacognitive talk", SCHOOLS, ("TS2", "TS4", "M04", "M06", "M12"),
         ("Independent study",),
         evidence="EEF guidance: Metacognition and self-regulated learning."),
    Idea("Worked examples and live modelling",
         "Fading worked examples and writing live under the visualiser.",
         "live modelling", SCHOOLS, ("TS4", "M01", "M08"), ("Adaptive teaching",),
         mode=Offer.Mode.HYBRID),
    Idea("Supporting autistic pupils in every lesson",
         "Predictable lessons, clear language and a calm room, with a specialist teacher.",
         "predictable, low-arousal lessons", SCHOOLS, ("TS5", "M04", "M06", "M11"),
         ("Communication and interaction", "Adaptive teaching"),
         subjects=("Special educational needs",)),
    Idea("Signing and symbols across the day",
         "Key signs and symbol supports for routines, choices and feelings.",
         "signing and symbols", SPECIAL | NURSERY, ("TS5", "M06", "M08", "M10"),
         ("Communication and interaction", "Early language and communication"), audience="all"),
    Idea("De-escalation and repair conversations",
         "Reading the signs early, scripts that calm, and putting things right afterwards.",
         "de-escalation", SPECIAL | frozenset({"secondary"}), ("TS7", "M06", "M08", "M10"),
         ("Regulation and relationships", "Calm and consistent routines"), audience="all"),
    Idea("Sustained shared thinking in play",
         "Wondering aloud, open questions and following the child's lead.",
         "sustained shared thinking", NURSERY, ("TS4", "TS5", "M08", "M09"),
         ("Sustained shared thinking",), audience="all", phases=("nursery",)),
    Idea("Language-rich interactions for two-year-olds",
         "Commenting, expanding and waiting: adult talk that grows children's language.",
         "language-rich interactions", NURSERY, ("TS5", "M04", "M06"),
         ("Early language and communication",), audience="all", phases=("nursery",)),
    Idea("Outdoor provision for big physical play",
         "Setting up the outdoor area for climbing, balancing and carrying.",
         "outdoor provision", NURSERY, ("TS4", "M06", "M14"),
         ("Physical development outdoors",), audience="all", phases=("nursery",)),
    Idea("A level essays: from plan to paragraph",
         "Modelling the analytical paragraph and rehearsing it in timed conditions.",
         "essay structure", frozenset({"post_16"}), ("TS3", "TS4", "M08", "M10"),
         ("Disciplinary literacy", "Independent study"), phases=("post_16",)),
    Idea("Independent study that works",
         "Teaching students how to plan their week and test themselves.",
         "independent study", frozenset({"post_16", "secondary"}),
         ("TS2", "M03", "M12", "M13"), ("Independent study",)),
    Idea("Online safety: what pupils tell us",
         "This year's patterns from our pupils' reports, and what to say in class.",
         "online safety", SCHOOLS | NURSERY, ("TS8", "M04"), audience="all",
         mode=Offer.Mode.ONLINE),
]  # fmt: skip

PROGRAMMES = [
    Idea("Instructional coaching: fortnightly steps",
         "A year of small, precise changes, with a coach, a clip and a rehearsal each fortnight.",
         "instructional coaching", SCHOOLS, ("TS4", "TS8", "M03", "M06", "M08", "M09", "M10"),
         ("Adaptive teaching", "Retrieval and responsive teaching"),
         stages=("early", "experienced"), strands="it", terms=3, directed_hours="12",
         units=("Unit 1: what coaching is for", "Unit 2: choosing a high-leverage step",
                "Unit 3: modelling and rehearsal", "Unit 4: feedback that lands",
                "Unit 5: making it a habit", "Unit 6: review and next steps"),
         structure="Six group meetings across the year. Between meetings: a fortnightly "
         "coaching conversation, a ten-minute clip of the step in your own class, and one "
         "rehearsal with your coach. Final piece: a five-minute presentation of the step you "
         "changed and what your pupils now do differently.",
         evidence="EEF guidance report: Effective professional development (2021)."),
    Idea("Early career teacher entitlement: school-based training",
         "The school's training for ECTs, alongside weekly mentor meetings.",
         "the ECT training", SCHOOLS | NURSERY, ("TS1", "TS4", "TS5", "TS7", "M02", "M03",
                                                  "M06", "M08", "M09", "M10"),
         audience="ects", stages=("ect",), strands="i", terms=3,
         units=("Behaviour: routines from day one", "How pupils learn and remember",
                "Subject and curriculum", "Adaptive teaching", "Assessment and feedback",
                "Professional behaviours and next steps"),
         structure="Six after-school sessions across the year. Gap tasks: try the week's "
         "technique with one class and bring pupils' work to your next mentor meeting. "
         "Final piece: a short portfolio of three changes and their effect."),
    Idea("Subject leadership: leading a curriculum review",
         "For subject and phase leaders reviewing one unit of their curriculum with a partner.",
         "curriculum review", SCHOOLS, ("TS3", "TS8", "M03", "M04", "M07", "M12"),
         ("Vocabulary across the curriculum", "Disciplinary literacy"), audience="leaders",
         stages=("middle_leader",), strands="t", terms=2,
         units=("Unit 1: what is the curriculum for?", "Unit 2: sequencing knowledge",
                "Unit 3: looking at pupils' work together", "Unit 4: a partner's challenge",
                "Unit 5: leading the team's change", "Unit 6: presenting the review"),
         structure="Six meetings over two terms. Gap tasks: a book look with a partner from "
         "another team, and a department meeting you lead on the unit. Project: a review of "
         "one unit, presented to governors in the summer."),
    Idea("Lesson study: pupils' reading comprehension",
         "Three cycles of planning, teaching and observing one research lesson together.",
         "lesson study", SCHOOLS, ("TS2", "TS5", "TS6", "M07", "M09", "M12", "M13", "M14"),
         ("Reading fluency in KS2", "Disciplinary literacy", "Communication and interaction"),
         strands="t", terms=2,
         units=("Cycle 1: choosing case pupils", "Cycle 1: the research lesson",
                "Cycle 2: planning together", "Cycle 2: the research lesson",
                "Cycle 3: the research lesson", "Sharing what we learned"),
         structure="Triads plan, teach and observe a research lesson in each cycle, watching "
         "three case pupils. Between meetings: collect the case pupils' work and interview "
         "them. Final piece: a poster and a ten-minute talk at the summer staff meeting."),
    Idea("Teaching assistants: making every interaction count",
         "Scaffolding, prompting and feedback for support staff, over two terms.",
         "scaffolding and prompting", SCHOOLS | NURSERY, ("TS5", "M01", "M06", "M08", "M10",
                                                          "M14"),
         ("Adaptive teaching", "Communication and interaction"), audience="support",
         stages=("support",), strands="t", terms=2,
         units=("Prompting before telling", "Scaffolds that fade", "Feedback in the moment",
                "Working with the class teacher", "Small-group interventions",
                "Review and celebration"),
         structure="Six meetings over two terms. Gap tasks: one prompt hierarchy tried with a "
         "pupil each week, noted in your log. Final piece: a case study of one pupil.",
         evidence="EEF guidance: Making best use of teaching assistants."),
    Idea("Mentor development: coaching early-career teachers",
         "For ECT mentors: the mentor meeting, observation and feedback, over the year.",
         "mentoring", SCHOOLS | NURSERY, ("TS8", "M06", "M08", "M09", "M10"),
         audience="mentors", stages=("experienced",), strands="i", terms=3,
         units=("The weekly mentor meeting", "Observing for one thing",
                "Feedback and action steps", "Deliberate practice with your ECT",
                "When things get hard", "The end-of-year review"),
         structure="Six twilight meetings across the year. Gap tasks: record one mentor "
         "meeting (with your ECT's agreement) and review it with a partner mentor."),
]  # fmt: skip

EXTERNALS = [
    Idea("Designated safeguarding lead refresher",
         "The two-yearly refresher for designated safeguarding leads and deputies.",
         "safeguarding", SCHOOLS | NURSERY, ("TS8", "M04"), audience="leaders", strands="i",
         provider="Pennine Safeguarding Partnership", cost="165"),
    Idea("Subject knowledge for physics teaching",
         "Two days on forces and electricity for teachers outside their specialism.",
         "physics subject knowledge", frozenset({"secondary", "all_through", "post_16"}),
         ("TS3", "M04", "M06"), subjects=("Physics",), stages=("early", "experienced"),
         strands="i", provider="Fellside Science Learning Centre", cost="285", days=2),
    Idea("Exam marking and moderation: GCSE English Language",
         "A day with a senior examiner on the mark scheme, with real scripts.",
         "GCSE marking", frozenset({"secondary", "all_through"}), ("TS6", "M04", "M09"),
         subjects=("English",), strands="it", provider="Moorland Exams Training",
         cost="210"),
    Idea("Forest school leader (level 3)",
         "The practitioner course for leading regular outdoor sessions, over three days.",
         "forest school", NURSERY | frozenset({"primary", "special"}), ("TS4", "TS8", "M06",
                                                                        "M10"),
         audience="all", strands="i", provider="Greenwood Outdoor Learning", cost="895",
         days=3),
    Idea("Structured literacy for dyslexic learners",
         "A specialist two-day course in multisensory, cumulative teaching of reading.",
         "structured literacy", SCHOOLS, ("TS5", "M04", "M06", "M08"),
         subjects=("Special educational needs",), strands="i",
         provider="Northern Dyslexia Centre", cost="340", days=2),
    Idea("Leading A level teaching: stretch for every student",
         "A day for A level teachers on challenge, questioning and independent work.",
         "A level challenge", frozenset({"post_16"}), ("TS1", "TS4", "M04", "M06"),
         strands="it", provider="Northfield Sixth Form Network", cost="190"),
]  # fmt: skip

PROPOSALS = [
    Idea("Using the visualiser for live modelling",
         "I'll show how I write live under the visualiser and we'll each try it.",
         "the visualiser", SCHOOLS, ("TS4", "M08", "M10")),
    Idea("Cognitive load in practice: notes from my master's",
         "What I read for my master's on cognitive load, and three things I changed.",
         "cognitive load", SCHOOLS, ("TS2", "M01", "M04")),
    Idea("Sketchnoting for revision",
         "Drawing simple sketchnotes with pupils so that revision means thinking.",
         "sketchnoting", SECONDARY, ("TS2", "M01", "M08")),
    Idea("Quick quizzes with free digital tools",
         "Setting up self-marking quizzes in ten minutes, with what works and what doesn't.",
         "digital quizzes", SCHOOLS, ("TS6", "M02", "M06"), mode=Offer.Mode.ONLINE),
    Idea("Outdoor learning on a shoestring",
         "Lessons outside with what you already have: chalk, string and the field.",
         "outdoor learning", PRIMARY | NURSERY | SPECIAL, ("TS4", "M06", "M14"),
         audience="all"),
    Idea("Reading aloud with expression",
         "Practising the class novel read-aloud: pace, voices and pauses.",
         "reading aloud", PRIMARY | NURSERY, ("TS3", "M08", "M10")),
    Idea("Mini whiteboards: routines that work",
         "Show-me routines that take seconds and tell you who has got it.",
         "mini whiteboards", SCHOOLS, ("TS6", "M06", "M10", "M11")),
    Idea("Sensory circuits before lessons",
         "A ten-minute circuit that helps pupils arrive ready to learn.",
         "sensory circuits", SPECIAL | NURSERY | frozenset({"primary"}), ("TS5", "M06",
                                                                         "M14"),
         audience="all"),
    Idea("Revision clinics that students use",
         "How we moved our clinics from empty rooms to full ones.",
         "revision clinics", SECONDARY, ("TS2", "M03", "M13")),
]  # fmt: skip

# Labels name a session's time of day (the date shows the day), so they never depend on it.
SLOTS = {
    "After school": (datetime.time(15, 45), 75),
    "Twilight": (datetime.time(16, 0), 90),
    "Early start": (datetime.time(7, 45), 55),
    "Lunchtime": (datetime.time(12, 15), 45),
}
ROOMS = {
    "primary": ["School hall", "Library", "Year 6 classroom", "Staffroom"],
    "secondary": ["Library", "Room S12 (science block)", "Drama studio", "Main hall",
                  "Sixth-form centre"],
    "other": ["Training room", "Hall", "Sensory room", "Staffroom"],
}  # fmt: skip
# Roughly the English school holidays, as (month, day) spans.
HOLIDAYS = [
    ((10, 24), (11, 1)), ((12, 19), (12, 31)), ((1, 1), (1, 4)), ((2, 13), (2, 21)),
    ((3, 29), (4, 11)), ((5, 23), (5, 31)), ((7, 22), (8, 31)), ((9, 1), (9, 2)),
]  # fmt: skip
MARKS = [Attendance.Mark.PRESENT] * 17 + [Attendance.Mark.LATE] * 2 + [Attendance.Mark.ABSENT] * 2
LEARNED = [
    "How {topic} looks in a real lesson, not just in theory.",
    "That {topic} works best when it is short and happens every lesson.",
    "Watching the model of {topic} made it click for me.",
    "The research behind {topic} was clearer than I expected.",
    "Practising {topic} with a colleague showed me where I rush.",
    "That my pupils already do some of this; {topic} gives it a structure.",
]
WILL_TRY = [
    "Try {topic} with my Year {year} class next week and look at their books.",
    "Plan one lesson a week around {topic} until half term.",
    "Ask a colleague to drop in and watch for {topic}.",
    "Start small: {topic} in the first ten minutes of each lesson.",
    "Share {topic} at our next team meeting.",
]


# --- The plan ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Act:
    """One thing a person does to a session, replayed through the booking services."""

    verb: str  # book | direct | invite | answer | approve | decline | cancel
    email: str  # the person booked, invited, approved...
    by: str = ""  # the leader who directs, invites or decides
    note: str = ""
    accept: bool = True  # answer: yes or no


@dataclass
class SessionPlan:
    label: str
    dates: list[tuple[datetime.datetime, datetime.datetime, str]]
    capacity: int
    facilitators: list[str] = field(default_factory=list)
    location: str = ""
    meeting_link: str = ""
    opens: datetime.datetime | None = None
    closes: datetime.datetime | None = None
    acts: list[Act] = field(default_factory=list)
    register_by: str = ""  # who marks the register of each past date
    marks: dict[str, list[str]] = field(default_factory=dict)  # email -> mark per date
    # email -> (worth it 1-5, what I learned, what I will try, try within days)
    evaluations: dict[str, tuple[int, str, str, int | None]] = field(default_factory=dict)

    @property
    def starts_at(self) -> datetime.datetime:
        return self.dates[0][0]


@dataclass
class OfferPlan:
    title: str
    owner: tuple[str, str]  # ("school", urn) | ("network", source id) | ("provider", email)
    by: str  # who creates it: the CPD lead, network lead or provider (the proposer: see below)
    published_at: datetime.datetime
    values: dict[str, Any]
    focus: list[str] = field(default_factory=list)  # shared tag codes
    priorities: list[str] = field(default_factory=list)  # the school's priority names
    subjects: list[str] = field(default_factory=list)
    facilitators: list[str] = field(default_factory=list)
    sessions: list[SessionPlan] = field(default_factory=list)
    # Teacher proposals: the proposer, colleagues interested, and who approved it when.
    proposer: str = ""
    interested: list[str] = field(default_factory=list)
    approved_by: str = ""
    approved_at: datetime.datetime | None = None


@dataclass
class YearPlan:
    priorities: dict[str, list[str]]  # urn -> names
    offers: list[OfferPlan]


class _Calendar:
    """Days for sessions: one session a day per calendar, clear of the holidays. Past weeks
    move further back and upcoming ones further on, so past stays past."""

    def __init__(self, monday: datetime.date, weekdays: tuple[int, ...]) -> None:
        self.monday = monday
        self.weekdays = weekdays
        self.taken: set[datetime.date] = set()

    def day(self, week: int, weekday: int | None = None) -> datetime.date:
        step = -1 if week < 0 else 1
        order = list(self.weekdays)
        if weekday in order:
            order = order[order.index(weekday) :] + order[: order.index(weekday)]
        while True:
            for wd in order:
                day = self.monday + datetime.timedelta(weeks=week, days=wd)
                if not _holiday(day) and day not in self.taken:
                    self.taken.add(day)
                    return day
            week += step


def _holiday(day: datetime.date) -> bool:
    return any(lo <= (day.month, day.day) <= hi for lo, hi in HOLIDAYS)


def _at(
    day: datetime.date, start: datetime.time, minutes: int
) -> tuple[datetime.datetime, datetime.datetime]:
    begins = timezone.make_aware(datetime.datetime.combine(day, start))
    return begins, begins + datetime.timedelta(minutes=minutes)


class _People:
    """One school's staff by what they do, as emails, in a fixed order."""

    def __init__(self, school: SchoolPlan, reserved: set[str]) -> None:
        staff = [p for p in school.staff if p.email not in reserved]
        self.by_email: dict[str, PersonPlan] = {p.email: p for p in school.staff}
        self.head = school.staff[0].email
        self.cpd_lead = next(p.email for p in school.staff if p.is_cpd_lead)
        self.facilitators = [p.email for p in staff if p.is_facilitator and not p.is_cpd_lead]
        self.teachers = [p.email for p in staff if p.is_teacher and not p.is_senior_leader]
        self.ects = [p.email for p in staff if p.ect_year]
        self.mentors = [p.email for p in staff if p.is_mentor]
        self.leaders = [p.email for p in staff if p.leads]
        self.support = [
            p.email for p in staff if not p.is_teacher and not p.is_school_admin and p.team
        ]

    def pool(self, audience: str) -> list[str]:
        return {
            "teachers": self.teachers,
            "all": self.teachers + self.support,
            "ects": self.ects,
            "mentors": self.mentors,
            "leaders": self.leaders or self.teachers,
            "support": self.support,
        }[audience]


def _strands(letters: str) -> dict[str, bool]:
    return {
        "for_whole_school": "w" in letters,
        "for_teams": "t" in letters,
        "for_individuals": "i" in letters,
    }


def _marks_and_evaluations(
    rng: random.Random, sp: SessionPlan, attendees: list[str], topic: str
) -> None:
    """Marks for every attendee on every date and evaluations from about half of those who
    came. The loader uses the marks of dates that have ended and the evaluations of sessions
    that are over; drawing them all keeps the random stream, and so every title and label,
    the same whatever the day."""
    for email in attendees:
        sp.marks[email] = [rng.choice(MARKS) for _ in sp.dates]
    for email in attendees:
        came = any(m != Attendance.Mark.ABSENT for m in sp.marks[email])
        if came and rng.random() < 0.55:
            sp.evaluations[email] = (
                rng.choice([5, 5, 4, 4, 4, 4, 3, 3, 2]),
                rng.choice(LEARNED).format(topic=topic),
                rng.choice(WILL_TRY).format(topic=topic, year=rng.randint(3, 11)),
                rng.choice([None, 7, 14, 21]),
            )


class _SchoolBuilder:
    """Plans one school's year: priorities, then offers of each kind with their stories."""

    def __init__(
        self, school: SchoolPlan, monday: datetime.date, now: datetime.datetime, reserved: set[str]
    ) -> None:
        self.school = school
        self.rng = random.Random(f"{SEED}:offer:{school.urn}")
        self.cal = _Calendar(monday, (0, 1, 2, 3))
        self.people = _People(school, reserved)
        self.now = now
        self.published = timezone.make_aware(
            datetime.datetime.combine(monday - datetime.timedelta(weeks=15), datetime.time(9))
        )
        groups = PRIORITY_GROUPS[school.phase]
        names = list(dict.fromkeys(n for g in groups for n in PRIORITIES[g]))
        self.priorities = self.rng.sample(names, k=min(len(names), self.rng.choice([2, 3, 3])))
        family = "primary" if school.phase in ("primary", "nursery") else "secondary"
        if school.phase in SPECIAL:
            family = "other"
        self.rooms = ROOMS[family]
        self.link_base = f"https://meet.{school.domain}/"

    def ideas(self, pool: list[Idea], k: int) -> list[Idea]:
        """`k` ideas that suit the school, those serving its priorities first."""
        fit = [i for i in pool if self.school.phase in i.fits]
        self.rng.shuffle(fit)
        fit.sort(key=lambda i: not set(i.serves) & set(self.priorities))
        return fit[:k]

    def place(self, idea: Idea, slug: str) -> dict[str, str]:
        """A room, a meeting link or both; some in-person ideas run online or hybrid."""
        room = self.rng.choice(self.rooms)
        link = self.link_base + slug
        mode = idea.mode
        if mode == Offer.Mode.IN_PERSON and self.rng.random() < 0.3:
            mode = self.rng.choice([Offer.Mode.ONLINE, Offer.Mode.HYBRID])
        if mode == Offer.Mode.ONLINE:
            return {"mode": mode, "meeting_link": link}
        if mode == Offer.Mode.HYBRID:
            return {"mode": mode, "location": room, "meeting_link": link}
        return {"mode": mode, "location": room}

    def window(self, sp: SessionPlan, week: int) -> None:
        """Booking closes two days before; it opened a few weeks ago (or, for a few later
        sessions, opens in a few weeks, so nobody has booked yet)."""
        sp.closes = sp.starts_at - datetime.timedelta(days=2)
        lead = abs(week) + self.rng.randint(1, 4)
        if week >= 8 and self.rng.random() < 0.2:
            lead = 4
        sp.opens = sp.starts_at - datetime.timedelta(weeks=lead)
        if sp.opens > self.now:
            sp.acts, sp.marks, sp.evaluations = [], {}, {}

    def offer(self, idea: Idea, kind: str, **values: Any) -> OfferPlan:
        slug = "-".join(idea.title.lower().replace(":", "").split()[:4])
        follow_up = (
            "Bring a lesson you will teach in the next fortnight: you leave with it adapted, "
            "and a colleague will drop in to see how it went."
            if kind == Offer.Kind.ONE_OFF
            else ""
        )
        fields = {
            "kind": kind,
            "summary": idea.summary,
            "description": f"{idea.summary} {follow_up}".strip(),
            "career_stages": list(idea.stages),
            "phases": list(idea.phases),
            "evidence": idea.evidence,
            **_strands(idea.strands),
            **self.place(idea, slug),
            **values,
        }
        lead = self.people.cpd_lead
        hosts = self.people.facilitators or [lead]
        return OfferPlan(
            title=idea.title,
            owner=("school", self.school.urn),
            by=lead,
            published_at=self.published,
            values=fields,
            focus=list(idea.focus),
            priorities=[p for p in idea.serves if p in self.priorities],
            subjects=list(idea.subjects),
            facilitators=[self.rng.choice([lead, *hosts])],
        )

    def session(
        self,
        op: OfferPlan,
        label: str,
        days: list[datetime.date],
        *,
        capacity: int,
        attendees: list[str],
        topic: str,
        slot: str | None = None,
        titles: tuple[str, ...] = (),
        full_day: bool = False,
    ) -> SessionPlan:
        start, minutes = (datetime.time(9), 390) if full_day else SLOTS[slot or label]
        dates = []
        for i, day in enumerate(days):
            begins, ends = _at(day, start, minutes)
            dates.append((begins, ends, titles[i] if i < len(titles) else ""))
        sp = SessionPlan(label=label, dates=dates, capacity=capacity)
        sp.acts = [Act("book", e) for e in attendees]
        sp.register_by = op.facilitators[0] if op.facilitators else op.by
        _marks_and_evaluations(self.rng, sp, attendees, topic)
        return sp

    def capacity(self, pool: list[str]) -> int:
        return max(6, min(30, len(pool) // 2))

    def take(self, pool: list[str], n: int, used: set[str]) -> list[str]:
        free = [e for e in pool if e not in used]
        chosen = self.rng.sample(free, k=max(0, min(n, len(free))))
        used.update(chosen)
        return chosen

    def fill(self, capacity: int, past: bool) -> int:
        share = self.rng.uniform(0.6, 0.95) if past else self.rng.uniform(0.3, 0.85)
        return max(2, round(capacity * share))

    # -- Offers of each kind ---------------------------------------------------------------

    def one_off(self, idea: Idea, weeks: list[int], overfull: bool = False) -> OfferPlan:
        op = self.offer(idea, Offer.Kind.ONE_OFF)
        pool = self.people.pool(idea.audience)
        labels = self.rng.sample(list(SLOTS), k=len(weeks))
        used: set[str] = set()
        for week, label in zip(sorted(weeks), labels, strict=True):
            cap = self.capacity(pool)
            n = self.fill(cap, week < 0)
            if overfull and week > 0:
                n, overfull = cap + 3, False  # more want it than it holds: a waiting list
            sp = self.session(
                op,
                label,
                [self.cal.day(week, self.rng.randrange(4))],
                capacity=cap,
                attendees=self.take(pool, n, used),
                topic=idea.topic,
            )
            if week != 1 and self.rng.random() < 0.35:
                self.window(sp, week)
            op.sessions.append(sp)
        if len(op.sessions) > 1 and self.people.facilitators:
            op.sessions[-1].facilitators = [self.rng.choice(self.people.facilitators)]
            op.sessions[-1].register_by = op.sessions[-1].facilitators[0]
        return op

    def programme(self, idea: Idea, first_week: int) -> OfferPlan:
        gap = 5 if idea.terms == 3 else 4
        op = self.offer(
            idea,
            Offer.Kind.PROGRAMME,
            programme_structure=idea.structure,
            terms=idea.terms,
            directed_hours=idea.directed_hours,
        )
        if idea.audience == "ects":
            op.facilitators = [self.people.cpd_lead]
        pool = self.people.pool(idea.audience)
        cap = max(4, min(24, len(pool) + 2))
        attendees = self.take(pool, min(len(pool), cap - 1), set())
        days = [self.cal.day(first_week + i * gap, 2) for i in range(6)]
        sp = self.session(
            op,
            "Cohort 1",
            days,
            capacity=cap,
            attendees=attendees,
            topic=idea.topic,
            slot="Twilight",
            titles=idea.units,
        )
        lead = self.people.cpd_lead
        if idea.audience == "ects":  # ECTs are directed to their training, not asked
            sp.acts = [Act("direct", e, by=lead) for e in attendees]
        elif idea.audience == "mentors":  # mentors are invited, and most say yes
            note = "You'd get a lot from this, and your ECT would too."
            sp.acts = [
                a for e in attendees for a in (Act("invite", e, lead, note), Act("answer", e))
            ]
            if len(attendees) > 2:
                no = attendees[-1]
                sp.acts[-1] = Act(
                    "answer", no, note="I'm on the hub's mentor network.", accept=False
                )
                sp.marks.pop(no)
                sp.evaluations.pop(no, None)
        sp.closes = sp.starts_at - datetime.timedelta(days=7)
        op.sessions.append(sp)
        return op

    def external(self, idea: Idea, week: int, requests: list[str] | None = None) -> OfferPlan:
        op = self.offer(
            idea,
            Offer.Kind.EXTERNAL,
            provider_name=idea.provider,
            cost=Decimal(idea.cost),
            paid_by=Offer.Payer.SCHOOL,
            needs_approval=True,
            mode=Offer.Mode.IN_PERSON,
            location=f"{idea.provider}, training centre",
            meeting_link="",
        )
        op.facilitators = []
        pool = self.people.pool(idea.audience)
        people = requests or self.take(pool, self.rng.randint(2, 4), set())
        first = self.cal.day(week, 1)
        days = [first] + [self.cal.day(week + i, 1) for i in range(1, idea.days)]
        sp = self.session(
            op,
            "Course",
            days,
            capacity=max(4, len(people) + 1),
            attendees=people,
            topic=idea.topic,
            full_day=True,
        )
        lead = self.people.cpd_lead
        decided = people if requests is None else people[:-1]
        sp.acts += [Act("approve", e, by=lead) for e in decided]
        if requests is None and week > 0 and len(people) > 2:
            sp.acts[-1] = Act("decline", people[-1], by=lead, note="No budget left this term.")
            sp.marks.pop(people[-1], None)
            sp.evaluations.pop(people[-1], None)
        sp.register_by = lead
        op.sessions.append(sp)
        return op

    def proposal(self, idea: Idea, week: int | None, proposer: str) -> OfferPlan:
        """A teacher's proposal: still gathering interest (week None) or approved, with a
        session whose first bookers are the colleagues who said they were interested."""
        op = self.offer(idea, Offer.Kind.TEACHER_PROPOSED, counts_as_directed_time=False)
        op.values.pop("kind")
        op.values["description"] = idea.summary
        op.proposer, op.facilitators = proposer, []
        pool = [e for e in self.people.pool(idea.audience) if e != proposer]
        op.interested = self.take(pool, self.rng.randint(3, 6), set())
        monday = self.cal.monday
        if week is None:
            op.published_at = timezone.make_aware(
                datetime.datetime.combine(monday - datetime.timedelta(days=9), datetime.time(19))
            )
            return op
        op.published_at = self.published + datetime.timedelta(weeks=4)
        op.approved_by = self.people.cpd_lead
        op.approved_at = op.published_at + datetime.timedelta(days=9)
        cap = 15
        more = self.take(pool, self.rng.randint(2, 6), set(op.interested))
        sp = self.session(
            op,
            "After school",
            [self.cal.day(week, 3)],
            capacity=cap,
            attendees=op.interested + more,
            topic=idea.topic,
        )
        sp.register_by = proposer
        op.sessions.append(sp)
        return op


def _past_or_next(rng: random.Random, n: int, past_share: float) -> list[int]:
    """Week offsets for n sessions: some behind (-12..-2), the rest ahead (1..28)."""
    weeks = set()
    while len(weeks) < n:
        weeks.add(rng.randint(-12, -2) if rng.random() < past_share else rng.randint(1, 28))
    return sorted(weeks)


ECT_PROGRAMME = next(p for p in PROGRAMMES if p.audience == "ects")
MENTOR_PROGRAMME = next(p for p in PROGRAMMES if p.audience == "mentors")


def _school_year(b: _SchoolBuilder, featured: dict[str, str] | None) -> list[OfferPlan]:
    """Six to twelve offers of all five kinds; the featured school's one-offs, external
    course and proposals also hold what the printed people see (see `_feature`)."""
    rng, people, size = b.rng, b.people, b.school.staff_count
    offers = []
    if people.ects:
        offers.append(b.programme(ECT_PROGRAMME, rng.choice([-12, -11, -10])))
    others = [p for p in b.ideas(PROGRAMMES, 6) if p is not ECT_PROGRAMME]
    picks = [p for p in others if people.pool(p.audience)][: 1 if size < 50 else 2]
    if size >= 50 and people.mentors and MENTOR_PROGRAMME not in picks:
        picks[-1] = MENTOR_PROGRAMME  # big schools train their mentors in house
    for idea in picks:
        offers.append(b.programme(idea, rng.choice([-10, -8, -6, 2, 3])))
    one_offs = b.ideas(ONE_OFFS, 5 if size >= 50 or featured else (4 if size >= 20 else 3))
    external = b.ideas(EXTERNALS, 1)[0]
    proposals = b.ideas(PROPOSALS, 2)
    proposers = people.facilitators + [e for e in people.teachers if e not in people.ects]
    if featured:
        return offers + _feature(b, featured, one_offs, external, proposals, proposers)
    for i, idea in enumerate(one_offs):
        weeks = _past_or_next(rng, rng.choice([2, 2, 3]) if i else 3, 0.3)
        offers.append(b.one_off(idea, weeks, overfull=(i == 1 and size >= 50)))
    offers.append(b.external(external, rng.choice([-6, -4, 5, 9, 14])))
    offers.append(b.proposal(proposals[0], None, proposers[0]))
    offers.append(b.proposal(proposals[1], rng.randint(3, 12), proposers[-1]))
    return offers


def _feature(
    b: _SchoolBuilder,
    logins: dict[str, str],
    ideas: list[Idea],
    external: Idea,
    proposals: list[Idea],
    proposers: list[str],
) -> list[OfferPlan]:
    """The showcase school, where the printed people sign in: the teacher attended one past
    session, is confirmed on two more, waits on a full one and has an invitation; another
    colleague has a place offered from a waiting list; a request for the external course
    waits for the CPD lead (or the teacher's middle leader)."""
    teacher, lead, host = logins["teacher"], logins["CPD lead"], logins["facilitator"]
    pool = b.people.pool("teachers")

    attended = b.one_off(ideas[0], [-3, 6])
    past = attended.sessions[0]
    past.acts.insert(2, Act("book", teacher))
    past.capacity += 1
    past.marks[teacher] = [Attendance.Mark.PRESENT]
    past.evaluations.pop(teacher, None)  # left for the teacher to give
    past.facilitators, past.register_by = [host], host

    full = b.one_off(ideas[1], [2, 9])
    a = full.sessions[0]
    a.capacity, a.facilitators, a.register_by = 12, [host], host
    others = [e for e in pool if e != teacher]
    crowd = b.rng.sample(others, k=15)
    a.acts = [Act("book", e) for e in crowd[:12]]
    a.acts += [Act("book", crowd[12]), Act("book", teacher)]
    a.acts += [Act("book", e) for e in crowd[13:]]

    freed = b.one_off(ideas[2], [3, 11])
    s = freed.sessions[0]
    s.capacity, s.opens, s.closes = 10, None, None
    queue = b.rng.sample(others, k=12)
    s.acts = [Act("book", e) for e in queue] + [
        Act("cancel", queue[3], note="Parents' evening moved to that day.")
    ]

    confirmed = b.one_off(ideas[3], [4, 12])
    c = confirmed.sessions[0]
    c.opens = c.closes = None
    c.acts = c.acts[: c.capacity - 2] + [Act("book", teacher)]

    invited = b.one_off(ideas[4], [7, 14])
    i = invited.sessions[0]
    i.opens = i.closes = None
    i.acts = i.acts[: i.capacity - 3] + [
        Act("invite", teacher, by=lead, note="This fits your appraisal goal. Fancy it?")
    ]

    # A request from the middle leader's team that still waits for a decision.
    leader = b.people.by_email[logins["middle leader"]]
    team = [
        e for e in pool if b.people.by_email[e].team == leader.leads and e not in logins.values()
    ]
    requests = [*b.rng.sample([e for e in others if e not in team], k=2), team[0]]
    course = b.external(external, 8, requests=requests)

    proposed = b.proposal(proposals[0], None, next(e for e in proposers if e != host))
    approved = b.proposal(proposals[1], 5, host)
    d = approved.sessions[0]
    d.acts = [a for a in d.acts if a.email != teacher][:10] + [Act("book", teacher)]
    return [attended, full, freed, confirmed, invited, course, proposed, approved]


@dataclass(frozen=True)
class Event:
    """A network event: its sessions (label, week, start, minutes), who comes and who hosts
    (0 the network lead, 1 and 2 its members)."""

    network: int  # 0 the trust, 1 the hub
    title: str
    summary: str
    topic: str
    focus: tuple[str, ...]
    sessions: tuple[tuple[str, int, datetime.time, int], ...]
    audience: str  # a _People pool, or "maths" / "english" for subject teachers
    per_school: int  # how many come from each member school to each session
    hosts: tuple[int, ...]
    capacity: int
    mode: str = Offer.Mode.IN_PERSON
    location: str = ""
    link: str = ""
    subjects: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    strands: str = "t"
    directed: bool = True


NINE, FOUR = datetime.time(9), datetime.time(16)
NETWORK_EVENTS = [
    Event(0, "Trust conference: adaptive teaching for every pupil",
          "The whole trust together: keynote, subject workshops and planning time with "
          "colleagues from other schools.", "adaptive teaching", ("TS5", "M04", "M06", "M07"),
          (("Conference day", -6, NINE, 390),), "teachers", 9, (0, 1, 2), 160,
          location="Riverside Academy, main hall", strands="w"),
    Event(0, "Primary mathematics network",
          "Maths leads and Key Stage 2 teachers across the trust: one representation each "
          "term, tried in class between meetings.", "representations in maths",
          ("TS3", "M04", "M07", "M09"),
          (("Meeting 1", -4, FOUR, 75), ("Meeting 2", 5, FOUR, 75), ("Meeting 3", 16, FOUR, 75)),
          "maths", 2, (1,), 25, mode=Offer.Mode.ONLINE,
          link="https://meet.riversidetrust.example/primary-maths", subjects=("Mathematics",),
          phases=("primary",)),
    Event(0, "English leaders' network: moderating writing",
          "Bring three pieces of writing; we moderate together across schools and agree what "
          "'greater depth' looks like.", "moderation", ("TS6", "M07", "M09"),
          (("Moderation meeting 1", 3, FOUR, 90), ("Moderation meeting 2", 18, FOUR, 90)),
          "english", 2, (2,), 30, mode=Offer.Mode.HYBRID,
          location="Riverside Primary School, library",
          link="https://meet.riversidetrust.example/english", subjects=("English",)),
    Event(1, "Early career teacher conference",
          "ECTs from across the hub: behaviour, workload and what second-year teachers wish "
          "they had known.", "behaviour", ("TS1", "TS7", "M03", "M07"),
          (("Conference day", 5, NINE, 360),), "ects", 4, (0, 1), 90,
          location="Northvale High School, sports hall", stages=("ect",), strands="i"),
    Event(1, "Mentor development network",
          "ECT mentors from the hub's schools compare notes on observation and feedback.",
          "mentoring", ("TS8", "M07", "M09", "M10"),
          (("Meeting 1", -7, FOUR, 75), ("Meeting 2", 2, FOUR, 75), ("Meeting 3", 12, FOUR, 75)),
          "mentors", 2, (1,), 40, mode=Offer.Mode.ONLINE,
          link="https://meet.northvalehub.example/mentors",
          stages=("experienced", "middle_leader"), strands="i"),
    Event(1, "NPQ information evening",
          "Which national professional qualification fits you, how funding works and what "
          "the year asks of you.", "NPQs", ("TS8", "M04"),
          (("Information evening", 3, datetime.time(17, 30), 60),), "leaders", 2, (0,), 100,
          mode=Offer.Mode.ONLINE, link="https://meet.northvalehub.example/npq", strands="i",
          directed=False),
]  # fmt: skip


def _comers(people: _People, audience: str) -> list[str]:
    """Who from one school might come to a network event."""
    if audience == "ects":
        return people.ects + people.mentors[:1]
    if audience in ("maths", "english"):
        subject = "Mathematics" if audience == "maths" else "English"
        ks2 = ("Key Stage 2", "Upper Key Stage 2") if audience == "maths" else ()
        return [
            e
            for e in people.teachers
            if subject in people.by_email[e].subjects or people.by_email[e].leads in ks2
        ]
    return people.pool(audience)


def _network_year(plan: DemoPlan, monday: datetime.date, reserved: set[str]) -> list[OfferPlan]:
    """Three events for each network and two courses from the external provider, all on
    Fridays (schools use Monday to Thursday) so they never clash with a school's own."""
    cal = _Calendar(monday, (4,))
    rng = random.Random(f"{SEED}:networks")
    published = timezone.make_aware(
        datetime.datetime.combine(monday - datetime.timedelta(weeks=16), datetime.time(9))
    )
    schools = {s.urn: s for s in plan.schools}
    people = {urn: _People(s, reserved) for urn, s in schools.items()}
    offers = []
    for ev in NETWORK_EVENTS:
        network = plan.networks[ev.network]
        hosts = [network.lead, *network.members]
        urns = [
            u
            for u in network.urns
            if not ev.phases or schools[u].phase in ("primary", "all_through")
        ]
        op = OfferPlan(
            title=ev.title,
            owner=("network", network.source_id),
            by=network.lead.email,
            published_at=published,
            values={
                "kind": Offer.Kind.NETWORK_EVENT,
                "summary": ev.summary,
                "mode": ev.mode,
                "location": ev.location,
                "meeting_link": ev.link,
                "career_stages": list(ev.stages),
                "phases": list(ev.phases),
                "counts_as_directed_time": ev.directed,
                **_strands(ev.strands),
            },
            focus=list(ev.focus),
            subjects=list(ev.subjects),
            facilitators=[hosts[i].email for i in ev.hosts],
        )
        for label, week, start, minutes in ev.sessions:
            begins, ends = _at(cal.day(week), start, minutes)
            sp = SessionPlan(label, [(begins, ends, "")], ev.capacity)
            who = []
            for urn in urns:
                found = _comers(people[urn], ev.audience)
                who += rng.sample(found, k=min(ev.per_school, len(found)))
            sp.acts, sp.register_by = [Act("book", e) for e in who], network.lead.email
            _marks_and_evaluations(rng, sp, who, ev.topic)
            op.sessions.append(sp)
        offers.append(op)
    return offers + _provider_year(plan, cal, rng, published, people)


def _provider_year(
    plan: DemoPlan,
    cal: _Calendar,
    rng: random.Random,
    published: datetime.datetime,
    people: dict[str, _People],
) -> list[OfferPlan]:
    """Kestrel Learning's two courses: a paid coaching course each school's approver
    decides on, and a free webinar."""
    provider = plan.provider.email
    leads = {urn: p.cpd_lead for urn, p in people.items()}
    coach = OfferPlan(
        title="Coaching for impact: becoming an instructional coach",
        owner=("provider", provider),
        by=provider,
        published_at=published,
        values={
            "kind": Offer.Kind.EXTERNAL,
            "summary": "Three days over a term for teachers who will coach colleagues.",
            "description": "Three days over a term: the coaching conversation, choosing "
            "action steps, and rehearsal. Between days, coach one colleague each fortnight.",
            "mode": Offer.Mode.IN_PERSON,
            "location": "Kestrel Learning, Castlegate Business Centre",
            "cost": Decimal("240"),
            "paid_by": Offer.Payer.SCHOOL,
            "career_stages": ["experienced", "middle_leader"],
            **_strands("i"),
        },
        focus=["TS8", "M06", "M08", "M09", "M10"],
        facilitators=[provider],
    )
    webinar = OfferPlan(
        title="Cognitive load theory in the classroom: a free webinar",
        owner=("provider", provider),
        by=provider,
        published_at=published,
        values={
            "kind": Offer.Kind.EXTERNAL,
            "summary": "An hour on working memory, worked examples and split attention.",
            "mode": Offer.Mode.ONLINE,
            "meeting_link": "https://meet.kestrel-learning.example/cognitive-load",
            "counts_as_directed_time": False,
            **_strands("i"),
        },
        focus=["TS4", "M01", "M04"],
        facilitators=[provider],
    )
    used: set[str] = set()
    for label, weeks in (("Cohort A", (-5, -2, 4)), ("Cohort B", (8, 11, 15))):
        days = [cal.day(w) for w in weeks]
        dates = [(*_at(d, datetime.time(9, 30), 330), f"Day {n}") for n, d in enumerate(days, 1)]
        sp = SessionPlan(label, dates, 12, register_by=provider)
        for urn in rng.sample(sorted(people), k=5):
            candidates = [
                e for e in people[urn].leaders + people[urn].facilitators if e not in used
            ]
            if candidates:
                person = rng.choice(candidates)
                used.add(person)
                sp.acts += [Act("book", person), Act("approve", person, by=leads[urn])]
        booked = [a.email for a in sp.acts if a.verb == "book"]
        _marks_and_evaluations(rng, sp, booked, "instructional coaching")
        coach.sessions.append(sp)
    for label, week in (("First run", -8), ("Repeat", 6)):
        begins, ends = _at(cal.day(week), datetime.time(16, 15), 60)
        sp = SessionPlan(label, [(begins, ends, "")], 100)
        everyone = [e for p in people.values() for e in p.teachers]
        who = rng.sample(everyone, k=24)
        sp.acts, sp.register_by = [Act("book", e) for e in who], provider
        _marks_and_evaluations(rng, sp, who, "cognitive load")
        webinar.sessions.append(sp)
    return [coach, webinar]


def build_year(plan: DemoPlan, today: datetime.date) -> YearPlan:
    """The year's offer as plain data: the same plan and day always give the same year."""
    monday = today - datetime.timedelta(days=today.weekday())
    now = timezone.now()
    teacher = plan.logins["teacher"]
    showcase = next(s for s in plan.schools if any(p.email == teacher for p in s.staff))
    priorities, offers = {}, []
    for school in plan.schools:
        builder = _SchoolBuilder(school, monday, now, {teacher})
        featured = plan.logins if school is showcase else None
        offers += _school_year(builder, featured)
        priorities[school.urn] = builder.priorities
    offers += _network_year(plan, monday, {teacher})
    return YearPlan(priorities=priorities, offers=offers)


# --- Loading ------------------------------------------------------------------------------


@contextlib.contextmanager
def quiet_tasks() -> Iterator[None]:
    """Services queue notifications on commit; while the demo loads (and commits), they go
    to a dummy backend that keeps them in memory and runs nothing."""
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        yield


@contextlib.contextmanager
def _clock(at: datetime.datetime | None) -> Iterator[None]:
    """Run the services as if it were `at` (None: the real time). They all read
    `django.utils.timezone.now`, as do auto_now fields; the demo is single-threaded."""
    if at is None:
        yield
        return
    fixed = at.astimezone(datetime.UTC)
    before = timezone.now
    timezone.now = lambda: fixed
    try:
        yield
    finally:
        timezone.now = before


def _stamp(model: Any, pk: int, field_name: str, at: datetime.datetime | None) -> None:
    """Give a row made under the clock the clock's time where a column default took the
    real one (defaults hold a reference to the real `timezone.now`)."""
    if at is not None:
        model.objects.filter(pk=pk).update(**{field_name: at})


class _Loader:
    """Tells the planned stories through the services, skipping any offer (owner, title)
    or session (offer, label) that already exists."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        # One object per person, so each one's memberships are read once (gate.access).
        self.users = {u.email: u for u in User.objects.all()}
        ensure_shared_tags()
        self.tags = {t.code: t for t in FocusTag.objects.filter(school__isnull=True)}
        self.now = timezone.now()  # read outside any _clock: the real time

    def owner(self, op: OfferPlan) -> dict[str, Any]:
        kind, key = op.owner
        if kind == "school":
            return {"school": self.ctx.schools[key]}
        if kind == "network":
            return {"network": self.ctx.networks[key]}
        return {"provider": self.users[key]}

    def focus(self, op: OfferPlan, school: School | None) -> list[FocusTag]:
        tags = [self.tags[c] for c in op.focus]
        if school is not None and op.priorities:
            tags += list(FocusTag.objects.filter(school=school, name__in=op.priorities))
        return tags

    def offer(self, op: OfferPlan) -> None:
        owner = self.owner(op)
        offer = Offer.objects.filter(title=op.title, **owner).first()
        if offer is None:
            offer = self.create(op, owner)
        if offer.status != Offer.Status.PUBLISHED:
            return  # a proposal still gathering interest has no sessions yet
        labels = set(offer.sessions.values_list("label", flat=True))
        for sp in op.sessions:
            if sp.label not in labels:
                self.session(op, offer, sp)

    def create(self, op: OfferPlan, owner: dict[str, Any]) -> Offer:
        school = owner.get("school")
        focus = self.focus(op, school)
        if op.proposer:
            with _clock(op.published_at):
                offer = propose_session(
                    self.users[op.proposer], school, title=op.title, focus=focus, **op.values
                )
            _stamp(Offer, offer.pk, "created_at", op.published_at)
            for n, email in enumerate(op.interested, 1):
                at = op.published_at + datetime.timedelta(hours=5 * n)
                with _clock(at):
                    register_interest(self.users[email], offer)
                interest = Interest.objects.get(offer=offer, user=self.users[email])
                _stamp(Interest, interest.pk, "created_at", at)
            if op.approved_by:
                with _clock(op.approved_at):
                    offer = approve_proposal(self.users[op.approved_by], offer)
            self.ctx.count("offers")
            return offer
        at = min(
            [op.published_at] + [sp.starts_at - datetime.timedelta(weeks=5) for sp in op.sessions]
        )
        with _clock(at):
            offer = create_offer(
                self.users[op.by],
                title=op.title,
                focus=focus,
                subjects=op.subjects,
                facilitators=[self.users[e] for e in op.facilitators],
                **owner,
                **op.values,
            )
        _stamp(Offer, offer.pk, "created_at", at)
        self.ctx.count("offers")
        return offer

    def session(self, op: OfferPlan, offer: Offer, sp: SessionPlan) -> None:
        # Scheduled well before it starts, even when holidays pushed a date far back.
        added = min(op.approved_at or op.published_at, sp.starts_at - datetime.timedelta(weeks=4))
        with _clock(added):
            made = add_session(
                self.users[op.approved_by or op.by],
                offer,
                dates=sp.dates,
                capacity=sp.capacity,
                label=sp.label,
                location=sp.location,
                meeting_link=sp.meeting_link,
                booking_opens_at=sp.opens,
                booking_closes_at=sp.closes,
                facilitators=[self.users[e] for e in sp.facilitators],
            )
        _stamp(Session, made.pk, "created_at", added)
        self.ctx.count("sessions")
        session = Session.objects.select_related("offer").prefetch_related("dates").get(pk=made.pk)
        self.acts(session, sp, added)
        self.registers(session, sp)
        self.evaluations(session, sp)

    def acts(self, session: Session, sp: SessionPlan, added: datetime.datetime) -> None:
        """Bookings for an upcoming session happen now; for one that has started, over the
        weeks before it (inside its booking window)."""
        when = None
        step = datetime.timedelta(minutes=47)
        if session.starts_at <= self.now:
            when = max(session.starts_at - datetime.timedelta(days=21), added)
            if sp.opens:
                when = max(when, sp.opens + datetime.timedelta(hours=1))
            end = min(sp.closes or session.starts_at, session.starts_at)
            step = min(step, (end - when) / (len(sp.acts) + 1))
        for n, act in enumerate(sp.acts, 1):
            at = when + n * step if when is not None else None
            with _clock(at):
                self.act(session, act, at)

    def act(self, session: Session, act: Act, at: datetime.datetime | None) -> None:
        person, leader = self.users[act.email], self.users.get(act.by)
        if act.verb == "book":
            book_session(person, session)
        elif act.verb == "direct":
            direct_to_session(leader, session, person)
            for inv in Invitation.objects.filter(session=session, user=person):
                _stamp(Invitation, inv.pk, "created_at", at)
        elif act.verb == "invite":
            inv = invite_to_session(leader, session, person, message=act.note)
            _stamp(Invitation, inv.pk, "created_at", at)
        elif act.verb == "answer":
            inv = Invitation.objects.get(session=session, user=person, status="pending")
            answer_invitation(person, inv, accept=act.accept)
        else:
            booking = Booking.objects.get(session=session, user=person, status__in=Booking.ACTIVE)
            if act.verb == "approve":
                approve_booking(leader, booking)
            elif act.verb == "decline":
                decline_booking(leader, booking, note=act.note)
            elif act.verb == "cancel":
                cancel_booking(person, booking, note=act.note)
            else:
                raise ValueError(f"Unknown demo act {act.verb!r}")
        self.ctx.count("booking actions")

    def registers(self, session: Session, sp: SessionPlan) -> None:
        """The register of each date that has ended, taken as it ends."""
        booked = {
            b.user.email: b.pk
            for b in Booking.objects.filter(
                session=session, status=Booking.Status.CONFIRMED
            ).select_related("user")
        }
        taker = self.users[sp.register_by]
        for n, date in enumerate(session.dates.all()):
            if date.ends_at > self.now:
                break
            marks = {pk: sp.marks[email][n] for email, pk in booked.items() if email in sp.marks}
            with _clock(date.ends_at + datetime.timedelta(minutes=3)):
                take_register(taker, session, date, marks)
            self.ctx.count("registers")

    def evaluations(self, session: Session, sp: SessionPlan) -> None:
        if session.ends_at is None or session.ends_at > self.now:
            return
        for n, (email, (worth, learned, will_try, days)) in enumerate(sp.evaluations.items()):
            booking = Booking.objects.select_related("session").get(
                session=session, user=self.users[email], status=Booking.Status.CONFIRMED
            )
            at = min(
                session.ends_at + datetime.timedelta(days=1 + n % 4, minutes=17 * n),
                self.now - datetime.timedelta(hours=1),
            )
            with _clock(at):
                try_by = timezone.localdate() + datetime.timedelta(days=days) if days else None
                made = submit_evaluation(
                    self.users[email],
                    booking,
                    worth_time=worth,
                    learned=learned,
                    will_try=will_try,
                    try_by=try_by,
                )
            _stamp(Evaluation, made.pk, "submitted_at", at)
            self.ctx.count("evaluations")


def _year(ctx: DemoContext) -> YearPlan:
    if ctx.year is None:
        ctx.year = build_year(ctx.plan, ctx.today)
    return ctx.year


def load_priorities(ctx: DemoContext) -> None:
    """Two or three priorities per school, found again by name."""
    for urn, names in _year(ctx).priorities.items():
        school = ctx.schools[urn]
        have = {
            n.lower() for n in FocusTag.objects.filter(school=school).values_list("name", flat=True)
        }
        lead = User.objects.get(
            email=next(p.email for p in ctx.plan.school(urn).staff if p.is_cpd_lead)
        )
        for name in names:
            if name.lower() not in have:
                create_priority(lead, school, name=name)
                ctx.count("priorities")


def load_school_offers(ctx: DemoContext) -> None:
    loader = _Loader(ctx)
    for op in _year(ctx).offers:
        if op.owner[0] == "school":
            loader.offer(op)


def load_network_offers(ctx: DemoContext) -> None:
    loader = _Loader(ctx)
    for op in _year(ctx).offers:
        if op.owner[0] != "school":
            loader.offer(op)
