"""Tests for extract.nlp.entities: spun pages, clean clinical prose, negatives, offsets, the lexicon."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from spacy.language import Language

import extract.nlp.entities  # noqa: F401  (importing registers the factory)
from extract.nlp.entities import ENTITIES_KEY, LABELS, entities_in
from extract.nlp.lexicons import load_jsonl
from tests.conftest import SEEDS_DIR, shared_dir

Expected = list[tuple[str, str, str]]
Find = Callable[[str], list[dict[str, Any]]]


@pytest.fixture(scope="module")
def find(nlp: Language) -> Find:
    """Run the pipeline, then a freshly created entity ruler, and list the whole text's mentions."""
    ruler = nlp.create_pipe("claimset_entities")

    def run(text: str) -> list[dict[str, Any]]:
        doc = ruler(nlp(text))
        return entities_in(doc, 0, len(text))

    return run


def _triples(found: list[dict[str, Any]]) -> Expected:
    return [(e["text"], e["label"], e["canonical"]) for e in found]


# (sentence, every mention it holds, in order): spun web pages.
SPUN: list[tuple[str, Expected]] = [
    (
        "Ketamine signifies a paradigm change from the cure of melancholy and Continual soreness.",
        [
            ("Ketamine", "DRUG", "ketamine"),
            ("melancholy", "CONDITION", "depression"),
            ("Continual soreness", "CONDITION", "chronic pain"),
        ],
    ),
    (
        "Ketamine is usually being explored as being a remedy for Continual ache problems, for "
        "instance neuropathic suffering and fibromyalgia.",
        [
            ("Ketamine", "DRUG", "ketamine"),
            ("Continual ache", "CONDITION", "chronic pain"),
            ("neuropathic suffering", "CONDITION", "neuropathic pain"),
            ("fibromyalgia", "CONDITION", "fibromyalgia"),
        ],
    ),
    (
        "a promising treatment method for several psychiatric and Continual agony problems.",
        [("Continual agony", "CONDITION", "chronic pain")],
    ),
    ("persistent pain after surgery", [("persistent pain", "CONDITION", "chronic pain")]),
    (
        "The most notable software of ketamine has been while in the treatment of main "
        "depressive ailment.",
        [
            ("ketamine", "DRUG", "ketamine"),
            ("main depressive ailment", "CONDITION", "major depressive disorder"),
        ],
    ),
    (
        "Big depressive condition (MDD) continues to be a substantial contributor.",
        [
            ("Big depressive condition", "CONDITION", "major depressive disorder"),
            ("MDD", "CONDITION", "major depressive disorder"),
        ],
    ),
    (
        "an emerging treatment for big depressive disorder.",
        [("big depressive disorder", "CONDITION", "major depressive disorder")],
    ),
    (
        "key depressive disorder affects millions.",
        [("key depressive disorder", "CONDITION", "major depressive disorder")],
    ),
    (
        "feelings of despair and despondency",
        [
            ("despair", "CONDITION", "depression"),
            ("despondency", "CONDITION", "depression"),
        ],
    ),
    (
        "fatty acid metabolism differs among frustrated topics and non-depressed controls",
        [("frustrated", "CONDITION", "depression")],
    ),
    (
        "frustrated patients responded to ketamine",
        [
            ("frustrated", "CONDITION", "depression"),
            ("patients", "POPULATION", "patient"),
            ("ketamine", "DRUG", "ketamine"),
        ],
    ),
    (
        "The FDA's approval of esketamine (a ketamine spinoff) nasal spray for remedy-resistant "
        "despair has created it extra accessible.",
        [
            ("FDA", "ORG_JOURNAL", "US Food and Drug Administration"),
            ("esketamine", "DRUG", "esketamine"),
            ("ketamine", "DRUG", "ketamine"),
            ("remedy-resistant despair", "CONDITION", "treatment-resistant depression"),
        ],
    ),
    (
        "together with stress and anxiety Conditions, put up-traumatic anxiety disorder (PTSD), "
        "and obsessive-compulsive ailment (OCD).",
        [
            ("stress and anxiety Conditions", "CONDITION", "anxiety disorder"),
            ("put up-traumatic anxiety disorder", "CONDITION", "post-traumatic stress disorder"),
            ("PTSD", "CONDITION", "post-traumatic stress disorder"),
            ("obsessive-compulsive ailment", "CONDITION", "obsessive-compulsive disorder"),
            ("OCD", "CONDITION", "obsessive-compulsive disorder"),
        ],
    ),
    (
        "cognitive function in complex regional discomfort syndrome: a preliminary review. "
        "Discomfort Med",
        [
            ("complex regional discomfort syndrome", "CONDITION", "complex regional pain syndrome"),
            ("preliminary review", "STUDY_DESIGN", "pilot study"),
            ("Discomfort Med", "ORG_JOURNAL", "Pain Medicine"),
        ],
    ),
    (
        "Metabotropic glutamate receptor 5 (mGluR5) can be a article-synaptic protein.",
        [
            ("Metabotropic glutamate receptor 5", "TARGET", "mGluR5"),
            ("mGluR5", "TARGET", "mGluR5"),
        ],
    ),
    (
        "inhibit a protein kinase named mechanistic focus on of rapamycin (mTOR).",
        [
            ("mechanistic focus on of rapamycin", "TARGET", "mTOR"),
            ("mTOR", "TARGET", "mTOR"),
        ],
    ),
    (
        "mTOR intricate 1 (mTORC1) and mTOR complicated 2 (mTORC2)",
        [
            ("mTOR intricate 1", "TARGET", "mTORC1"),
            ("mTORC1", "TARGET", "mTORC1"),
            ("mTOR complicated 2", "TARGET", "mTORC2"),
            ("mTORC2", "TARGET", "mTORC2"),
        ],
    ),
    (
        "GluA1 and PSD-ninety five (the two markers of synaptogenesis) from the PFC, dentate "
        "gyrus and CA3 area with the hippocampus",
        [
            ("GluA1", "TARGET", "GluA1"),
            ("PSD-ninety five", "TARGET", "PSD-95"),
            ("PFC", "BRAIN_REGION", "prefrontal cortex"),
            ("dentate gyrus", "BRAIN_REGION", "dentate gyrus"),
            ("CA3", "BRAIN_REGION", "CA3"),
            ("hippocampus", "BRAIN_REGION", "hippocampus"),
        ],
    ),
    (
        "an investigation employing two-photon imaging within the PFC of dwelling mice",
        [
            ("two-photon imaging", "STUDY_DESIGN", "two-photon imaging"),
            ("PFC", "BRAIN_REGION", "prefrontal cortex"),
            ("dwelling mice", "SPECIES", "mouse"),
        ],
    ),
    (
        "In rats liable to Continual moderate pressure, ketamine reversed anhedonic habits.",
        [
            ("rats", "SPECIES", "rat"),
            ("Continual moderate pressure", "STUDY_DESIGN", "chronic mild stress"),
            ("ketamine", "DRUG", "ketamine"),
            ("anhedonic habits", "CONDITION", "anhedonia"),
        ],
    ),
    (
        "Within a mouse model of social defeat tension",
        [
            ("mouse model", "STUDY_DESIGN", "mouse model"),
            ("social defeat tension", "STUDY_DESIGN", "social defeat stress"),
        ],
    ),
    (
        "the glutamate surge that's been claimed next NMDAR block",
        [("glutamate", "NEUROTRANSMITTER", "glutamate"), ("NMDAR", "TARGET", "NMDA receptor")],
    ),
    (
        'Initially derived from PCP, or "angel dust," ketamine has long been Utilized.',
        [
            ("PCP", "DRUG", "phencyclidine"),
            ("angel dust", "DRUG", "phencyclidine"),
            ("ketamine", "DRUG", "ketamine"),
        ],
    ),
    (
        "Contributors who received ketamine claimed a significant improvement",
        [("Contributors", "POPULATION", "participant"), ("ketamine", "DRUG", "ketamine")],
    ),
    (
        "Scientific trials have shown that low doses of ketamine can swiftly lower depressive "
        "symptoms",
        [
            ("Scientific trials", "STUDY_DESIGN", "clinical trial"),
            ("ketamine", "DRUG", "ketamine"),
            ("depressive symptoms", "CONDITION", "depression"),
        ],
    ),
    (
        "Structural MRI has long been carried out on human subjects, showing amplified "
        "hippocampal volumes and diminished nucleus accumbens volumes",
        [
            ("Structural MRI", "STUDY_DESIGN", "magnetic resonance imaging"),
            ("human subjects", "SPECIES", "human"),
            ("hippocampal", "BRAIN_REGION", "hippocampus"),
            ("nucleus accumbens", "BRAIN_REGION", "nucleus accumbens"),
        ],
    ),
    (
        'It is also been cited to be a drug of misuse beneath the moniker "Specific K."',
        [("Specific K.", "DRUG", "ketamine")],  # the tokenizer keeps "K." whole
    ),
]

