"""`buocmoi content check` for the FAQ: every spec topic in three languages with a basis."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from content.catalog import check_content, get_content
from content.faq import PLACEHOLDERS, REQUIRED_TOPIC_IDS, render
from content.source import PACKAGED_CONTENT_DIR
from tests.cli import run_script


def copy_content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(PACKAGED_CONTENT_DIR, root)
    return root


def test_packaged_content_has_every_spec_topic() -> None:
    content, problems = check_content()
    assert problems == []
    assert content is not None
    for topic_id in REQUIRED_TOPIC_IDS:
        topic = content.faq.topics[topic_id]
        assert topic.basis
        assert topic.answer.vi and topic.answer.en and topic.answer.km
        assert topic.meta.km_review == "pending"
        answer = render(
            topic.answer.vi,
            {
                "reach_a_person": content.deployment.reach_a_person.vi,
                "retention_months": "24",
                **{name: "Nút" for name in PLACEHOLDERS if name.startswith("button_")},
            },
        )
        assert 40 <= len(answer.split()) <= 130, topic_id
    for topic in content.faq.topics.values():
        assert set(topic.related) <= set(content.faq.topics)


def test_a_missing_topic_is_a_problem(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    (root / "faq" / "interest.yaml").unlink()
    content, problems = check_content(root)
    assert content is None
    assert any("interest" in p.message and "missing" in p.message for p in problems)


def test_a_missing_language_or_basis_is_a_problem(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "faq" / "term.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["answer"]["km"]
    data["basis"] = []
    data["related"] = ["no_such_topic"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, problems = check_content(root)
    places = {(p.file, p.place) for p in problems}
    assert ("faq/term.yaml", "answer.km") in places
    assert ("faq/term.yaml", "basis") in places


def test_unknown_related_topic_and_placeholder_are_problems(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "faq" / "term.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["related"] = ["no_such_topic"]
    data["answer"]["en"] += " {secret}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, problems = check_content(root)
    messages = [str(p) for p in problems]
    assert any("related.0" in m and "no_such_topic" in m for m in messages)
    assert any("answer.en" in m and "secret" in m for m in messages)


# The bot's public commands; /canbo (officers only) is never advertised to the public.
PUBLIC_COMMANDS = {"start", "menu", "huy", "ngonngu", "dulieu", "xoadulieu"}
_COMMAND = re.compile(r"(?<![\w/])/([a-z]+)\b")


def test_answers_mention_only_the_bots_public_commands() -> None:
    content, _ = check_content()
    assert content is not None
    mentioned: dict[str, set[str]] = {}
    for topic in content.faq.topics.values():
        for lang in ("vi", "en", "km"):
            for command in _COMMAND.findall(topic.answer.get(lang)):
                mentioned.setdefault(command, set()).add(f"{topic.id}.{lang}")
    unknown = {command: places for command, places in mentioned.items() if command not in PUBLIC_COMMANDS}
    assert unknown == {}
    assert {"dulieu", "xoadulieu"} <= set(mentioned)


def test_no_topic_phrasing_is_an_everyday_matter() -> None:
    # everyday_words (faq_words.yaml) send a question without a loan word to the fallback: no topic's
    # own phrasing may be such a question, or the rule would silence the topic.
    from bot.faq_answers import get_faq_service

    matcher = get_faq_service().matcher
    faq = get_faq_service().content.faq
    silenced = [
        (topic.id, example)
        for topic in faq.topics.values()
        for example in topic.examples
        if matcher.is_everyday(matcher.tokenizer.tokens(example), matcher.tokens(example))
    ]
    assert silenced == []
    assert faq.everyday_words and faq.loan_words


def test_questions_people_asked_are_loaded_and_checked(tmp_path: Path) -> None:
    """`faq_questions/*.tsv`: every line a question and a known topic (or "-"); a bad line is a
    problem naming its file and line, so a set with a typo in a label never teaches the matcher."""
    content, problems = check_content()
    assert problems == [] and content is not None
    asked = content.faq.asked
    assert len(asked) >= 900
    assert {label for label, _ in asked} <= set(content.faq.topics) | {"-"}
    root = copy_content(tmp_path)
    (root / "faq_questions" / "zz.tsv").write_text(
        "# a comment\nlai bao nhieu\tinterest\nvay o dau\tno_such_topic\nmissing a tab\n", encoding="utf-8"
    )
    content, problems = check_content(root)
    assert content is None
    places = {(p.file, p.place) for p in problems}
    assert ("faq_questions/zz.tsv", "line 3") in places and ("faq_questions/zz.tsv", "line 4") in places


def test_no_learned_question_is_also_an_evaluation_question() -> None:
    """The sets the matcher learns from share no question (as the matcher reads it) with the sets
    that measure it, so the evaluation sets stay unseen (scripts/faq_learned_overlap.py)."""
    done = run_script("scripts/faq_learned_overlap.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("total: 0")


def test_long_out_of_scope_questions_only_shape_their_label() -> None:
    """An out-of-scope question people asked is compared one by one only when short (speed: a long
    story is rarely anyone's nearest question); a longer one still shapes the label."""
    from content.faq import COMPARED_OUT_OF_SCOPE_WORDS

    faq = get_content().faq
    compared = {text for label, text in faq.vietnamese_phrasings("-") if label == "-"}
    shaping = {text for label, text in faq.asked_shaping_only() if label == "-"}
    assert shaping and not compared & shaping
    assert all(len(text.split()) > COMPARED_OUT_OF_SCOPE_WORDS for text in shaping)
    asked_out = [text for label, text in faq.asked if label == "-"]
    assert len(asked_out) == len([t for t in asked_out if t in compared or t in shaping])
