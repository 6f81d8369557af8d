"""Rule tables for the NLP pass: claim or not, types, hedges, routes, attribution, citations.

Sentences are written for these tests in the styles the tool meets: spun web copy, glued and
spelled reference markers, and clean clinical prose. Negatives are included in every table.
"""

from __future__ import annotations

from typing import Any

import pytest

from extract.nlp.claimhood import NON_CLAIM_REASONS


def only(analyse: Any, text: str) -> dict[str, Any]:
    rows = analyse(text)
    assert len(rows) == 1, [r["text"] for r in rows]
    return rows[0]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Esketamine blocks the NMDA receptor on inhibitory interneurons.", None),
        ("Ketamine can be a dissociative anaesthetic with some hallucinogenic effects.", None),
        ("Withdrawal symptoms can last for several days and will include:14", None),
        ("Report this page", "chrome"),
        # First person is a testimonial; a Roman numeral "I" is not first person.
        ("Yesterday I took 2 mg of it and slept well.", "testimonial"),
        ("CYP3A4 is the major enzyme for phase I metabolism of fluoxetine.", None),
        ("Morphine is a Schedule II drug in the US and Schedule I in Canada.", None),
        ("It is used for depression related to Bipolar I Disorder.", None),
        ("LSD is illegal since it was added to paragraph (Schedule) I of the German law.", None),
        # "Substitute for" names a use, not a disclaimer; "no substitute for" is one.
        ("It was brought to market in 1943 as a substitute for morphine.", None),
        ("This page is no substitute for a visit to your doctor.", "disclaimer"),
        ("Leave a Reply", "chrome"),
        ("Your email address will not be published.", "chrome"),
        ("Pharmacology and Mechanism of Action", "heading"),
        ("KETAMINE FOR BEGINNERS", "heading"),
        ("How does ketamine work?", "question"),
        ("Talk to your doctor before starting any new treatment.", "advice"),
        ("Ask your psychiatrist whether infusions are right for you.", "advice"),
        ("When considering ketamine, it is a good idea to read about side effects.", "advice"),
        (
            "DISCLAIMER: This content is not intended to be a substitute for medical advice.",
            "disclaimer",
        ),
        ("This article will review the pharmacology of ketamine.", "announcement"),
        ("We will also discuss the role of the AMPA receptor.", "announcement"),
        ("For Maria, the infusion felt like drifting through warm water.", "testimonial"),
        ("I finally felt normal again after my third session.", "testimonial"),
        (
            "Smith J, Lee K. Ketamine and plasticity. J Psychiatr Res. 2019;12:34-40.",
            "reference_entry",
        ),
        ("7", "orphan_marker"),
        ("[12]", "orphan_marker"),
        ("Consider a lozenge instead.", "imperative"),
    ],
)
def test_claim_or_not(analyse: Any, text: str, reason: str | None) -> None:
    row = only(analyse, text)
    assert row["non_claim_reason"] == reason
    assert row["is_claim"] is (reason is None)
    assert reason is None or reason in NON_CLAIM_REASONS


def test_cut_off_line_is_not_a_claim(analyse: Any) -> None:
    rows = analyse(
        "Ketamine relieves pain quickly.\nAs research continues, ketamine may produce innovat"
    )
    assert [r["is_claim"] for r in rows] == [True, False]
    assert rows[1]["non_claim_reason"] == "truncated"


def test_a_line_cited_by_reference_numbers_below_it_is_no_cut(analyse: Any) -> None:
    # DrugBank puts each reference on a line of its own and the full stop after them.
    rows = analyse(
        "Diazepam exerts anxiolytic and sedative effects\n15\n,\n16\n.\n"
        "Absorption is delayed by a fat meal\n15\n. It may produce innovat"
    )
    claims = [(r["text"], r["non_claim_reason"]) for r in rows if r["text"][0].isalpha()]
    assert claims == [
        ("Diazepam exerts anxiolytic and sedative effects", None),
        ("Absorption is delayed by a fat meal", None),
        ("It may produce innovat", "truncated"),
    ]


def test_bullet_items_are_judged_on_their_content(analyse: Any) -> None:
    rows = analyse("Key facts\n- Ketamine blocks NMDA receptors\n- Dosing information")
    assert [(r["text"], r["is_claim"]) for r in rows] == [
        ("Key facts", False),
        ("Ketamine blocks NMDA receptors", True),
        ("Dosing information", False),
    ]


