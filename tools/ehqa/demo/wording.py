"""Invented evidence wording for each audit domain and grade.

All text is generic and anonymised: no names, places, dates or case references.
``casework`` composes a lead-in, one or two findings and a closing sentence, so that
files read differently from one another.
"""

from __future__ import annotations

import random

O, G, R, I = "outstanding", "good", "requires-improvement", "inadequate"

FINDINGS: dict[str, dict[str, list[str]]] = {
    "voice-of-child": {
        O: [
            "The child was seen alone at every visit and their own words are quoted throughout the record.",
            "The young person helped to write their part of the plan, and their goals are set out in their own words.",
            "Creative direct work, including drawings and a three houses exercise, shows clearly what life is like for the child.",
        ],
        G: [
            "The child was seen regularly and their wishes and feelings are recorded in the assessment.",
            "There is good evidence that the young person's views were sought before each review.",
            "The child's daily lived experience is described well, with observations from home visits.",
        ],
        R: [
            "The child was seen, but their views are summarised by the parent rather than recorded directly.",
            "There is little sense of the child's daily lived experience beyond school reports.",
            "The voice of the younger sibling is missing, although the plan affects both children.",
        ],
        I: [
            "There is no record of the child being seen alone during the intervention.",
            "The child's wishes and feelings are not recorded anywhere in the assessment or plan.",
            "The record focuses on the adults, and the child's experience of the home is not considered.",
        ],
    },
    "assessment": {
        O: [
            "The Early Help Assessment is thorough and analytical, weighing strengths against risks with a clear rationale.",
            "The assessment draws together history, family network and partner information into a clear analysis of need.",
            "The assessment was updated promptly when circumstances changed and the analysis moved the work forward.",
        ],
        G: [
            "The Early Help Assessment was completed within timescale and identifies the main areas of need.",
            "The assessment considers the family's strengths as well as the worries, and is written respectfully.",
            "History is summarised well and the assessment explains why Early Help is the right level of support.",
        ],
        R: [
            "The assessment describes the family's circumstances but offers little analysis of the impact on the child.",
            "The Early Help Assessment was completed late and has not been updated since the family moved home.",
            "Worries raised by school are listed in the assessment but are not weighed or explored.",
        ],
        I: [
            "There is no Early Help Assessment on file, and the work started without an understanding of need.",
            "The assessment is largely copied from the referral and does not reflect the family's current situation.",
            "Significant history of concern is not mentioned in the assessment, so risks are underestimated.",
        ],
    },
    "planning": {
        O: [
            "The plan is specific and measurable, and every action has an owner and a timescale agreed with the family.",
            "Plans are reviewed every six weeks with the family and partners, and progress is scored each time.",
            "The plan follows directly from the assessment and was rewritten with the family when needs changed.",
        ],
        G: [
            "There is a clear plan that addresses the needs identified in the assessment.",
            "Actions in the plan are mostly SMART and reviews took place within expected timescales.",
            "The family were involved in setting the plan's goals and signed their agreement to it.",
        ],
        R: [
            "The plan lists tasks for the family but not the outcomes those tasks are meant to achieve.",
            "Reviews have slipped, and the plan has not changed although the situation at home has.",
            "Some actions in the plan lack owners or timescales, so progress is hard to measure.",
        ],
        I: [
            "There is no plan on file several months into the intervention, and work has drifted.",
            "The plan does not address the main worries identified by partners, including the home conditions.",
            "Actions carried forward from review to review without progress, and no one has challenged the drift.",
        ],
    },
    "direct-work": {
        O: [
            "Direct work is imaginative, regular and matched to the child's age, with clear purpose for each session.",
            "Sessions with the parent used evidence-based tools and the impact on routines at home is recorded.",
            "The practitioner adapted their approach to the child's communication needs, using visual tools throughout.",
        ],
        G: [
            "Direct work sessions took place regularly and the records explain what each session aimed to do.",
            "The practitioner built a trusting relationship with the family, which helped them to engage.",
            "Parenting support was delivered as planned and the parent reflected well on the sessions.",
        ],
        R: [
            "Visits took place, but the records do not show what direct work was done or why.",
            "Direct work with the child stopped after the first few weeks without a recorded reason.",
            "Sessions focused on practical tasks and missed chances to work on the relationship between parent and child.",
        ],
        I: [
            "There is no evidence of direct work with the child during the period audited.",
            "Several planned visits did not happen and there was no follow-up when the family did not engage.",
            "Contact with the family was by telephone only, so the home environment was never seen.",
        ],
    },
    "multi-agency": {
        O: [
            "Partners are fully engaged, attend every team around the family meeting and contribute actions to the plan.",
            "Information was shared promptly with school and health, and joint visits were arranged where helpful.",
            "The practitioner acted as an effective lead professional, coordinating a large network around the family.",
        ],
        G: [
            "School and health visiting are involved and contributed to the assessment and plan.",
            "Team around the family meetings took place with relevant partners and minutes were shared.",
            "The practitioner made appropriate referrals to specialist services and followed them up.",
        ],
        R: [
            "Partners were invited to meetings, but attendance was poor and this was not followed up.",
            "Information from health was requested but the response is not recorded or used in planning.",
            "The involvement of adult services is mentioned but there is no evidence of joint working.",
        ],
        I: [
            "Partner agencies were not told about new concerns that affected their work with the family.",
            "The practitioner worked in isolation, and key agencies were unaware that Early Help was involved.",
            "A referral to a specialist service was agreed but never made.",
        ],
    },
    "management-oversight": {
        O: [
            "Management oversight is regular, reflective and clearly directs the work, with the rationale recorded.",
            "Supervision records show the manager challenging drift and checking that actions were completed.",
            "The manager's case direction is analytical and revisited at each supervision.",
        ],
        G: [
            "There is recorded management oversight at key points, including the start and review of the plan.",
            "Supervision notes are on file and show clear direction for the practitioner.",
            "The manager reviewed the case when concerns increased and agreed the next steps.",
        ],
        R: [
            "Management oversight is recorded but is brief and does not give direction.",
            "There has been no recorded supervision for several months, while the case has drifted.",
            "Oversight notes repeat the case summary rather than analysing progress.",
        ],
        I: [
            "There is no recorded management oversight since the case was allocated.",
            "Escalating concerns were not discussed in supervision, and no decision on the level of need is recorded.",
            "The manager signed off the closure although the plan's outcomes had not been met.",
        ],
    },
    "recording": {
        O: [
            "Records are up to date, concise and analytical, written in a way the child could read and understand later.",
            "Case notes are timely and each one records the purpose, what happened and what happens next.",
            "The chronology is current and used well to understand patterns over time.",
        ],
        G: [
            "Case notes are mostly up to date and clearly written.",
            "Recording is timely and respectful of the family, and the chronology is in place.",
            "Records are well organised, making it easy to follow the work from referral to review.",
        ],
        R: [
            "Some case notes were written weeks after the visits they describe.",
            "Records describe events but rarely say what they mean for the child.",
            "The chronology has not been updated since the assessment was completed.",
        ],
        I: [
            "Recording is significantly out of date and key visits are missing from the file.",
            "Case notes are brief and do not show what was seen, heard or done.",
            "Documents are saved against the wrong person, so the record cannot be relied on.",
        ],
    },
    "outcomes-impact": {
        O: [
            "There is clear evidence of sustained change, including improved attendance and calmer routines at home.",
            "The family's own scoring shows strong progress across every goal in the plan.",
            "The child's situation has improved markedly, and the family know where to turn if things become hard again.",
        ],
        G: [
            "There is evidence of positive change for the child, including better attendance and routines.",
            "Most of the plan's outcomes have been met and the family report feeling more confident.",
            "Progress is measured at each review and shows improvement in the main areas of need.",
        ],
        R: [
            "Some progress is reported but it is not measured against the plan's outcomes.",
            "The case has been open for a long time with limited change for the child.",
            "Improvements are described by the parent but not checked with school or the child.",
        ],
        I: [
            "There is no evidence that the intervention has improved the child's circumstances.",
            "The child's situation has worsened during the intervention without a change of approach.",
            "The case was closed with the original worries unresolved and no step-up considered.",
        ],
    },
}