# Clean clinical or encyclopedic prose.
CLEAN: list[tuple[str, Expected]] = [
    (
        "It blocks the N-methyl-D-aspartate (NMDA) receptor, leading to a rise in synaptic "
        "plasticity.",
        [("N-methyl-D-aspartate (NMDA) receptor", "TARGET", "NMDA receptor")],
    ),
    (
        "ketamine produced its antidepressant effects by blocking N-methyl-D-aspartic acid "
        "(NMDA) glutamate receptors.",
        [
            ("ketamine", "DRUG", "ketamine"),
            (
                "N-methyl-D-aspartic acid (NMDA) glutamate receptors",
                "TARGET",
                "NMDA receptor",
            ),
        ],
    ),
    (
        "the NMDA/glutamate receptors and GABA receptors than the old-school Selective "
        "Serotonin Reuptake Inhibitors",
        [
            ("NMDA/glutamate receptors", "TARGET", "NMDA receptor"),
            ("GABA receptors", "TARGET", "GABA receptor"),
            (
                "Selective Serotonin Reuptake Inhibitors",
                "DRUG",
                "selective serotonin reuptake inhibitor",
            ),
        ],
    ),
    (
        "Esketamine (Spravato) is approved for treatment-resistant depression (TRD) in adults.",
        [
            ("Esketamine", "DRUG", "esketamine"),
            ("Spravato", "DRUG", "esketamine"),
            ("treatment-resistant depression", "CONDITION", "treatment-resistant depression"),
            ("TRD", "CONDITION", "treatment-resistant depression"),
            ("adults", "POPULATION", "adult"),
        ],
    ),
    (
        "A randomized, double-blind, placebo-controlled crossover trial in veterans with PTSD.",
        [
            ("double-blind", "STUDY_DESIGN", "double-blind"),
            ("placebo-controlled", "STUDY_DESIGN", "placebo-controlled"),
            ("crossover trial", "STUDY_DESIGN", "crossover"),
            ("veterans", "POPULATION", "veteran"),
            ("PTSD", "CONDITION", "post-traumatic stress disorder"),
        ],
    ),
    (
        "A meta-analysis of randomized controlled trials found rapid reductions in suicidal "
        "ideation.",
        [
            ("meta-analysis", "STUDY_DESIGN", "meta-analysis"),
            ("randomized controlled trials", "STUDY_DESIGN", "randomized controlled trial"),
            ("suicidal ideation", "CONDITION", "suicidal ideation"),
        ],
    ),
    (
        "Ketamine acts on mu-opioid receptors and the 5-HT2A receptor at higher doses.",
        [
            ("Ketamine", "DRUG", "ketamine"),
            ("mu-opioid receptors", "TARGET", "mu-opioid receptor"),
            ("5-HT2A receptor", "TARGET", "5-HT2A receptor"),
        ],
    ),
    (
        "Rapamycin (sirolimus) blocked the effect of arketamine and (2R,6R)-hydroxynorketamine.",
        [
            ("Rapamycin", "DRUG", "rapamycin"),
            ("sirolimus", "DRUG", "rapamycin"),
            ("arketamine", "DRUG", "arketamine"),
            ("(2R,6R)-hydroxynorketamine", "DRUG", "hydroxynorketamine"),
        ],
    ),
    (
        "Ketamine increases BDNF release and TrkB signalling in the medial prefrontal cortex.",
        [
            ("Ketamine", "DRUG", "ketamine"),
            ("BDNF", "TARGET", "BDNF"),
            ("TrkB", "TARGET", "TrkB"),
            ("medial prefrontal cortex", "BRAIN_REGION", "medial prefrontal cortex"),
        ],
    ),
    (
        "Opioids, benzodiazepines and alcohol increase the risk of respiratory depression.",
        [
            ("Opioids", "DRUG", "opioid"),
            ("benzodiazepines", "DRUG", "benzodiazepine"),
            ("alcohol", "DRUG", "alcohol"),
            ("respiratory depression", "CONDITION", "respiratory depression"),
        ],
    ),
    (
        "Buprenorphine and methadone are used for opioid use disorder; naloxone reverses overdose.",
        [
            ("Buprenorphine", "DRUG", "buprenorphine"),
            ("methadone", "DRUG", "methadone"),
            ("opioid use disorder", "CONDITION", "opioid use disorder"),
            ("naloxone", "DRUG", "naloxone"),
        ],
    ),
    (
        "PET imaging of SV2A density in patients with major depressive disorder",
        [
            ("PET imaging", "STUDY_DESIGN", "positron emission tomography"),
            ("SV2A", "TARGET", "SV2A"),
            ("patients", "POPULATION", "patient"),
            ("major depressive disorder", "CONDITION", "major depressive disorder"),
        ],
    ),
    (
        "the monoamine hypothesis: a deficiency of serotonin and/or noradrenaline",
        [
            ("monoamine", "NEUROTRANSMITTER", "monoamine"),
            ("serotonin", "NEUROTRANSMITTER", "serotonin"),
            ("noradrenaline", "NEUROTRANSMITTER", "norepinephrine"),
        ],
    ),
    (
        "Ketamine is an anesthetic medication.",
        [("Ketamine", "DRUG", "ketamine"), ("anesthetic", "DRUG", "anesthetic")],
    ),
    (
        "depressed patients and healthy volunteers",
        [
            ("depressed", "CONDITION", "depression"),
            ("patients", "POPULATION", "patient"),
            ("healthy volunteers", "POPULATION", "healthy volunteer"),
        ],
    ),
    (
        "Memantine and lithium did not help bipolar disorder or schizophrenia in rodents.",
        [
            ("Memantine", "DRUG", "memantine"),
            ("lithium", "DRUG", "lithium"),
            ("bipolar disorder", "CONDITION", "bipolar disorder"),
            ("schizophrenia", "CONDITION", "schizophrenia"),
            ("rodents", "SPECIES", "rodent"),
        ],
    ),
    (
        "fMRI showed reduced amygdala and thalamus activity in older adults and adolescents",
        [
            ("fMRI", "STUDY_DESIGN", "functional magnetic resonance imaging"),
            ("amygdala", "BRAIN_REGION", "amygdala"),
            ("thalamus", "BRAIN_REGION", "thalamus"),
            ("older adults", "POPULATION", "older adult"),
            ("adolescents", "POPULATION", "adolescent"),
        ],
    ),
    (
        "Psilocybin and MDMA were tested in an open-label study; monkeys received midazolam.",
        [
            ("Psilocybin", "DRUG", "psilocybin"),
            ("MDMA", "DRUG", "MDMA"),
            ("open-label study", "STUDY_DESIGN", "open-label"),
            ("monkeys", "SPECIES", "monkey"),
            ("midazolam", "DRUG", "midazolam"),
        ],
    ),
]

