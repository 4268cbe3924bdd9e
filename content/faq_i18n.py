"""FAQ phrasings in English and Khmer (issue 17), and the texts that are not policy topics (the crisis
answer, small talk). Kept apart from the topic files so that each language's matcher learns from its
own phrasings only.

Files: `faq_i18n/examples_en.yaml`, `faq_i18n/examples_km.yaml` (`topics: {id: [phrasings]}` and
`out_of_scope: [...]`), `faq_care.yaml` (`crisis`, `smalltalk.<kind>`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from content.localized import Localized, ReviewMeta
from content.problems import Problem
from content.source import load_model

EXAMPLE_FILES = {"en": "faq_i18n/examples_en.yaml", "km": "faq_i18n/examples_km.yaml"}
CARE_FILE = "faq_care.yaml"
BASIS_FILE = "faq_i18n/basis_terms.yaml"
MIN_EXAMPLES = 5


class Examples(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    meta: ReviewMeta = ReviewMeta()
    topics: dict[str, list[str]]
    out_of_scope: list[str] = Field(min_length=1)


class SmallTalkTexts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    greeting: Localized
    thanks: Localized
    ok: Localized
    bye: Localized
    person: Localized
    insult: Localized


class Care(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    meta: ReviewMeta = ReviewMeta()
    crisis: Localized
    smalltalk: SmallTalkTexts
    medium_note: Localized


class BasisTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    vi: str
    en: str
    km: str


class BasisTerms(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    meta: ReviewMeta = ReviewMeta()
    terms: list[BasisTerm] = Field(min_length=1)


@dataclass(frozen=True)
class FaqI18n:
    examples: dict[str, Examples]  # by language: en, km
    care: Care
    basis_terms: tuple[BasisTerm, ...] = ()

    def basis(self, item: str, lang: str) -> str:
        """A legal-basis item in English or Khmer (Vietnamese as it is): known phrases replaced,
        longest first, document numbers kept."""
        if lang == "vi":
            return item
        for term in sorted(self.basis_terms, key=lambda t: -len(t.vi)):
            item = item.replace(term.vi, getattr(term, lang))
        return item


def load(root: Path, topic_ids: set[str], problems: list[Problem]) -> FaqI18n | None:
    start = len(problems)
    examples: dict[str, Examples] = {}
    for lang, relpath in EXAMPLE_FILES.items():
        loaded = load_model(root, relpath, Examples, problems)
        if loaded is None:
            continue
        for topic_id in sorted(topic_ids - set(loaded.topics)):
            problems.append(Problem(relpath, "topics", f"no phrasings for topic {topic_id!r}"))
        for topic_id, phrasings in loaded.topics.items():
            if topic_id not in topic_ids:
                problems.append(Problem(relpath, f"topics.{topic_id}", "unknown topic"))
            elif len([p for p in phrasings if p.strip()]) < MIN_EXAMPLES:
                message = f"fewer than {MIN_EXAMPLES} phrasings"
                problems.append(Problem(relpath, f"topics.{topic_id}", message))
        examples[lang] = loaded
    care = load_model(root, CARE_FILE, Care, problems)
    basis = load_model(root, BASIS_FILE, BasisTerms, problems)
    if len(problems) > start or care is None or basis is None:
        return None
    return FaqI18n(examples, care, tuple(basis.terms))
