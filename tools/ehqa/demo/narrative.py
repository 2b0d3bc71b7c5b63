"""Invented narrative text for audits and worker forms: summaries, strengths, areas for
development, learning, SMART actions, follow-up notes and worker answers.

Generic and anonymised throughout: no names, places, dates or case references.
"""

from __future__ import annotations

O, G, R, I, C = "outstanding", "good", "requires-improvement", "inadequate", "inadequate-critical"

SUMMARIES: dict[str, list[str]] = {
    O: [
        "Practice is strong throughout. The child's needs were understood early, the plan was "
        "driven by what the child said, and there is clear evidence of lasting change at home and at school.",
        "An exemplary intervention. Assessment, planning and direct work fit together, partners "
        "were engaged throughout and the family describe the help as life-changing.",
        "Consistently excellent practice with clear impact. The child is safer, happier and back in "
        "routine, and the family have the tools to sustain the change.",
    ],
    G: [
        "Practice meets the expected standard. Needs were identified and addressed through a clear "
        "plan, and there is evidence of positive change for the child.",
        "A well-run intervention with a good relationship between practitioner and family. Most "
        "outcomes were met, with some scope to sharpen the plan.",
        "Good, child-focused work. The assessment is sound, partners contributed, and progress is "
        "visible, although recording could be more analytical.",
        "The family received the right help at the right time, and the impact on the child's "
        "routines and wellbeing is evident.",
    ],
    R: [
        "The basics of practice are in place, but gaps in assessment and planning mean the child's "
        "needs were only partly met. The plan needs sharper outcomes.",
        "The practitioner engaged the family well, but the work lacks focus on the child's lived "
        "experience and progress is not measured.",
        "Practice standards were followed in part. Drift between reviews and limited management "
        "oversight slowed progress for the child.",
        "Some good direct work, but the assessment is out of date and the plan has not kept pace "
        "with the family's changing circumstances.",
    ],
    I: [
        "Practice standards were not met. There was no clear plan, the child was rarely seen, and "
        "worries raised by partners were not acted on.",
        "The intervention drifted for several months without management oversight, and there is "
        "no evidence of change for the child.",
        "Significant gaps in assessment and recording mean the child's needs were not understood, "
        "and the case was closed too early.",
    ],
    C: [
        "Practice standards were not met and there are critical concerns about the child's safety. "
        "Escalating risks were not recognised and the case needs immediate management action.",
        "Critical concerns were found. Information held by partners indicated significant harm, "
        "which was not acted on, and the child was not seen.",
    ],
}

REAUDIT_SUMMARIES: dict[str, list[str]] = {
    O: ["The re-audit found a transformed picture. Every required action was completed and the child's situation has improved markedly."],
    G: [
        "The re-audit found that the required actions were completed. The plan is now clear, the "
        "child is seen regularly and there is evidence of progress.",
        "Since the first audit, management oversight has been strengthened and the plan drives the "
        "work. Practice now meets the expected standard.",
    ],
    R: [
        "The re-audit found improvement since the first audit, but some required actions are still "
        "outstanding and the plan needs sharper outcomes.",
        "Progress has been made on the most serious gaps, but recording and review remain behind.",
    ],
    I: [
        "The re-audit found that the required actions have not been completed and the child's "
        "situation has not improved. Further management action is needed.",
    ],
}

STRENGTHS: dict[str, list[str]] = {
    "voice-of-child": [
        "The child's own words are used throughout the record.",
        "Creative direct work helped the child to share their worries.",
        "The young person was involved in writing their plan.",
    ],
    "assessment": [
        "A thorough, analytical assessment that balances strengths and worries.",
        "The assessment was updated promptly when circumstances changed.",
        "History is used well to understand the family's current needs.",
    ],
    "planning": [
        "A clear, SMART plan agreed with the family.",
        "Reviews were held on time and progress was scored with the family.",
        "The plan was adapted quickly when the situation changed.",
    ],
    "direct-work": [
        "A warm, consistent relationship with the family that helped them engage.",
        "Purposeful direct work sessions matched to the child's age.",
        "Practical support with routines made a visible difference at home.",
    ],
    "multi-agency": [
        "Strong joint working with school and health.",
        "Effective coordination of the team around the family.",
        "Timely referrals to specialist services, followed up until they were accepted.",
    ],
    "management-oversight": [
        "Regular, reflective supervision with clear direction.",
        "The manager challenged drift and recorded the rationale for decisions.",
    ],
    "recording": [
        "Timely, well-organised case records.",
        "Case notes written with the child as a future reader in mind.",
    ],
    "outcomes-impact": [
        "Clear evidence of positive change for the child.",
        "The family can describe what has changed and how they will keep it going.",
    ],
}