# Sentences that hold no entity at all, or none of a given kind.
NOTHING = [
    "The pump was used for decades.",
    "Leave a Reply",
    "Your email address will not be published.",
    "Report this page",
    "He clarifies that treatment is created to make your body far more sensitive.",
    "Talk to your doctor before starting any therapy protocol.",
    "The net effect can be a reduction of activity.",
    "We had a pet at home.",
]
NO_CONDITION = [
    "I felt frustrated with the waiting list.",
    "She was frustrated, and topics were dropped.",
    "The net effect can be a depression of neural interaction among the thalamus and cortex.",
    "Ask your PCP about sub-anesthetic doses.",
    "The Great Depression of 1929 ruined many farms.",
    "Non-depressed subjects served as controls.",
]


@pytest.mark.parametrize(("text", "expected"), SPUN + CLEAN, ids=lambda v: str(v)[:40])
def test_mentions(find: Find, text: str, expected: Expected) -> None:
    assert _triples(find(text)) == expected


@pytest.mark.parametrize("text", NOTHING)
def test_nothing(find: Find, text: str) -> None:
    assert find(text) == []


@pytest.mark.parametrize("text", NO_CONDITION)
def test_no_condition(find: Find, text: str) -> None:
    assert [e for e in find(text) if e["label"] == "CONDITION"] == []


