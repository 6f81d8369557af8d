"""Tests for extract.nlp.citation_markers."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp.citation_markers import CitationMarker, find_citation_markers

Expected = list[tuple[str, tuple[int, ...]]]

POSITIVES: list[tuple[str, Expected]] = [
    # Brackets, digits and spelled.
    ("the earlier discoveries [12].", [("[12]", (12,))]),
    ("variable results across studies [84, 85].", [("[84, 85]", (84, 85))]),
    ("as shown [12–14].", [("[12–14]", (12, 13, 14))]),
    ("as shown [12-14].", [("[12-14]", (12, 13, 14))]),
    ("as shown [2, 5-7].", [("[2, 5-7]", (2, 5, 6, 7))]),
    ("essentially different from the earlier discoveries [nine].", [("[nine]", (9,))]),
    (
        "ketamine enantiomers [ten] and metabolites [eleven], inflammatory procedures [12]",
        [("[ten]", (10,)), ("[eleven]", (11,)), ("[12]", (12,))],
    ),
    ("as shown [1,3].", [("[1,3]", (1, 3))]),
    ("as shown [ 12 ].", [("[ 12 ]", (12,))]),
    ("A latest study [86] documented no adjust", [("[86]", (86,))]),
    ("as reviewed [Nine].", [("[Nine]", (9,))]),
    ("as reviewed [twenty-one, 22].", [("[twenty-one, 22]", (21, 22))]),
    # Superscript-style digits glued to a word or punctuation.
    ("a predictor of reaction to ketamine,196 but in", [("196", (196,))]),
    ("but in another study197 elevated BMI", [("197", (197,))]),
    ("inhibiting mobile cell autophagy.82 Besides its", [("82", (82,))]),
    ("symptoms can last 4-6 days and will contain:13", [("13", (13,))]),
    ("will contain:13\nThe next line", [("13", (13,))]),
    ("side effects include:13 headache, nausea", [("13", (13,))]),
    ("roughly 8.three%.two of American adults", [("two", (2,))]),
    ("high doses of buprenorphine,41 depress respiration", [("41", (41,))]),
    ("the risk of dying of those who stopped.twelve\nDoctors", [("twelve", (12,))]),
    ("fresh connections.198–two hundred In rats", [("198–two hundred", (198, 199, 200))]),
    (
        "on the main depression scale.20–twenty two Smaller studies",
        [("20–twenty two", (20, 21, 22))],
    ),
    ("mTORC1 pathways.102,106 However, it", [("102,106", (102, 106))]),
    ("an inhibitor of mTORC1.102,106 However, it", [("102,106", (102, 106))]),
    ("β-oxidation of fatty acids.201 Adipokines such as", [("201", (201,))]),
    ("brain areas in the offspring.4 Various studies", [("4", (4,))]),
    ("BDNF mRNA trafficking.108 Within a mouse model", [("108", (108,))]),
    ("at eight days following drug administration.109 Within an", [("109", (109,))]),
    ("correlated to treatment response.212", [("212", (212,))]),
    ("reviewed by Smith et al.16 showed", [("16", (16,))]),
    ("as the “angel dust”.12 Later", [("12", (12,))]),
    ("studies12-14 found", [("12-14", (12, 13, 14))]),
    # Spelled superscripts.
    ("inside the central nervous program,three,four has been", [("three,four", (3, 4))]),
    ("the onset of action when specified IM.seven", [("seven", (7,))]),
    ("when specified IM.seven\nNext line", [("seven", (7,))]),
    ("second for causes of worldwide incapacity.one Inside a 2012", [("one", (1,))]),
    ("the lifetime prevalence of MDD was 11.three%.two Regrettably", [("two", (2,))]),
    (
        "differs between depressed subjects and non-depressed controls,198–two hundred and it's",
        [("198–two hundred", (198, 199, 200))],
    ),
    ("in the offspring.twenty-one Various", [("twenty-one", (21,))]),
    # Unicode superscripts.
    ("sensitivity to ketamine¹² is reduced", [("¹²", (12,))]),
    ("several studies¹⁻³ show", [("¹⁻³", (1, 2, 3))]),
    ("as reported.¹ Later", [("¹", (1,))]),
    # Parenthetical numbers.
    ("Smith et al.(16) showed", [("(16)", (16,))]),
    ("Smith et al. (16) showed", [("(16)", (16,))]),
    ("as reported(3,4) in rats", [("(3,4)", (3, 4))]),
    ("as previously shown (16).", [("(16)", (16,))]),
    ("as previously shown (16)", [("(16)", (16,))]),
    ("as previously shown (2, 5–7).", [("(2, 5–7)", (2, 5, 6, 7))]),
    ("as reported(2, 5–7) in rats", [("(2, 5–7)", (2, 5, 6, 7))]),
    # Author-year.
    ("It was shown (Smith et al., 2019).", [("(Smith et al., 2019)", ())]),
    ("It was shown (Smith et al., 2005; Lee 2010).", [("(Smith et al., 2005; Lee 2010)", ())]),
    ("It was shown (Smith & Jones, 2019).", [("(Smith & Jones, 2019)", ())]),
    ("It was shown (Smith and Jones 2019a).", [("(Smith and Jones 2019a)", ())]),
    ("Smith et al. (2019) found that", [("Smith et al. (2019)", ())]),
    ("as Smith and Jones (2019, 2020) found", [("Smith and Jones (2019, 2020)", ())]),
    (
        "reviewed before (e.g., O’Brien, 2018; van der Berg et al. 2020).",
        [("(e.g., O’Brien, 2018; van der Berg et al. 2020)", ())],
    ),
    ("shown (WHO, 2021).", [("(WHO, 2021)", ())]),
    # Orphan marker lines.
    ("7", [("7", (7,))]),
    ("eight", [("eight", (8,))]),
    ("  12  ", [("12", (12,))]),
    (
        "7 It can be for that reason significant that somebody with depression stay clear.",
        [("7", (7,))],
    ),
    (
        "eight At reduced doses, ketamine creates agony relief and sedation.",
        [("eight", (8,))],
    ),
    (
        "adhering to drug administration\n7 It can be for that reason significant that "
        "somebody with depression stay clear of using ketamine.",
        [("7", (7,))],
    ),
    ("the previous sentence\n8\nThe next line", [("8", (8,))]),
    # Several styles in one text.
    (
        "ketamine,196 but in another study197 elevated BMI [12] (Smith et al., 2019).",
        [("196", (196,)), ("197", (197,)), ("[12]", (12,)), ("(Smith et al., 2019)", ())],
    ),
]

NEGATIVES: list[str] = [
    "The prevalence was 11.3% in 2012.",
    "The prevalence was 11.three% in 2012.",
    "a dose of 0.5 mg was given",
    "PSD-95",
    "dendritic spine density, GluA1 and PSD-ninety five (the two markers of synaptogenesis)",
    "reductions in mGluR5 density",
    "mTOR complex 1 (mTORC1) and mTOR complex 2 (mTORC2); ketamine affects the mTORC1 pathway.",
    "the presynaptic protein SV2A",
    "GluA1 and CA3 area",
    "the 5-HT2A receptor",
    "during COVID-19, many",
    "vitamin B12 deficiency",
    "BDNF-TrkB action",
    "levels of IL-6 rose",
    "H2O",
    "ketamine is a Schedule III drug",
    "in a Phase 2 trial",
    "at 0.5 mg/kg over 40 min",
    "a dose of 40 mg",
    "volumes 24 h post-infusion",
    "within 24h",
    "in 2012",
    "in the 1960s",
    "in the late 1950’s",
    "synthesized in the sixties",
    "two photon imaging",
    "using two-photon imaging",
    "for more than 25 years",
    "can last for 4-6 days",
    "at eight days following",
    "1. Introduction",
    "Step 2: take it",
    "at 10:30",
    "a 1:1 ratio",
    "see Figure 2",
    "see Table 1",
    "version 3.8 was released",
    "see https://example.com/page.12 for more",
    "visit www.example.org/a,12 today",
    "someone alone in a tone",
    "one of the most common",
    "only one study found this",
    "(1) blocking NMDA, (2) ...",
    "(1) blocking NMDA, (2) activating AMPA receptors",
    "(n = 16)",
    "(2019)",
    "published (2019) results",
    "(p < 0.05)",
    "(95% CI 1.2-3.4)",
    "7 patients were enrolled",
    "2019 was a year",
    "12 mg",
    "2 Methods",
    "3 Results and Discussion",
    "Age:45",
    "Dose:40 mg",
    "ratio:1:1",
    "doses:2 mg",
    "at 10:30, he:2",
    "Pain Med Rev. 2018;14:112-120.",
    "1. Moreau A, Lindqvist P. Ketamine and central sensitisation.",
    "Nav1.7 channels and P450 enzymes",
    "see Fig.2 and No.1 and pp.12-14",
    "type2 diabetes and covid19",
    "the p53 protein",
    "BMI above 30 kg/m²",
    "Ca²⁺ influx",
    "10² cells",
    "patients,two of whom",
    "approx.5 mg",
    "in (January 2019)",
    "aged (18–65).",
    "array[0]",
    "in 2016.4 of them",
    "the ratio was 1,200 to 3",
]


def _pairs(text: str) -> Expected:
    return [(m.marker, m.numbers) for m in find_citation_markers(text)]


@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_positive_examples(text: str, expected: Expected) -> None:
    assert _pairs(text) == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_negative_examples(text: str) -> None:
    assert _pairs(text) == []


@pytest.mark.parametrize("text", [text for text, _ in POSITIVES] + NEGATIVES)
def test_offsets_are_exact(text: str) -> None:
    for marker in find_citation_markers(text):
        assert text[marker.start : marker.end] == marker.marker


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ("as shown [12].", "bracket"),
        ("ketamine,196 but", "superscript"),
        ("another study197 elevated", "superscript"),
        ("ketamine¹² is", "superscript"),
        ("Smith et al.(16) showed", "parenthetical"),
        ("(Smith et al., 2019)", "author_year"),
        ("Smith et al. (2019) found", "author_year"),
        ("7", "orphan_line"),
        ("eight At reduced doses, ketamine creates agony relief and sedation.", "orphan_line"),
    ],
)
def test_styles(text: str, style: str) -> None:
    markers = find_citation_markers(text)
    assert [m.style for m in markers] == [style]


def test_offsets_in_longer_text() -> None:
    text = "First claim [3]. Second claim.4 Third claim (Lee 2010)."
    markers = find_citation_markers(text)
    assert [(m.start, m.end) for m in markers] == [(12, 15), (30, 31), (44, 54)]


def test_marker_is_frozen() -> None:
    marker = find_citation_markers("as shown [12].")[0]
    assert isinstance(marker, CitationMarker)
    with pytest.raises(dataclasses.FrozenInstanceError):
        marker.start = 0  # type: ignore[misc]


def test_empty_text() -> None:
    assert find_citation_markers("") == []


def _check_invariants(text: str) -> None:
    markers = find_citation_markers(text)
    previous_end = 0
    for marker in markers:
        assert 0 <= marker.start < marker.end <= len(text)
        assert marker.start >= previous_end
        assert text[marker.start : marker.end] == marker.marker
        assert marker.style in {
            "bracket",
            "superscript",
            "parenthetical",
            "author_year",
            "orphan_line",
        }
        assert all(isinstance(n, int) and n > 0 for n in marker.numbers)
        previous_end = marker.end


@settings(max_examples=500)
@given(st.text())
def test_never_raises_and_invariants_hold(text: str) -> None:
    _check_invariants(text)


_PIECES = st.sampled_from(
    [
        "ketamine",
        "study",
        " ",
        "\n",
        ".",
        ",",
        ":",
        ";",
        "%",
        "(",
        ")",
        "[",
        "]",
        "-",
        "–",
        "12",
        "196",
        "2019",
        "three",
        "two hundred",
        "et al.",
        "Smith",
        "and",
        "It",
        "¹",
        "²",
        "⁻",
    ]
)


@settings(max_examples=500)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_invariants_on_citation_like_text(text: str) -> None:
    _check_invariants(text)