DEVELOPMENT: dict[str, list[str]] = {
    "voice-of-child": [
        "See the child alone and record their views in their own words.",
        "Show how the child's wishes and feelings have shaped the plan.",
        "Include the views of every child in the household, not only the child referred.",
    ],
    "assessment": [
        "Update the assessment when circumstances change.",
        "Add analysis of what the worries mean for the child, not only a description.",
        "Use partner information and history when assessing risk.",
    ],
    "planning": [
        "Make plan actions SMART, with owners and timescales.",
        "Hold reviews on time and record progress against each outcome.",
        "Link each action in the plan to a need identified in the assessment.",
    ],
    "direct-work": [
        "Record the purpose and outcome of each direct work session.",
        "Use age-appropriate tools to work with the child directly.",
    ],
    "multi-agency": [
        "Follow up partners who do not attend team around the family meetings.",
        "Share new information with partners promptly.",
        "Involve adult services where a parent's needs affect the child.",
    ],
    "management-oversight": [
        "Record supervision that gives clear direction and timescales.",
        "Managers to check that agreed actions have been completed.",
    ],
    "recording": [
        "Keep case notes up to date, within the expected timescale.",
        "Keep the chronology current and use it to spot patterns.",
    ],
    "outcomes-impact": [
        "Measure progress against the plan's outcomes at each review.",
        "Check reported improvements with school and with the child.",
    ],
}

SMART: dict[str, list[tuple[str, str]]] = {
    "voice-of-child": [
        ("See the child alone within the next two visits and record their views in their own words.",
         "Case notes show the child seen alone, with direct quotes recorded."),
        ("Complete a piece of direct work on the child's wishes and feelings and add it to the plan.",
         "Direct work is on file and the plan refers to it."),
    ],
    "assessment": [
        ("Update the Early Help Assessment to reflect the family's current circumstances.",
         "Updated assessment authorised by the team manager."),
        ("Add analysis of the impact of the worries on the child to the assessment.",
         "Assessment analysis section completed and reviewed in supervision."),
    ],
    "planning": [
        ("Rewrite the plan with SMART actions, owners and timescales agreed with the family.",
         "Revised plan on file and signed by the family."),
        ("Hold an overdue review with the family and partners.",
         "Review minutes on file, with progress scored against each outcome."),
    ],
    "direct-work": [
        ("Agree a programme of direct work sessions with the child and record each session's purpose.",
         "Session records on file for each planned session."),
    ],
    "multi-agency": [
        ("Convene a team around the family meeting with school and health.",
         "Meeting held and minutes shared with all partners."),
        ("Share the updated plan with all partners.",
         "Partners confirm receipt, recorded on the file."),
    ],
    "management-oversight": [
        ("Record supervision on the case with clear direction and timescales.",
         "Supervision note on file with actions and dates."),
    ],
    "recording": [
        ("Bring case notes and the chronology up to date.",
         "No visit older than five working days without a case note."),
    ],
    "outcomes-impact": [
        ("Agree outcome measures with the family and score progress at the next review.",
         "Scores recorded at review and compared with the baseline."),
    ],
}

SAFETY_CONCERNS = [
    "The record shows repeated reports of the child going missing overnight that were not shared with partners.",
    "Information from school suggests the child has unexplained injuries that had not been followed up.",
    "A new adult in the household is known to partners for violence, and no risk assessment has been made.",
    "The home conditions described in recent notes present an immediate risk to a very young child.",
    "The young person disclosed self-harm to a partner agency and there is no record of a safety plan.",
    "Recent police notifications of domestic abuse at the home were not acted on.",
]

SAFETY_ACTIONS = [
    "The team manager arranged a joint visit the same day and made a referral to children's social care.",
    "A strategy discussion was requested and the case was stepped up to children's social care.",
    "The team manager convened an urgent professionals meeting and a safety plan is now in place.",
    "The child was seen the next day and the concern was shared with the police and school.",
]