def test_spun_depression_of_is_dropped_but_not_the_thalamus(find: Find) -> None:
    text = NO_CONDITION[2]
    assert _triples(find(text)) == [
        ("thalamus", "BRAIN_REGION", "thalamus"),
        ("cortex", "BRAIN_REGION", "cerebral cortex"),
    ]


def test_your_pcp_is_not_phencyclidine(find: Find) -> None:
    assert [e["label"] for e in find("Ask your PCP about PCP.")] == ["DRUG"]


def test_longest_match_wins(find: Find) -> None:
    found = _triples(
        find("Ketamine can cause respiratory depression and glutamate receptors bind.")
    )
    assert ("respiratory depression", "CONDITION", "respiratory depression") in found
    assert ("depression", "CONDITION", "depression") not in found
    assert ("glutamate receptors", "TARGET", "glutamate receptor") in found
    assert ("glutamate", "NEUROTRANSMITTER", "glutamate") not in found


def test_pet_is_case_sensitive(find: Find) -> None:
    assert find("the family pet") == []
    assert _triples(find("PET and MRI")) == [
        ("PET", "STUDY_DESIGN", "positron emission tomography"),
        ("MRI", "STUDY_DESIGN", "magnetic resonance imaging"),
    ]


def test_offsets_are_absolute_and_sorted(nlp: Language) -> None:
    ruler = nlp.create_pipe("claimset_entities")
    text = (
        "Blog Article\n\nIn rats, ketamine raised BDNF in the PFC. "
        "Big depressive condition (MDD) is common; frustrated subjects improved."
    )
    doc = ruler(nlp(text))
    found = entities_in(doc, 0, len(text))
    assert found, "expected mentions"
    for entity in found:
        assert set(entity) == {"text", "label", "canonical", "start", "end"}
        assert doc.text[entity["start"] : entity["end"]] == entity["text"]
        assert text[entity["start"] : entity["end"]] == entity["text"]
        assert all(type(value) in (str, int) for value in entity.values())
    starts = [entity["start"] for entity in found]
    assert starts == sorted(starts)
    # A sub-range keeps document offsets and only the mentions wholly inside it.
    second = text.index("Big")
    inside = entities_in(doc, second, len(text))
    assert [e["text"] for e in inside] == ["Big depressive condition", "MDD", "frustrated"]
    assert inside[0]["start"] == second
    # A range cutting a mention in two drops it.
    assert entities_in(doc, second + 4, len(text))[0]["text"] == "MDD"