LEAD_INS = [
    "Case notes show that",
    "Reading the chronology, it is clear that",
    "From the file and the worker's form,",
    "On review of the record,",
    "The audit found that",
    "Looking across the intervention,",
]

CLOSERS: dict[str, list[str]] = {
    O: [
        "This is a model of practice that should be shared across teams.",
        "The impact for the child is clear and well evidenced.",
        "This consistently strong practice made a real difference to the family.",
        "Other practitioners could learn a great deal from this approach.",
    ],
    G: [
        "This is what we would expect to see, and it served the child well.",
        "Overall this meets the expected standard.",
        "The practice here is solid and child-focused.",
        "Small refinements would lift this to outstanding.",
    ],
    R: [
        "The basics are in place, but the gaps mean the child's needs were not fully met.",
        "This needs strengthening so that the work is clearly led by the child's needs.",
        "With clearer focus this could reach a good standard.",
        "The gap was discussed with the team manager as a learning point.",
    ],
    I: [
        "This left the child without the help they needed.",
        "This falls below the standard expected and needs urgent attention.",
        "The impact for the child is a real worry, and the gap needs management action.",
        "This was shared with the team manager for immediate follow-up.",
    ],
}

NOT_APPLICABLE: dict[str, list[str]] = {
    "planning": [
        "The case closed at assessment stage with a signpost to universal services, so no plan was made.",
        "The family withdrew consent before a plan could be agreed.",
    ],
    "direct-work": [
        "The case was open only for assessment and advice, so no direct work was planned.",
        "Support was delivered by a partner agency as lead professional during the period audited.",
    ],
    "multi-agency": [
        "No other agency was involved in the period audited, and none was needed for the assessed needs.",
        "The family declined consent to share information with partners, and this was respected and recorded.",
    ],
    "outcomes-impact": [
        "The intervention began too recently to judge its outcomes.",
        "The case transferred to children's social care early in the intervention, so outcomes cannot be judged here.",
    ],
}