def test_items_of_a_list_of_facts_are_claims_typed_by_its_lead_in(analyse: Any) -> None:
    rows = analyse(
        "Adverse effects of lorazepam include:\n\n-   Drowsiness[12]\n-   Muscle weakness\n\n"
        "**Duration:**\n- Onset: 20 - 40 minutes\n- Come up: 1 - 2 hours\n"
    )
    assert [(r["text"], r["is_claim"], r["claim_types"]) for r in rows] == [
        ("Adverse effects of lorazepam include:", False, []),
        ("Drowsiness[12]", True, ["safety"]),
        ("Muscle weakness", True, ["safety"]),
        ("**Duration:**", False, []),
        ("Onset: 20 - 40 minutes", True, ["onset"]),
        ("Come up: 1 - 2 hours", True, ["onset"]),  # a label, not a command
    ]
    assert rows[1]["citation_numbers"] == [12]


def test_a_sentence_wrapped_across_lines_is_judged_whole(analyse: Any) -> None:
    rows = analyse(
        "Lorazepam was first marketed in 1977, and has long been one of the most prescribed\n"
        "medicines in the world. I was prescribed it in my youth and always found that\n"
        "it left me drowsy without touching the anxiety.\n"
    )
    assert [(r["text"], r["is_claim"]) for r in rows] == [
        (
            "Lorazepam was first marketed in 1977, and has long been one of the most prescribed",
            True,
        ),
        ("medicines in the world.", True),
        ("I was prescribed it in my youth and always found that", False),
        ("it left me drowsy without touching the anxiety.", False),
    ]
    assert rows[0]["claim_types"] == rows[1]["claim_types"]  # typed as one sentence
    assert rows[3]["non_claim_reason"] == "testimonial"


def test_a_short_unpunctuated_line_is_not_wrapped_into_the_next(analyse: Any) -> None:
    rows = analyse("Side effects\nnausea is common in the first week of treatment.")
    assert [(r["text"], r["is_claim"]) for r in rows] == [
        ("Side effects", False),
        ("nausea is common in the first week of treatment.", True),
    ]


def test_table_cells_and_headings_over_paragraphs_are_not_items(analyse: Any) -> None:
    rows = analyse(
        "### Products\nTablet\nOral\n\nAdverse effects\n\nConstipation\n\n"
        "Constipation is common with every opioid and lasts for the whole treatment.\n"
    )
    assert [(r["text"], r["is_claim"]) for r in rows] == [
        ("Products", False),
        ("Tablet", False),
        ("Oral", False),
        ("Adverse effects", False),
        ("Constipation", False),
        ("Constipation is common with every opioid and lasts for the whole treatment.", True),
    ]