def test_empty_range_and_doc_without_spans(nlp: Language) -> None:
    doc = nlp.make_doc("ketamine")
    doc.spans.pop(ENTITIES_KEY, None)
    assert entities_in(doc, 0, len(doc.text)) == []
    ruler = nlp.create_pipe("claimset_entities")
    assert entities_in(ruler(nlp("ketamine")), 3, 3) == []


def test_lexicon_rows_are_well_formed() -> None:
    rows = load_jsonl("entities.jsonl")
    assert len({row["id"] for row in rows}) >= 300
    for row in rows:
        assert set(row) == {"label", "pattern", "id"}, row
        assert row["label"] in LABELS, row
        assert isinstance(row["id"], str) and row["id"].strip() == row["id"] != "", row
        assert isinstance(row["pattern"], (str, list)), row


def test_seed_pages_sanity(find: Find) -> None:
    """Print what the detector finds in the real spun pages (a precision check by eye)."""
    seeds = shared_dir(SEEDS_DIR)
    total = 0
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = find(text)
        total += len(found)
        print(f"\n== {path.name}: {len(found)} mentions")
        for entity in found:
            assert text[entity["start"] : entity["end"]] == entity["text"]
            print(f"  {entity['label']:16} {entity['text']!r} -> {entity['canonical']}")
    assert total > 0
