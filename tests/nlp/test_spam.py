"""Spam: anchor and keyword text pasted into a sentence, and the prose that only looks like it.

The first three rows are the styles seen in the seed pages; the others are written for these
tests in the same styles. Negatives include grammatical uses of the same words, page titles
(repeated titles are not spam) and ordinary chrome.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import pytest
from spacy.tokens import Doc

import extract.nlp.spam  # noqa: F401  (registers the factory)
from extract.nlp.spam import SPAM_KEY, count_spam_phrases, pasted_keyword_spans, spam_spans


@pytest.fixture(scope="module")
def spammed(
    component_runner: Callable[[str], Callable[[str], Doc]],
) -> Callable[[str], Doc]:
    return component_runner("claimset_spam")


@pytest.mark.parametrize(
    ("text", "spam"),
    [
        # the seed styles
        (
            "Its fast motion and opportunity for extensive-expression ketamine for sale online Positive aspects have created it a useful tool in psychiatry.",
            ["ketamine for sale online"],
        ),
        (
            "In rats liable to Continual moderate pressure, ketamine was observed to result check here in reversal of anhedonic habits.",
            ["check here"],
        ),
        (
            "The landscape of ketamine has prompted calls for regulation and oversight. ketamine infusion for depression Harding and her Yale colleagues have been on the vanguard of this initiative.",
            ["ketamine infusion for depression"],
        ),
        # pasted anchors and commercial phrases
        (
            "Infusions are given under supervision and buy ketamine online the effects last for days.",
            ["buy ketamine online"],
        ),
        ("Esketamine click here acts on the NMDA receptor within hours.", ["click here"]),
        ("The antidepressant effect visit our website lasts about a week.", ["visit our website"]),
        (
            "Low doses of ketamine read more here can swiftly reduce depressive symptoms.",
            ["read more here"],
        ),
        (
            "Spravato free shipping is administered under supervision in a certified clinic.",
            ["free shipping"],
        ),
        (
            "Order ketamine online without prescription and relieve chronic pain fast.",
            ["Order ketamine online without prescription"],
        ),
        (
            "Ketamine lozenges best price discount code are absorbed through the oral mucosa.",
            ["best price", "discount code"],
        ),
        (
            "Esketamine pills for sale acts within hours on suicidal thoughts.",
            ["Esketamine pills for sale"],
        ),
        ("Patients at our ketamine clinic near me report rapid relief.", ["near me"]),
        # pasted search keywords
        (
            "ketamine therapy for anxiety Researchers at Yale found a rapid response.",
            ["ketamine therapy for anxiety"],
        ),
        (
            "The drug reverses synaptic deficits.108 esketamine for treatment-resistant depression Krystal and colleagues reported similar results.",
            ["esketamine for treatment-resistant depression"],
        ),
        (
            "Its rapid action ketamine clinic for ptsd Shows promise in veterans.",
            ["ketamine clinic for ptsd"],
        ),
        # grammatical prose with the same words
        ("Ketamine is available for the treatment of depression.", []),
        ("Esketamine nasal spray for treatment-resistant depression was approved in 2019.", []),
        ("Doctors now prescribe ketamine for depression in many clinics.", []),
        ("Many clinics offer ketamine for depression. Harding disagrees with the practice.", []),
        ("Yale began offering ketamine for depression Monday through Friday.", []),
        ("You cannot buy ketamine legally without a prescription.", []),
        ("Ketamine is a cheap generic anaesthetic on the WHO essential medicines list.", []),
        ("Some patients bought ketamine from an online pharmacy.", []),
        ("In a 2012 review, the lifetime prevalence of MDD was mentioned here at 11.3%.", []),
        ("Check with your doctor whether ketamine is right for you.", []),
        # page titles and chrome
        ("classification of ketamine for Dummies", []),
        ("Ketamine for Depression\nKetamine for depression is offered at the clinic.", []),
        ("ketamine for depression", []),
        ("Ketamine for PTSD NICE guidance remains cautious.", []),
        ("Click the button to continue.", []),
    ],
)
def test_spam_spans(spammed: Callable[[str], Doc], text: str, spam: list[str]) -> None:
    doc = spammed(text)
    found = spam_spans(doc, 0, len(text))
    assert [t for _, _, t in found] == spam
    for start, end, written in found:
        assert text[start:end] == written


def test_spans_are_sorted_and_do_not_overlap(spammed: Callable[[str], Doc]) -> None:
    text = "Buy ketamine online now, ketamine for sale online and click here today."
    found = spam_spans(spammed(text), 0, len(text))
    assert found == sorted(found)
    assert all(a[1] < b[0] for a, b in pairwise(found))
    assert [t for _, _, t in found] == [
        "Buy ketamine online",
        "ketamine for sale online",
        "click here",
    ]


def test_spam_must_lie_inside_the_range(spammed: Callable[[str], Doc]) -> None:
    text = "Ketamine blocks NMDA receptors. Spravato click here acts within hours."
    doc = spammed(text)
    boundary = text.index(" Spravato")
    assert spam_spans(doc, 0, boundary) == []
    assert [t for _, _, t in spam_spans(doc, boundary, len(text))] == ["click here"]


def test_pasted_keyword_offsets(spammed: Callable[[str], Doc]) -> None:
    text = "Oversight matters. ketamine infusion for depression Harding and colleagues led it."
    start = text.index("ketamine")
    end = start + len("ketamine infusion for depression")
    assert pasted_keyword_spans(spammed(text), 0, len(text)) == [(start, end)]


def test_keyword_shape_alone_is_not_spam(spammed: Callable[[str], Doc]) -> None:
    text = "Doctors prescribe ketamine for depression in many clinics."
    doc = spammed(text)
    assert [s.label_ for s in doc.spans[SPAM_KEY]] == ["SEO_KEYWORD"]
    assert pasted_keyword_spans(doc, 0, len(text)) == []


def test_count_spam_phrases(spammed: Callable[[str], Doc]) -> None:
    text = (
        "Ketamine blocks NMDA receptors check here within minutes.\n"
        "Its opportunity for extensive-expression ketamine for sale online Positive aspects are clear.\n"
        "Ketamine for Depression\n"
        "Esketamine is approved for treatment-resistant depression."
    )
    assert count_spam_phrases(spammed(text)) == 2
    assert count_spam_phrases(spammed("Ketamine blocks NMDA receptors.")) == 0