@pytest.mark.parametrize(
    ("text", "must_have", "must_not_have"),
    [
        (
            "Ketamine blocks the NMDA receptor, increasing synaptic plasticity.",
            {"mechanism"},
            {"study_finding"},
        ),
        (
            "Ketamine acts on glutamate receptors rather than serotonin reuptake.",
            {"mechanism"},
            set(),
        ),
        ("Ketamine is given intravenously or as a nasal spray.", {"route"}, {"mechanism"}),
        ("Relief appears within 24 hours of a single infusion.", {"onset", "route"}, set()),
        ("The effects last from days to weeks.", {"onset"}, set()),
        (
            "In rats exposed to chronic stress, ketamine reversed anhedonia.108",
            {"study_finding"},
            set(),
        ),
        (
            "A 2016 study found that ketamine reduced suicidal thoughts.",
            {"study_finding", "efficacy"},
            set(),
        ),
        (
            "Participants who received ketamine improved more than those given placebo.",
            {"study_finding"},
            set(),
        ),
        (
            "Clinical trials have shown that ketamine can relieve depressive symptoms.",
            {"efficacy"},
            {"study_finding"},
        ),
        (
            "Prolonged misuse of ketamine can lead to bladder damage and dependence.",
            {"safety"},
            set(),
        ),
        ("Low doses of 0.5 mg/kg produce analgesia.", {"dosage"}, set()),
        ("The lifetime prevalence of major depression is about 11%.", {"epidemiology"}, set()),
        ("The FDA approved esketamine nasal spray in 2019.", {"regulatory", "route"}, set()),
        ("Ketamine was first synthesized in 1962 as a derivative of PCP.", {"history"}, set()),
        (
            "Ketamine can be a dissociative anaesthetic with some hallucinogenic effects.",
            {"other"},
            {"mechanism"},
        ),
        # Uses in general words, for any drug.
        ("Lorazepam is used for anxiety and insomnia.", {"efficacy"}, {"safety"}),
        ("Codeine is indicated for the relief of mild pain.", {"efficacy"}, set()),
        ("It is sometimes used in cases of narcolepsy.", {"efficacy"}, set()),
        ("Melatonin is used intermittently for the prevention of jet lag.", {"efficacy"}, set()),
        ("Its response rate was higher than with placebo.", {"efficacy"}, set()),
        # A harm a treatment acts on is not a safety claim.
        ("Clonidine alleviates withdrawal symptoms in most patients.", {"efficacy"}, {"safety"}),
        (
            "Buprenorphine is approved for the treatment of opioid addiction.",
            {"efficacy"},
            {"safety"},
        ),
        # Interactions and side effects of other drug classes are safety.
        (
            "The serum concentration of sertraline can be increased when combined with linezolid.",
            {"safety"},
            set(),
        ),
        ("Weight gain and drowsiness are common with mirtazapine.", {"safety"}, {"efficacy"}),
        ("Caution is advised when used during pregnancy.", {"safety"}, set()),
        ("Methadone may prolong the QT interval.", {"safety"}, set()),
        # How long a treatment or a trial runs is no onset; how soon a drug acts is.
        ("Treatment usually continues for several months.", set(), {"onset"}),
        ("Some 8-week trials reported remission in a third of patients.", set(), {"onset"}),
        ("Its effects appear within 30 minutes of treatment.", {"onset"}, set()),
        # How often and how long is dosage; a dose as the moment of taking it is not.
        ("It is taken 1-3x per day depending on the form.", {"dosage"}, set()),
        ("Treatment continues for a period of months.", {"dosage"}, set()),
        ("The effects last about six hours after a single dose.", {"onset"}, {"dosage"}),
        ("It blocks other opioids in a dose-dependent fashion.", set(), {"dosage"}),
        ("The usual dose is 10 mg.", {"dosage"}, set()),
        # How much a drug is used, how it is regulated, when it began.
        ("In 2020 it was the 40th most prescribed medication in the US.", {"epidemiology"}, set()),
        ("Zolpidem is on the List of Essential Medicines.", {"regulatory"}, set()),
        ("Its sale is strictly regulated in most countries.", {"regulatory"}, set()),
        ("Bayer began marketing heroin as a cough remedy in 1898.", {"history"}, set()),
        # How a drug acts, in the words of other drug classes; pharmacokinetics is not that.
        ("THC activates cannabinoid receptors in the brain.", {"mechanism"}, set()),
        ("Morphine acts directly on the central nervous system.", {"mechanism"}, set()),
        ("Fluoxetine is metabolized by hepatic enzymes to norfluoxetine.", set(), {"mechanism"}),
        ("Diazepam is a medication that acts as an anxiolytic.", set(), {"mechanism"}),
        # Case reports and counted studies are findings; an association with a reference is not.
        (
            "In one case, a patient who took 900 mg developed seizures.",
            {"study_finding"},
            set(),
        ),
        (
            "Three studies comparing it with sertraline found no difference.",
            {"study_finding"},
            set(),
        ),
        ("MDMA is commonly associated with dance parties.[29]", set(), {"study_finding"}),
        ("Morphine is found naturally in the opium poppy.[2]", set(), {"study_finding"}),
        ("Prisoners were used as research subjects until 1976.", set(), {"study_finding"}),
        # A change with a reference is no study finding: encyclopedias cite every sentence.
        ("Heart rate is increased for several hours.[12]", set(), {"study_finding"}),
        ("A 2019 trial found that ketamine reduced suicidal ideation.", {"study_finding"}, set()),
        # A drug class named in passing is no efficacy claim in an explanation.
        (
            "Its antidepressant action is thought to involve serotonin receptors.",
            {"mechanism"},
            {"efficacy"},
        ),
    ],
)
def test_claim_types(analyse: Any, text: str, must_have: set[str], must_not_have: set[str]) -> None:
    row = only(analyse, text)
    assert row["is_claim"]
    types = set(row["claim_types"])
    assert must_have <= types, row["claim_types"]
    assert not (must_not_have & types), row["claim_types"]
    assert row["claim_types"][0] in types


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Ketamine may reduce suicidal ideation.", "may"),
        ("Research suggests that inflammation plays a role.", "suggests"),
        ("This mechanism is thought to underlie rapid effects.", "is thought"),
        ("Ketamine can help rebuild synapses.", "can help"),
        ("There is limited evidence for ketamine in anxiety.", "limited evidence"),
        ("Ketamine can be a dissociative drug.", None),
        ("Ketamine can cause bladder damage.", None),
        ("Esketamine is a promising treatment for resistant depression.", None),
        ("The study began in May 2019 and enrolled 40 adults.", None),
        # Uncertainty said in other words.
        ("It is still not entirely clear how lorazepam works.", "not entirely clear"),
        ("Little information is available on its long-term risks.", "Little information"),
        ("Triazolam is considered a short-acting benzodiazepine.", "is considered"),
        ("Higher doses, appearing to be more effective, raise the risk.", "appearing to"),
        ("Not all studies are in agreement about its efficacy.", "Not all studies"),
        # Permission, a comparison of risk, a condition or a property are not hedges.
        ("It is approved for panic disorder whether or not agoraphobia is present.", None),
        ("Tramadol has a lower abuse potential than morphine.", None),
        ("The tablets may be taken three times a day.", None),
        ("It can also be injected into a muscle.", None),
        ("Users are more likely to develop tolerance at high doses.", None),
        # ... but a possibility stays one.
        ("Codeine may cause drowsiness in some patients.", "may"),
        ("The drug may be harmful to the unborn child.", "may"),
    ],
)
def test_hedges(analyse: Any, text: str, cue: str | None) -> None:
    assert only(analyse, text)["hedge_cue"] == cue


