"""ehqa.privacy: text folded before matching, identifiers found however spelt, and what looks like a
child's identity in the text the learning site publishes (R21; issue 9, item 4)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehqa.privacy.child_identity import (
    ADDRESS,
    AGE,
    BIRTH,
    GIVEN_NAME,
    NEVER_PUBLISH,
    POSTCODE,
    ChildIdentity,
)
from ehqa.privacy.identifiers import Identifiers
from ehqa.privacy.matcher import CASE_REFERENCE, STAFF_ID, STAFF_NAME, Matcher
from ehqa.privacy.normalise import fold, fold_char

# R21: what the learning site publishes never holds personal data; these find it however it is written.
pytestmark = pytest.mark.rule("R21")

IDS = Identifiers(
    case_refs=frozenset({"9160347", "4417302"}),
    staff_names=frozenset({"Amy Evans", "Will Young", "Siobhan O'Neill", "Femi Nash", "Ayo de Souza"}),
    staff_ids=frozenset({"EH0001", "AE"}),
    handles=frozenset({"rkhan-eh"}),
)
MATCHER = Matcher(IDS)


def kinds(text: str, matcher: Matcher = MATCHER) -> set[str]:
    return {kind for kind, _offset in matcher.find(text)}


# --- normalisation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("９１６０３４７", "9160347"),  # fullwidth
        ("٩١٦٠٣٤٧", "9160347"),  # Arabic-Indic
        ("۹۱۶۰۳۴۷", "9160347"),  # Extended Arabic-Indic (Persian, Urdu)
        ("९१६०३४७", "9160347"),  # Devanagari
        ("916\u00ad0347", "9160347"),  # soft hyphen
        ("916\u200b0347", "9160347"),  # zero-width space
        ("Ev\u200dans\u2060", "Evans"),  # zero-width joiner, word joiner
        ("\u202eAmy\u202c", "Amy"),  # bidi override marks
        ("916\u00a00347", "916 0347"),  # no-break space: a space
        ("916\u2009\u3000", "916  "),  # thin and ideographic spaces
        ("Amy Évans", "Amy Evans"),  # an accent added
        ("Zoe\u0308", "Zoe"),  # a combining accent
        ("\u0410my", "Amy"),  # Cyrillic capital A
        ("\u0391my", "Amy"),  # Greek capital Alpha
        ("Еvаns", "Evans"),  # Cyrillic Ie and a
        ("𝐀𝐦𝐲", "Amy"),  # mathematical bold
        ("ﬁne", "fine"),  # a ligature
        ("plain ASCII, unchanged", "plain ASCII, unchanged"),
        ("하다", "하다"),  # a Hangul syllable stays whole
    ],
)
def test_fold(written: str, folded: str) -> None:
    assert fold(written).text == folded


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_fold_maps_every_offset_back_into_the_text(text: str) -> None:
    folded = fold(text)
    offsets = [folded.original_offset(i) for i in range(len(folded.text) + 1)]
    assert offsets == sorted(offsets)  # in order
    assert all(0 <= o <= len(text) for o in offsets) and offsets[-1] == len(text)
    for index, char in enumerate(folded.text):  # each folded character comes from one that folds to it
        assert char in fold_char(text[offsets[index]]), (index, char)


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_fold_leaves_no_format_character_and_no_digit_of_another_script(text: str) -> None:
    folded = fold(text).text
    assert not any(unicodedata.category(c) == "Cf" for c in folded)
    assert all(c in "0123456789" for c in folded if unicodedata.category(c) == "Nd")
    assert fold(folded).text == folded  # folding twice changes nothing more


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=80))
def test_ascii_text_is_its_own_fold(text: str) -> None:
    folded = fold(text)
    assert folded.text == text and folded.offsets is None


@given(st.sampled_from(["9160347", "Amy Evans"]), st.text(alphabet="\u00ad\u200b\u200c\u200d\u2060\ufeff", max_size=3),
       st.integers(min_value=1, max_value=6))
def test_an_invisible_character_anywhere_inside_hides_nothing(secret: str, invisible: str, at: int) -> None:
    text = f"<p>{secret[:at]}{invisible}{secret[at:]}</p>"
    assert kinds(text) == {CASE_REFERENCE if secret[0].isdigit() else STAFF_NAME}


# --- every spelling of issue 9, item 4 ---------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "916 0347", "916-0347", "9,160,347", "916.0347", "916/0347", "916\u00a00347", "916 - 0347",
        "916\u20130347", "９１６０３４７", "٩١٦٠٣٤٧", "916\u00ad0347", "916\u200b0347", "case no. 9160347",
        "cases 12, 916 0347",
    ],
)
def test_a_case_reference_however_written(spelling: str) -> None:
    assert kinds(f"<p>{spelling}</p>") == {CASE_REFERENCE}


@pytest.mark.parametrize(
    "spelling",
    [
        "Amy Évans", "\u0410my Evans", "Evans, Amy", "EVANS Amy", "EVANS, AMY", "Amy J. Evans", "Amy J Evans",
        "Amy Jane Evans", "Ms Evans", "Mrs. Evans", "Mr Evans", "Miss Evans", "Mx Evans", "Dr Evans",
        "A. Evans", "amy-evans", "Amy\u00a0Evans", "Am\u00ady Ev\u200bans", "Amy</b> <b>Evans", "O’Neill, Siobhan",
        "Dr O'Neill", "Ayo de Souza", "Ms Souza",
    ],
)
def test_a_staff_name_however_written(spelling: str) -> None:
    assert kinds(f"<p>{spelling} wrote this.</p>") == {STAFF_NAME}


def test_the_issue_s_example_with_initials() -> None:
    assert kinds("Ms Evans (AE)") == {STAFF_NAME, STAFF_ID}


@pytest.mark.parametrize(
    "prose",
    [
        "Femi and Nash", "Femi, Nash", "Amy told Evans", "the young will benefit", "a young person",
        "Evans Amy", "Good practice", "Young carers", "Hope and Young", "2026-10-15 and 2026-10",
        "15/10/2026", "1 916 0347", "91603470", "<path d='M 916 0347 L 1 2'/>",
    ],
)
def test_prose_that_is_not_an_identifier(prose: str) -> None:
    assert kinds(prose) == set()


def test_a_reference_in_markup_is_found_only_in_a_text_attribute() -> None:
    assert kinds('<img alt="916 0347" src="x.svg">') == {CASE_REFERENCE}
    assert kinds('<path d="M 916 0347 L 0 0"/>') == set()
    assert kinds('<path d="M 9160347 L 0 0"/>') == {CASE_REFERENCE}  # written whole: found anywhere
    assert kinds('<img title="the \'case\' 916 0347" src="x.svg">') == {CASE_REFERENCE}  # a quote inside
    assert kinds('<path d="M 1 2" aria-label="916 0347"/><text x="916 0347">') == {CASE_REFERENCE}


def test_an_offset_points_into_the_text_as_written() -> None:
    text = "ab\u00ad\u200bc, then Ev\u00adans, Amy and ９１６ ０３４７"
    found = dict((kind, offset) for kind, offset in MATCHER.find(text))
    assert text[found[STAFF_NAME]:].startswith("Ev")
    assert text[found[CASE_REFERENCE]:].startswith("９")


# --- what looks like a child's identity ------------------------------------------------------

CHILD = ChildIdentity(given_names=["Isla", "Hope"], never_publish=["St Anne's Primary", "Northgate Estate"])


def child_kinds(text: str, child: ChildIdentity = CHILD) -> set[str]:
    return {kind for kind, _offset in child.find(text)}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("We met Olivia at school.", GIVEN_NAME),
        ("Olivia's voice was not heard.", GIVEN_NAME),  # a sentence's start, in the possessive
        ("Mum said that Jack had been unwell.", GIVEN_NAME),
        ("We spoke with Оlivia.", GIVEN_NAME),  # a Cyrillic O
        ("Isla said no.", GIVEN_NAME),  # the service's own name, even at a sentence's start
        ("We spoke with Hope.", GIVEN_NAME),  # the service lists Hope: flagged though an ordinary word
        ("The child, aged 7, was seen.", AGE),
        ("a 7-year-old", AGE), ("a seven year old", AGE), ("7 yrs", AGE), ("age: 7", AGE), ("7yo", AGE),
        ("18 months old", AGE), ("aged about 9", AGE),
        ("DOB 3/5/2015", BIRTH), ("d.o.b.", BIRTH), ("her date of birth", BIRTH), ("born 3 May 2015", BIRTH),
        ("born in 2015", BIRTH), ("born on 03/05/2015", BIRTH),
        ("SW1A 1AA", POSTCODE), ("ls6 2qt", POSTCODE), ("M1 1AE", POSTCODE), ("B338TH", POSTCODE),
        ("12 Acacia Avenue", ADDRESS), ("4b Mill Rd", ADDRESS), ("Flat 3", ADDRESS), ("flat no. 12", ADDRESS),
        ("pupils at st anne’s  primary", NEVER_PUBLISH), ("the NORTHGATE estate", NEVER_PUBLISH),
        ("the Northgate\u200b Estate", NEVER_PUBLISH),
    ],
)
def test_what_looks_like_a_child_s_identity(text: str, kind: str) -> None:
    assert kind in child_kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "The family had hope; with grace and joy they kept faith.",  # ordinary words, lowercase
        "Faith groups and Grace Church helped.",  # a sentence's start; a run of capitalised words
        "In May the plan changed. Will it last? Summer holidays were hard.",  # month, common words
        "Hope matters.",  # Hope is a common word, so not flagged from the package list
        "at St Mary's School and the Freedom Programme",  # proper names, not a person's given name
        "The Early Help Assessment captured needs and strengths.",
        "Safety planning with the non-abusing parent should be recorded and reviewed, not assumed.",
        "The plan was reviewed after 6 weeks and 3 Key Learning Points were shared in 2026.",
        "born prematurely", "a 12 month plan", "the 2 sisters", "an A1 priority",
    ],
)
def test_ordinary_prose_is_not_a_child_s_identity(text: str) -> None:
    plain = ChildIdentity()  # no service lists
    assert child_kinds(text, plain) == set(), text


def test_the_demo_s_learning_sentences_pass() -> None:
    """Every sentence the demo writes into excerpts (tools/ehqa/demo/learning_points.py) is publishable."""
    from ehqa.demo import learning_points

    sentences = [s for group in (learning_points.LEARNING_OPENERS, learning_points.LEARNING) for values in group.values() for s in values]
    assert len(sentences) > 20
    plain = ChildIdentity()
    for sentence in sentences:
        assert child_kinds(sentence, plain) == set(), sentence
        assert kinds(sentence) == set(), sentence


def test_a_date_is_never_a_reference_even_when_its_digits_are_one() -> None:
    """A service whose references are 6 or 8 digits: 2025-01 and 2026-01-16 are dates, not cases."""
    matcher = Matcher(Identifiers(case_refs=frozenset({"202501", "20260116"})))
    assert kinds("cycle 2025-01, met 2026-01-16 and 16/01/2026", matcher) == set()
    assert kinds("case 2025 01, case 20260116", matcher) == {CASE_REFERENCE}
