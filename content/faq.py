"""FAQ content: one file per topic, the shorthand table, the out-of-scope phrasings, the fallback texts.

Files (relative to the content folder):
- `faq/<topic_id>.yaml`: one topic (answer in vi/en/km, legal basis, confidence, example phrasings,
  related topics);
- `faq_texts.yaml`: the fallback ("I don't know, here is who does"), the "did you mean" prompt, labels;
- `shorthand.yaml`: chat shorthand and dialect words, token -> expansion (whole tokens only);
- `faq_out_of_scope.yaml`: phrasings of questions this service does not answer (other loans, ID cards,
  other legal procedures), so that near misses get the fallback instead of a wrong topic;
- `faq_questions/*.tsv`: questions people asked, with their topic (`content/faq_questions.py`);
- `faq_words.yaml`: the words that frame a question rather than say what it is about ("là gì", "làm
  sao"), which weigh little and never make a topic a candidate alone; and phrases in which shorthand is
  not expanded ("sổ hồng").

The topic ids in `REQUIRED_TOPIC_IDS` are a contract with the spec (`spec/faq-topics.md`): never rename or
drop them; a missing one is reported as a `Problem`.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from content import faq_questions
from content.localized import LANGS, Localized, ReviewMeta
from content.problems import Problem
from content.source import load_model, read_yaml, validate, yaml_files

FOLDER = "faq"
TEXTS_FILE = "faq_texts.yaml"
SHORTHAND_FILE = "shorthand.yaml"
OUT_OF_SCOPE_FILE = "faq_out_of_scope.yaml"
WORDS_FILE = "faq_words.yaml"

# The ids the spec requires (spec/faq-topics.md), in the spec's order.
REQUIRED_TOPIC_IDS: tuple[str, ...] = (
    "overview",
    "eligible_persons",
    "conditional_release",
    "suspended_sentence",
    "time_limit",
    "commune_list",
    "existing_debt",
    "purposes",
    "amount_person",
    "amount_training",
    "business_eligibility",
    "amount_business",
    "interest",
    "term",
    "collateral",
    "how_to_apply",
    "documents",
    "household_borrower",
    "where_to_apply",
    "still_in_prison",
    "repayment",
    "address_change",
    "privacy",
    "other_support",
    "criminal_record_effect",
    "refused_help",
    "bot_help",
    "talk_to_officer",
)

# Values an answer may insert with `{name}`; they come from the deployment (see `render`).
PLACEHOLDERS: frozenset[str] = frozenset(
    {"reach_a_person", "retention_months", "province_name"}
    # the menu buttons' names in the reader's language (bot/faq_answers.py), so an answer names only
    # buttons that exist
    | {f"button_{item}" for item in ("ask", "check", "docs", "where", "officer", "data")}
)

Confidence = Literal["high", "medium", "unconfirmed"]
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class FaqTopic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    meta: ReviewMeta = ReviewMeta()
    id: str = Field(pattern=_ID.pattern)
    # A short question, shown on buttons and in "did you mean" choices.
    title: Localized
    answer: Localized
    # Legal references, e.g. "Quyết định 22/2023/QĐ-TTg, Điều 6 khoản 1".
    basis: list[str] = Field(min_length=1)
    confidence: Confidence
    # How people type this question; the matcher learns from these.
    examples: list[str] = Field(min_length=5)
    # Follow-up topics, shown as buttons after the answer.
    related: list[str] = Field(default_factory=list, max_length=4)

    @field_validator("basis", "examples")
    @classmethod
    def _no_blank_items(cls, value: list[str]) -> list[str]:
        cleaned = [item.strip() for item in value]
        if any(not item for item in cleaned):
            raise ValueError("items must not be empty")
        return cleaned


class FaqTexts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    meta: ReviewMeta = ReviewMeta()
    # What the bot can do, said when a question fits no topic; the deployment's way to reach a
    # person is added after it.
    fallback: Localized
    choice_prompt: Localized
    basis_label: Localized
    unconfirmed_note: Localized


class Shorthand(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    expansions: dict[str, str]

    @field_validator("expansions")
    @classmethod
    def _single_tokens(cls, value: dict[str, str]) -> dict[str, str]:
        for key, expansion in value.items():
            if not key.strip() or len(key.split()) != 1:
                raise ValueError(f"key {key!r} must be one word")
            if not expansion.strip():
                raise ValueError(f"expansion of {key!r} must not be empty")
        return value


class OutOfScope(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    examples: list[str] = Field(min_length=1)


class Words(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Words that frame a question ("là", "gì", "làm sao", "có ... không"), written as lines of words.
    frame: list[str] = Field(min_length=1)
    # Phrases of two or more words in which the shorthand table is not applied.
    keep: list[str] = Field(default_factory=list)
    # Words (one or two) that say the asker is a business; without one, the business topics rank lower.
    business_words: list[str] = Field(default_factory=list)
    business_topics: list[str] = Field(default_factory=list)
    # Business topic -> its person's counterpart (documents / business_documents ...): the question's
    # business words decide which of the two goes first.
    business_pairs: dict[str, str] = Field(default_factory=dict)
    # Words (one or two) that say the asker is a business in every unmarked reading ("cong ty",
    # "nhan nguoi"); with one, a business topic goes before its person's counterpart.
    business_strong: list[str] = Field(default_factory=list)
    # Words (one or two) of everyday matters ("lương tối thiểu", "phim"): with one and no loan word
    # ("vay", "vốn"...), the question is out of scope whatever topic shares its other words.
    everyday_words: list[str] = Field(default_factory=list)
    loan_words: list[str] = Field(default_factory=list)

    @field_validator("everyday_words", "loan_words")
    @classmethod
    def _phrase(cls, value: list[str]) -> list[str]:
        return _words_each(value, 4, "a listed phrase is one to four words")

    @field_validator("business_words", "business_strong")
    @classmethod
    def _short(cls, value: list[str]) -> list[str]:
        return _words_each(value, 2, "a business word is one or two words")

    @field_validator("keep")
    @classmethod
    def _phrases(cls, value: list[str]) -> list[str]:
        for phrase in value:
            if len(phrase.split()) < 2:
                raise ValueError(f"{phrase!r}: a kept phrase has at least two words")
        return value


# An out-of-scope question people asked longer than this (words) shapes the out-of-scope label (naive
# Bayes) but is not compared one by one: a long story is rarely the question nearest another, and its
# many words cost the most to compare. Round 7, the learned sets held out in turn (all compared / 12):
# in scope 2,989 / 2,996 of 3,084, out of scope 1,006 / 997 of 1,028; 4,400 / 5,200 questions a second.
COMPARED_OUT_OF_SCOPE_WORDS = 12


def _compared_out_of_scope(label: str, text: str) -> bool:
    return label == faq_questions.OUT_OF_SCOPE and len(text.split()) <= COMPARED_OUT_OF_SCOPE_WORDS


@dataclass(frozen=True)
class Faq:
    topics: dict[str, FaqTopic]  # in file order (sorted by id)
    texts: FaqTexts
    shorthand: dict[str, str]
    out_of_scope: tuple[str, ...]
    frame_words: tuple[str, ...] = ()
    keep_phrases: tuple[str, ...] = ()
    business_words: tuple[str, ...] = ()
    business_topics: tuple[str, ...] = ()
    business_pairs: tuple[tuple[str, str], ...] = ()
    business_strong: tuple[str, ...] = ()
    everyday_words: tuple[str, ...] = ()
    loan_words: tuple[str, ...] = ()
    # Questions people asked: (topic id or "-", question), phrasings as the examples are.
    asked: tuple[tuple[str, str], ...] = ()

    def vietnamese_phrasings(self, out_of_scope_label: str) -> list[tuple[str, str]]:
        """The (label, text) pairs the Vietnamese matcher compares a question with one by one: the
        examples, the out-of-scope phrasings and the out-of-scope questions people asked (an
        out-of-scope question is answered by its nearest such phrasing)."""
        phrasings = [(t.id, e) for t in self.topics.values() for e in t.examples]
        phrasings += [(out_of_scope_label, e) for e in self.out_of_scope]
        phrasings += [
            (out_of_scope_label, text) for label, text in self.asked if _compared_out_of_scope(label, text)
        ]
        return phrasings

    def asked_shaping_only(self) -> list[tuple[str, str]]:
        """Questions people asked about a topic, and long out-of-scope ones: they shape their label (its
        centre, naive Bayes) but are not compared one by one, so scoring costs the same however many
        there are."""
        return [(label, text) for label, text in self.asked if not _compared_out_of_scope(label, text)]


def _words_each(value: list[str], most: int, rule: str) -> list[str]:
    """`value` when each phrase has one to `most` words, else a ValueError quoting the rule."""
    for phrase in value:
        if not 1 <= len(phrase.split()) <= most:
            raise ValueError(f"{phrase!r}: {rule}")
    return value


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _check_topic(relpath: str, topic: FaqTopic, problems: list[Problem]) -> None:
    stem = Path(relpath).stem
    if topic.id != stem:
        problems.append(Problem(relpath, "id", f"id {topic.id!r} differs from the file name {stem!r}"))
    for lang in LANGS:
        try:
            unknown = _placeholders(topic.answer.get(lang)) - PLACEHOLDERS
        except ValueError as err:
            problems.append(Problem(relpath, f"answer.{lang}", f"bad braces: {err}"))
            continue
        if unknown:
            names = ", ".join(sorted(unknown))
            problems.append(Problem(relpath, f"answer.{lang}", f"unknown placeholder(s): {names}"))


def load(root: Path, problems: list[Problem]) -> Faq | None:
    """Load and cross-check every FAQ file; each problem names its file and place."""
    start = len(problems)
    topics: dict[str, FaqTopic] = {}
    for relpath in yaml_files(root, FOLDER):
        data = read_yaml(root, relpath, problems)
        if data is None:
            if not (problems and problems[-1].file == relpath):
                problems.append(Problem(relpath, "", "file is empty"))
            continue
        topic = validate(FaqTopic, data, relpath, problems)
        if topic is None:
            continue
        _check_topic(relpath, topic, problems)
        if topic.id in topics:
            problems.append(Problem(relpath, "id", f"duplicate topic id {topic.id!r}"))
        topics[topic.id] = topic
    for topic_id in REQUIRED_TOPIC_IDS:
        if topic_id not in topics:
            problems.append(
                Problem(f"{FOLDER}/{topic_id}.yaml", "", f"required topic {topic_id!r} is missing")
            )
    for topic in topics.values():
        for index, other in enumerate(topic.related):
            place = f"related.{index}"
            if other not in topics:
                problems.append(Problem(f"{FOLDER}/{topic.id}.yaml", place, f"unknown topic {other!r}"))
            elif other == topic.id:
                problems.append(
                    Problem(f"{FOLDER}/{topic.id}.yaml", place, "a topic cannot relate to itself")
                )
    texts = load_model(root, TEXTS_FILE, FaqTexts, problems)
    shorthand = load_model(root, SHORTHAND_FILE, Shorthand, problems)
    out_of_scope = load_model(root, OUT_OF_SCOPE_FILE, OutOfScope, problems)
    words = load_model(root, WORDS_FILE, Words, problems)
    asked = faq_questions.load(root, set(topics), problems)
    for index, topic_id in enumerate(words.business_topics if words else []):
        if topic_id not in topics:
            problems.append(Problem(WORDS_FILE, f"business_topics.{index}", f"unknown topic {topic_id!r}"))
    for business, person in (words.business_pairs if words else {}).items():
        for topic_id in (business, person):
            if topic_id not in topics:
                problems.append(
                    Problem(WORDS_FILE, f"business_pairs.{business}", f"unknown topic {topic_id!r}")
                )
    if len(problems) > start or texts is None or shorthand is None or out_of_scope is None or words is None:
        return None
    return Faq(
        topics=topics,
        texts=texts,
        shorthand=dict(shorthand.expansions),
        out_of_scope=tuple(out_of_scope.examples),
        frame_words=tuple(word for line in words.frame for word in line.split()),
        keep_phrases=tuple(words.keep),
        business_words=tuple(words.business_words),
        business_topics=tuple(words.business_topics),
        business_pairs=tuple(words.business_pairs.items()),
        business_strong=tuple(words.business_strong),
        everyday_words=tuple(words.everyday_words),
        loan_words=tuple(words.loan_words),
        asked=asked,
    )


def render(text: str, values: dict[str, str]) -> str:
    """Fill `{placeholder}`s of an answer with deployment values (see `PLACEHOLDERS`)."""
    return text.format_map(values) if "{" in text else text