@pytest.mark.parametrize(
    ("text", "routes"),
    [
        (
            "Ketamine is usually given IV, IM, orally or as a nasal spray.",
            ["intravenous", "intramuscular", "oral", "intranasal"],
        ),
        ("Lozenges dissolve under the tongue.", ["sublingual"]),
        ("It can also be given rectally or subcutaneously.", ["rectal", "subcutaneous"]),
        ("Patients received a single ketamine infusion.", ["infusion"]),
        ("Esketamine entered Phase IV surveillance.", []),
        ("Nasal congestion is a common side effect.", []),
        # Smoked, inhaled, buccal, transdermal.
        ("Cannabis is usually smoked or vaporized.", ["smoked", "inhaled"]),
        ("A buccal formulation of midazolam is approved in Europe.", ["buccal"]),
        ("Fentanyl is also given as a transdermal patch.", ["transdermal"]),
        ("Bupropion is an aid to smoking cessation.", []),
        ("The tablets are taken with food.", []),  # a dosage form names no route
    ],
)
def test_routes(analyse: Any, text: str, routes: list[str]) -> None:
    assert only(analyse, text)["routes"] == routes


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("“Ketamine rebuilds synapses,” Krystal says.", "Krystal"),
        ("According to Dr. Alvarez, ketamine acts within hours.", "Alvarez"),
        ("Jeff Winograd explains that the drug blocks NMDA receptors.", "Jeff Winograd"),
        ("mTOR was observed to regulate cell growth.", None),
        ("A study reports that ketamine works.", None),
    ],
)
def test_attribution(analyse: Any, text: str, who: str | None) -> None:
    assert only(analyse, text)["attributed_to"] == who


def test_quotation_continues_attribution(analyse: Any) -> None:
    rows = analyse("“It is not the treatment,” Krystal says. “That is only a side effect.")
    assert [r["attributed_to"] for r in rows] == ["Krystal", "Krystal"]


@pytest.mark.parametrize(
    ("text", "markers", "numbers"),
    [
        ("Ketamine blocks NMDA receptors [12].", ["[12]"], [12]),
        ("Ketamine blocks NMDA receptors [nine].", ["[nine]"], [9]),
        ("Ketamine induces mTOR signalling.82", ["82"], [82]),
        (
            "Lipids differ in depressed subjects,198–two hundred and in controls.",
            ["198–two hundred"],
            [198, 199, 200],
        ),
        ("The prevalence was 11.three%.two", ["two"], [2]),
        ("Ketamine improves mood (Smith et al., 2019).", ["(Smith et al., 2019)"], []),
        ("PSD-95 and mGluR5 levels rose by 11.3% after 24 h.", [], []),
    ],
)
def test_citations_in_sentences(
    analyse: Any, text: str, markers: list[str], numbers: list[int]
) -> None:
    row = only(analyse, text)
    assert row["citation_markers"] == markers
    assert row["citation_numbers"] == numbers
    assert row["has_citation"] is bool(markers)


@pytest.mark.parametrize(
    ("text", "onset"),
    [
        ("Effects appear in seconds when ketamine is given intravenously.", (None, 60)),
        ("Symptoms improved within 24 hours of the infusion.", (None, 86400)),
        ("Withdrawal can last for 4-6 days.", (345600, 518400)),
        ("Ketamine has a rapid onset of action.", (None, None)),
    ],
)
def test_onsets(analyse: Any, text: str, onset: tuple[float | None, float | None]) -> None:
    row = only(analyse, text)
    assert "onset" in row["claim_types"]
    assert (row["onset_min_s"], row["onset_max_s"]) == onset


def test_no_onset_for_history(analyse: Any) -> None:
    row = only(analyse, "Ketamine was first made in the 1960s and used for decades.")
    assert "onset" not in row["claim_types"]
    assert row["onset_text"] is None
