"""What the demo's learning excerpts teach, by learning theme: the points an excerpt makes, and the openers
excerpts once began with (``casework`` draws them; ``wording.Excerpts`` frames each point).

Generic and anonymised throughout: no names, places, dates or case references.
"""

from __future__ import annotations

from ehqa.demo.narrative import G, I, O, R

# What each learning theme teaches, as points an excerpt makes in a sentence of its own (``wording.Excerpts``
# frames each point several ways, so that a page of excerpts never says the same sentence twice). The
# first two of each theme were the demo's only ones before; the demo still draws between two, as it did.
LEARNING: dict[str, list[str]] = {
    "neglect": [
        "Chronic neglect is easy to miss when each visit is judged on its own; a chronology helps",
        "Using a neglect screening tool gave the family and practitioner a shared picture of change",
        "Unannounced visits at different times of day showed what the children's routines were really like",
        "Photographs of the home, taken with the parents' agreement, made progress visible to everyone",
        "Health appointments missed over a year told a story that no single appointment did",
        "Parents respond better to neglect concerns framed around what the child needs than around blame",
    ],
    "domestic-abuse": [
        "Safety planning with the non-abusing parent should be recorded and reviewed, not assumed",
        "Children living with domestic abuse need their own space to talk about what they have seen",
        "Asking about abuse routinely, and alone, gave the parent a safe moment to disclose",
        "Work with the person causing harm belongs in the plan, not only work with the victim",
        "Police call-outs shared promptly by the partnership changed how urgently the plan moved",
        "A child's changed behaviour at school was the first sign that the abuse had started again",
    ],
    "young-carers": [
        "Ask directly about caring roles; children rarely describe themselves as carers",
        "A young carers assessment opened access to respite and peer support",
        "School staff who knew about the caring role could make allowances for late homework",
        "Support for the parent's own health reduced what the child had to carry at home",
        "Young carers value a worker who notices what they do without making them feel different",
        "A simple plan for who steps in when the parent is unwell gave the child some certainty",
    ],
    "voice-of-child": [
        "When the child's own words are recorded, the plan becomes about what matters to them",
        "Seeing children alone, and recording what they say, changes the direction of the work",
        "Drawings and worry scales helped a younger child say what words could not",
        "Asking the child what should happen next gave them a stake in their own plan",
        "A teenager was more open in the car or on a walk than across a kitchen table",
        "Each child in a family has their own view, and each needs recording separately",
    ],
    "neurodiversity": [
        "Families waiting for a diagnosis still need practical support with routines and school",
        "Visual tools helped a child with communication needs to take part in their own plan",
        "Sensory needs explained behaviour that had been read as defiance at home and school",
        "Parent groups run by families with lived experience eased the isolation of waiting lists",
        "Plans built around the child's interests held their attention far better than worksheets",
        "Clear, predictable visit times lowered a child's anxiety before each session",
    ],
    "school-attendance": [
        "Joint plans with school work best when the reasons for absence are understood first",
        "Small, agreed steps back into school were more effective than a full return at once",
        "A named adult at the school gate made the mornings manageable for an anxious child",
        "Attendance figures shared weekly kept the family and the school working on the same picture",
        "Fines and warnings did little until the worries behind the absence were heard",
        "A reduced timetable helped only when it came with a date to review it",
    ],
    "parental-mental-health": [
        "Where a parent's mental health affects the child, adult services belong in the plan",
        "Contingency planning for a parent's relapse gives children a safer fallback",
        "Explaining a parent's illness in words a child can follow lifted some of their worry",
        "Consent to speak with the parent's care coordinator made the plan far more realistic",
        "A parent's good days and bad days both need to be seen before judging how the child is",
        "Practitioners should check who looks after the children when a parent is admitted",
    ],
    "substance-misuse": [
        "Parental substance use should be explored directly and its impact on the child assessed",
        "Joint work with treatment services gave a clearer picture of risk and progress",
        "Testing results mean most when they are read alongside what the children say",
        "Safe storage of medication and substances is a practical step worth checking on every visit",
        "Relapse is part of recovery, and plans should say what happens for the child when it comes",
        "Older siblings often carry a parent's drinking in silence until someone asks them",
    ],
    "housing": [
        "Practical help with housing and debt often unlocks progress on every other goal",
        "Overcrowding and insecure housing shape children's sleep, study and wellbeing",
        "A joint visit with the housing officer resolved in a week what letters had not in months",
        "Temporary accommodation far from school needs a plan for the journey, not only the move",
        "Damp and cold in the home showed up first in the children's health records",
        "Benefit checks and budgeting support gave a family room to focus on the children",
    ],
    "transitions": [
        "A warm handover between services keeps the family engaged after step-down",
        "Closure summaries that say what to do if worries return help families and partners",
        "The move to secondary school needs planning with the child well before the summer",
        "Families notice when a new worker already knows their story and does not ask again",
        "Step-down worked when the universal service was at the last meeting, not just copied in",
        "A planned ending, talked through with the child, avoided the feeling of being dropped",
    ],
    "multi-agency-working": [
        "Regular team around the family meetings keep partners accountable for their actions",
        "Information held by one agency only protects a child when it is shared",
        "A clear lead professional stopped the family telling their story to five different people",
        "Minutes that name who does what by when turned meetings into progress",
        "Partners who missed meetings still contributed when asked for a short written update",
        "Challenge between agencies, done respectfully, sharpened the plan for the child",
    ],
    "management-oversight": [
        "Reflective supervision that challenges drift keeps plans moving",
        "Recording the rationale for decisions makes management oversight visible and useful",
        "A manager's note at each review showed how the case was steered, not only that it was read",
        "Case discussions that ask what has changed for the child catch drift early",
        "Oversight recorded in the child's file helps the next worker understand past decisions",
        "Managers who visit with the practitioner once in a while see what the record cannot show",
    ],
}

# Openers excerpts once began with; no longer written (a page repeated them), but the demo still draws one of
# two, so that everything else it writes stays as it was.
LEARNING_OPENERS: dict[str, list[str]] = {
    O: ["Practice to share.", "What worked well here."],
    G: ["What worked here.", "A good example of everyday practice."],
    R: ["Learning for practice.", "What would have made a difference."],
    I: ["Learning for the service.", "A reminder for all teams."],
}
