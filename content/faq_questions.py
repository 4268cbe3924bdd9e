"""Questions people asked, with the topic that answers them: phrasings for the Vietnamese matcher.

`faq_questions/*.tsv` (relative to the content folder) hold sets of questions written by testers in
the users' ways of typing (no diacritics, Southern speech, shorthand, mothers asking for sons, long
stories, voice-to-text), each line `question<TAB>topic id`, `-` for a question the service does not
answer. Each set was first measured once as an unseen test set (its header says how) and then became
material the matcher learns from: the topic files' own `examples` say what a topic is; these say how
people actually ask (issue 17: phrasings alone, however many, left unseen questions ~8 points short).
"""

from __future__ import annotations

from pathlib import Path

from content.problems import Problem

FOLDER = "faq_questions"
OUT_OF_SCOPE = "-"
MAX_QUESTION = 600


def load(root: Path, topic_ids: set[str], problems: list[Problem]) -> tuple[tuple[str, str], ...]:
    """(label, question) pairs of every set, in file and line order; each bad line is a problem."""
    folder = root / FOLDER
    paths = sorted(folder.glob("*.tsv")) if folder.is_dir() else []
    return tuple(pair for path in paths for pair in load_set(path, topic_ids, problems))


def load_set(path: Path, topic_ids: set[str], problems: list[Problem]) -> list[tuple[str, str]]:
    """(label, question) pairs of one set file, in line order; each bad line is a problem."""
    asked: list[tuple[str, str]] = []
    relpath = f"{FOLDER}/{path.name}"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        place = f"line {number}"
        if len(parts) != 2 or not parts[0].strip():
            problems.append(Problem(relpath, place, "expected: question<TAB>topic id (or -)"))
            continue
        question, label = parts[0].strip(), parts[1].strip()
        if label != OUT_OF_SCOPE and label not in topic_ids:
            problems.append(Problem(relpath, place, f"unknown topic {label!r}"))
        elif len(question) > MAX_QUESTION:
            problems.append(Problem(relpath, place, f"question longer than {MAX_QUESTION} characters"))
        else:
            asked.append((label, question))
    return asked