# Ways an excerpt frames a learning point (``narrative.LEARNING``): ``{p}`` is the point, begun in lower case.
FRAMINGS = [
    "{P}.",
    "The audit showed that {p}.",
    "This case is a reminder that {p}.",
    "Auditors noted that {p}.",
    "The file shows that {p}.",
    "As this case shows, {p}.",
    "A lesson for every team: {p}.",
    "The worker's own form made the point that {p}.",
    "The QA meeting agreed that {p}.",
    "Here the work confirmed that {p}.",
    "It was clear from the record that {p}.",
    "Managers reading this case should note that {p}.",
]


class Excerpts:
    """The sentences of the excerpts, dealt theme by theme from a shuffled deck of every point in every framing:
    a theme's sentences come round again only after all its others (some 70), so that no page of the demo, a
    theme's twelve cycles of excerpts included, says one sentence twice. Its own random numbers: the rest of
    the demo draws exactly as before."""

    def __init__(self, seed: str, points: dict[str, list[str]]) -> None:
        self.rng = random.Random(seed)
        self.decks: dict[str, list[str]] = {}
        self.next: dict[str, int] = {}
        for theme, found in points.items():
            deck = [framing.format(P=point, p=_lower_first(point)) for point in found for framing in FRAMINGS]
            self.rng.shuffle(deck)
            self.decks[theme], self.next[theme] = deck, 0

    def sentence(self, theme: str) -> str:
        deck = self.decks[theme]
        index = self.next[theme]
        self.next[theme] = (index + 1) % len(deck)
        return deck[index]


def _lower_first(text: str) -> str:
    """``Safety planning…`` -> ``safety planning…``; ``A young carers…`` too; never ``Early Help`` or ``QA``."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() and len(first) > 1 or first in ("Early",) else text[0].lower() + text[1:]