PREVIOUS_WORK: dict[str, list[str]] = {
    "strength": [
        "The earlier assessment was thorough and gave the current practitioner a strong start.",
        "The previous practitioner's direct work with the child is a good example of creative practice.",
    ],
    "concern": [
        "Worries raised during the earlier intervention were not recorded in the closure summary.",
        "The earlier case was closed without the agreed step-down meeting.",
    ],
    "requires-improvement": [
        "The earlier plan was not reviewed for several months before the case transferred.",
        "The earlier assessment did not include the views of the child.",
    ],
}

ASSESSMENT_COMMENTS: dict[str, list[str]] = {
    O: ["An exemplary assessment with clear analysis that drives the plan.",
        "Thorough, analytical and child-focused; a model for others."],
    G: ["A sound assessment that identifies the main needs and strengths.",
        "Completed on time, respectful of the family and clear about need."],
    R: ["The assessment describes but does not analyse; the impact on the child needs more thought.",
        "Completed late and not updated when circumstances changed."],
    I: ["The assessment does not reflect the family's situation or the risks known to partners.",
        "No meaningful analysis; key history is missing."],
    "not-applicable": ["No Early Help Assessment was required for this short piece of advice work."],
}

DISAGREEMENTS = [
    "The team manager felt the overall grade did not reflect the work done before the case transferred to the current practitioner.",
    "The team manager disagreed with the planning grade, citing a review held but not yet recorded.",
    "The team manager considered the multi-agency grade too low given partners' poor attendance.",
    "The team manager questioned whether the concerns about recording affected the outcome for the child.",
]

REVIEW_NOTES = {
    "findings-upheld": [
        "Having read the report and the case record, the findings are supported by the evidence.",
        "The evidence recorded at the time of the audit supports the grades given.",
    ],
    "findings-revised": [
        "Additional evidence provided by the team manager supports a revised grade for one domain.",
        "The review found that the review record had been misfiled; the findings were revised accordingly.",
    ],
}

REFLECTIVE_NOTES = [
    "The practitioner described high caseload pressure during the period audited; raised at the QA meeting.",
    "The practitioner asked for training on direct work tools with younger children.",
    "The discussion identified a delay in partner responses that was outside the practitioner's control.",
    "The practitioner has already started using the learning with other families on their caseload.",
]

WORKER_ANSWERS: dict[str, list[str]] = {
    "case-summary": [
        "A single parent household with two children. Early Help became involved after concerns from school about attendance and the children's presentation.",
        "The family were stepped down from children's social care. Work has focused on routines, boundaries and support for the parent's wellbeing.",
        "Referred by the health visitor because of worries about home conditions and the parent's low mood. I completed the assessment and lead the plan.",
        "The young person was struggling at school and at home, with frequent arguments. Work has focused on the relationship between parent and child.",
        "A blended family under financial pressure after a house move. I have supported them with housing, debt advice and school attendance.",
    ],
    "what-went-well": [
        "The parent engaged well once trust was built, and school report the children arriving on time most days.",
        "The child opened up during direct work sessions and now tells me when things are difficult at home.",
        "Partners have worked together well and team around the family meetings are well attended.",
        "The family have settled into their new home and routines are much calmer.",
    ],
    "challenges": [
        "The family cancelled several visits early on, and it took time to build their trust.",
        "Waiting lists for specialist services meant the family waited months for support.",
        "Partners did not always attend meetings, which slowed the plan.",
        "The parent's mental health fluctuated and this made it hard to keep the plan on track.",
        "My caseload was high during this period and some recording fell behind.",
    ],
    "child-voice": [
        "I saw the child alone at school and used worksheets to explore their worries and wishes.",
        "The young person wrote their own goals for the plan and we review them together.",
        "I used drawings and play with the younger child, and their views are in the assessment.",
        "The child was reluctant to talk at first; school staff helped me to find a safe space.",
    ],
    "support-needed": [
        "More reflective supervision time would help with complex cases like this one.",
        "Training on working with parents with mental health needs.",
        "Quicker access to specialist services for children awaiting assessment.",
        "Support from a senior practitioner with direct work tools for teenagers.",
    ],
}

AMENDMENTS = [
    "Planning grade revised after the Head of Service for QA's independent review.",
    "Findings revised following the independent review of the disagreement.",
]
