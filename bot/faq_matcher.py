"""Find the FAQ topic a question is about, or admit that there is none.

Built once from the content (every topic's example phrasings plus the out-of-scope phrasings):

1. Each phrasing is normalised (`TextNormalizer`) into tokens; its features are the tokens and the
   pairs of adjacent tokens ("lai suat", "the chap", "bao lau"), since Vietnamese words are often two
   syllables.
2. A feature's weight is its IDF over labels, where the number of labels having it is the perplexity
   of its spread (entropy weighting): a word found in every topic ("vay") weighs almost nothing, a word
   found in one topic ("an treo") weighs most, and one stray use in another topic barely counts.
   Question-frame features ("la gi", "lam sao", "co ... khong"; `faq_words.yaml`) weigh less.
3. A question is scored against every phrasing by weighted cosine similarity (over a sparse
   features x phrasings table: a question touches only the rows of its own features); a topic's
   score mixes its best phrasing and the topic as a whole.
   The out-of-scope label scores by its best phrasing alone: those phrasings have no common centre.
   Words of the question that no phrasing contains still count in the question's length, so a
   question about something else ("vay mua nhà") scores low.
4. A topic is a candidate only when it shares a feature that is not a question frame with the
   question, so "cách làm bánh bông lan" is not offered "how to apply" for sharing "cách làm".
5. Typos: a word that is not in the vocabulary is corrected to the closest vocabulary word with
   rapidfuzz (or split in two when it is two words run together, "laisuat"); corrections are cached.
6. A second, learned view: a multinomial naive Bayes model over the same features (smoothing
   `nb_alpha`), trained on every phrasing with its label, out of scope included. Nearest-phrasing
   cosine rewards the one phrasing sharing the question's words; the per-label model sees what a
   topic's phrasings share ("xưởng", "công ty", "quán" across the business topics). Its posterior
   (softmax of the log-likelihoods divided by `nb_temperature`) is mixed into the score topics are
   *ranked* by (`nb_share`); whether to answer at all stays on the cosine. (Optional, off:
   character trigrams of each word as low-weight features, `char_weight`.) A question naming no
   business word (`faq_words.yaml` business_words: xưởng, quán, công ty…) ranks the business topics
   lower (`business_factor`): a person's question is otherwise taken by a business phrasing sharing
   every other word. Paired topics (`business_pairs`: business_documents / documents...) are then put
   in order outright: with no business word the person's goes first; with a clear one
   (`business_strong`: "cong ty", "nhan nguoi", "chu quan", never an unmarked homograph such as
   "quan" quán/quận) or two business words at once, the business one.
7. Decision: the best topic is answered when its cosine score is high and it is clearly ahead of the
   second in the ranking; with a lower or tied score the person is asked "did you mean" (up to three
   topics); below that, or when the out-of-scope phrasings fit at least as well, the fallback is
   given. The fallback is given too when naive Bayes finds the out-of-scope label likely
   (`nb_out_of_scope`) and its best phrasing is close (`nb_out_of_scope_margin`). The floor below
   which the fallback is given falls as 1/sqrt(features) past `length_ref` features: a long story
   around a question lowers every cosine without making the question any less in scope. For the same
   reason the naive Bayes temperature grows with the length past `length_ref` (`nb_length_power`):
   each feature adds its log-likelihood, and a story's words alone made the posterior near certain.
8. Everyday matters (`faq_words.yaml` everyday_words: "lương tối thiểu", "phim", "thăm nuôi") in a
   question that names no loan word (loan_words: "vay", "vốn", "hồ sơ") get the fallback, whatever
   topic shares the question's other words. Conversely, when the question says a loan word that the
   best out-of-scope phrasing lacks, that phrasing weighs less (`loan_factor`): "án tích chưa xóa vay
   được không" asks about the loan, not about "thủ tục xóa án tích".
Tuning: `scripts/faq_crossval.py` scores every phrasing with a matcher built without it (ten folds),
unseen-like data at scale, so thresholds need not be tuned on the held-out sets.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal, Protocol

from rapidfuzz import fuzz, process

from bot.text_normalizer import TextNormalizer, simple_tokens
from bot.understanding import telex
from bot.understanding.lang import LATIN_CHAT_WORDS, is_syllable
from content.faq import Faq

Kind = Literal["answer", "choice", "fallback"]
OUT_OF_SCOPE = "-"  # label of the out-of-scope phrasings
COMMON_FEATURES = 4  # features whose phrasing sums are precomputed for every combination


@dataclass(frozen=True)
class Match:
    kind: Kind
    topic: str | None  # the answered topic, or the first choice; None for the fallback
    score: int  # 0..100
    suggestions: tuple[str, ...] = ()  # choices in order (kind "choice"); empty otherwise
    lang: str = "vi"  # the language the question was read in (bot/understanding)


class Normalizer(Protocol):
    def tokens(self, text: str) -> list[str]: ...


@dataclass(frozen=True)
class Thresholds:
    answer: float = 0.5  # best score needed to answer without asking
    margin: float = 0.1  # ... and how far ahead of the second topic it must be
    choice: float = 0.19  # below this: fallback
    out_of_scope_margin: float = 0.0  # out-of-scope phrasings this close to the best: fallback
    window: float = 0.12  # other topics within this distance of the best are offered too
    max_choices: int = 3
    centroid_share: float = 0.5  # share of the topic-as-a-whole score beside the best phrasing's
    idf_smoothing: float = 1.0  # IDF = log(smoothing + labels / labels with the feature)
    bigram_weight: float = 1.0  # weight of a word pair relative to its IDF
    unknown_weight: float = 1.0  # weight of an unknown word, relative to the highest IDF
    typo_cutoff: float = 84.0  # rapidfuzz ratio needed to correct a word
    typo_min_length: int = 5  # shorter words are too often other real words
    entropy: bool = True  # a feature's spread over labels by entropy (else: how many labels have it)
    frame_weight: float = 0.5  # weight of question-frame features ("la gi", "lam sao") beside their IDF
    nb_share: float = 0.25  # share of the naive Bayes posterior in a label's score
    nb_alpha: float = 0.1  # naive Bayes additive smoothing
    nb_temperature: float = 6.0  # the posterior is a softmax of log-likelihoods divided by this
    nb_idf: bool = False  # each feature's log-likelihood weighted by its IDF (tried: worse)
    nb_out_of_scope: float = 0.2  # fallback when the out-of-scope posterior is this high ...
    nb_out_of_scope_margin: float = 0.1  # ... and its cosine this close to the best topic's
    # ... and the other way round: an out-of-scope phrasing only just ahead of the best topic does not
    # win when naive Bayes all but rules out "out of scope" (posterior below this; 0 = off)
    nb_in_scope: float = 0.03
    nb_in_scope_margin: float = 0.2
    business_factor: float = 0.8  # ranking factor of the business topics when no business word is said
    char_weight: float = 0.0  # weight of a word's character trigrams ("<gi", "gia"...) beside their IDF
    length_ref: int = 20  # questions with more features than this: the choice floor falls as 1/sqrt
    loan_factor: float = 0.85  # out-of-scope score factor: the question says a loan word its phrasing lacks
    nb_length_power: float = 0.85  # past length_ref features the NB temperature grows as (size/ref)**this


def char_grams(tokens: Sequence[str], n: int = 3) -> list[str]:
    """Character n-grams of each word padded with "<" and ">", e.g. "<gi" "gia" "iay" "ay>" for "giay":
    a misspelt or run-together word still shares most of them with the right one."""
    seen: dict[str, None] = {}
    for token in tokens:
        if token.isdigit():
            continue
        padded = f"<{token}>"
        for i in range(len(padded) - n + 1):
            seen["~" + padded[i : i + n]] = None
    return list(seen)


def _as_phrase(text: str) -> str:
    """Folded words between spaces, numbers as "#" ("lớp 1" -> " lop # "), for phrase search."""
    return " " + " ".join("#" if w.isdigit() else w for w in simple_tokens(text)) + " "


def _joined(tokens: Sequence[str]) -> str:
    """A question's tokens (already folded) as `_as_phrase` writes a listed phrase."""
    return " " + " ".join("#" if t.isdigit() else t for t in tokens) + " "


def features_of(tokens: Sequence[str]) -> list[str]:
    """Words and adjacent word pairs, without repeats, in order. A number is not a feature by itself;
    in pairs it becomes "#", so "6 nam" and "8 nam" share the pair "# nam"."""
    seen: dict[str, None] = dict.fromkeys(token for token in tokens if not token.isdigit())
    generic = ["#" if token.isdigit() else token for token in tokens]
    for first, second in pairwise(generic):
        seen[f"{first} {second}"] = None
    return list(seen)


class FaqMatcher:
    """Matches questions to topics. Build once (`from_faq`), then call `match` for each question."""

    def __init__(
        self,
        phrasings: Iterable[tuple[str, str]],
        shorthand: dict[str, str],
        thresholds: Thresholds | None = None,
        frame_words: Iterable[str] = (),
        keep_phrases: Iterable[str] = (),
        normalizer: Normalizer | None = None,
        business_words: Iterable[str] = (),
        business_topics: Iterable[str] = (),
        business_pairs: Iterable[tuple[str, str]] = (),
        business_strong: Iterable[str] = (),
        everyday_words: Iterable[str] = (),
        loan_words: Iterable[str] = (),
        label_only: Iterable[tuple[str, str]] = (),
        telex: bool = False,
    ) -> None:
        """`label_only`: phrasings that shape their label (its centre, naive Bayes, the weights) but
        are not compared one by one, so that scoring costs the same however many there are (the
        questions people asked, `content/faq_questions.py`)."""
        self.thresholds = thresholds or Thresholds()
        self.normalizer = TextNormalizer(shorthand, keep_phrases)
        self._telex = telex  # unknown words read as Telex without the keyboard (Vietnamese only)
        # Another language's tokens (English, Khmer syllable pairs: bot/understanding) when given.
        self.tokenizer: Normalizer = normalizer or self.normalizer
        self.frame_words = frozenset(w for text in frame_words for w in simple_tokens(text))
        rows = sorted(
            ((label, self._interned(text)) for label, text in phrasings),
            key=lambda row: row[0],
        )
        rows = [(label, tokens) for label, tokens in rows if tokens]
        matched = len(rows)  # columns [0, matched) are compared one by one; the rest only shape labels
        known = {label for label, _ in rows}
        rows += [
            (label, tokens)
            for label, tokens in ((label, self._interned(text)) for label, text in label_only)
            if tokens and label in known
        ]
        self.labels: list[str] = []
        starts: list[int] = []
        for index, (label, _) in enumerate(rows[:matched]):
            if not self.labels or self.labels[-1] != label:
                self.labels.append(label)
                starts.append(index)
        self._starts = starts
        self._out_of_scope = self.labels.index(OUT_OF_SCOPE) if OUT_OF_SCOPE in self.labels else None
        # Business words as features ("xuong", "cong ty"); empty for the other languages.
        self._business_words = frozenset(" ".join(simple_tokens(w)) for w in business_words)
        wanted = set(business_topics)
        self._business_labels = [n for n, label in enumerate(self.labels) if label in wanted]
        if not self._business_words:
            self._business_labels = []
        self._business_strong = frozenset(" ".join(simple_tokens(w)) for w in business_strong)
        # Everyday matters ("luong toi thieu", "phim") and loan words ("vay"), as " word word " to
        # find in a question's folded words (numbers as "#"): see `match`.
        self._everyday = tuple(_as_phrase(w) for w in everyday_words)
        self._loan_words = tuple(_as_phrase(w) for w in loan_words)
        label_index = {label: n for n, label in enumerate(self.labels)}
        self._business_pairs = [
            (label_index[b], label_index[p])
            for b, p in business_pairs
            if b in label_index and p in label_index
        ]

        # Interned: the same feature ("vay duoc") made once per phrasing would be tens of thousands
        # of equal strings alive at once while the matcher is built.
        example_features = [[sys.intern(f) for f in self._features(tokens)] for _, tokens in rows]
        # A word pair that one question people asked says, and nothing else, tells nothing about
        # other questions: left out, it costs no feature in every table (memory; same accuracy).
        said_by = Counter(feat for feats in example_features for feat in feats if " " in feat)
        for column in range(matched, len(rows)):
            example_features[column] = [
                feat for feat in example_features[column] if " " not in feat or said_by[feat] > 1
            ]
        del said_by
        # Which out-of-scope phrasings say a loan word ("vay tien mua dat" does, "thu tuc xoa an tich"
        # does not): see `match`.
        self._says_loan = [self._says(self._loan_words, tokens) for _, tokens in rows]
        self.vocabulary: frozenset[str] = frozenset(t for _, tokens in rows for t in tokens)
        self._vocab_list = sorted(self.vocabulary)
        # How often each feature occurs in each label's phrasings, as a share of that label's phrasings.
        label_sizes: dict[str, int] = {}
        for label, _ in rows:
            label_sizes[label] = label_sizes.get(label, 0) + 1
        counts: dict[str, dict[str, int]] = {}
        for (label, _), feats in zip(rows, example_features, strict=True):
            for feat in feats:
                owners = counts.setdefault(feat, {})
                owners[label] = owners.get(label, 0) + 1
        n_classes = len(self.labels)
        self._feature_index: dict[str, int] = {}
        weights: list[float] = []
        for feat, owners in counts.items():
            idf = math.log(self.thresholds.idf_smoothing + n_classes / self._spread(owners, label_sizes))
            if " " in feat:
                idf *= self.thresholds.bigram_weight
            if feat.startswith("~"):
                idf *= self.thresholds.char_weight
            elif self._is_frame_feature(feat):
                idf *= self.thresholds.frame_weight
            self._feature_index[feat] = len(weights)
            weights.append(idf)
        self._weights = weights
        self._is_frame = [
            self._is_frame_feature(feat) or feat.startswith("~") for feat in self._feature_index
        ]
        max_idf = math.log(self.thresholds.idf_smoothing + n_classes)
        self._unknown_word = self.thresholds.unknown_weight * max_idf
        self._unknown_pair = self.thresholds.unknown_weight * max_idf * self.thresholds.bigram_weight * 0.5

        # features x phrasings, each phrasing's column scaled to unit length, kept sparse by feature
        # row: of its ~2.8 million cells about 13 thousand are not zero.
        # Each label's phrasings, as the span [start, end) of their columns.
        self._spans = list(zip(starts, [*starts[1:], matched], strict=True))
        label_of = [0] * len(rows)
        for number, (start, end) in enumerate(self._spans):
            label_of[start:end] = [number] * (end - start)
        label_index_of = {label: n for n, label in enumerate(self.labels)}
        for column in range(matched, len(rows)):
            label_of[column] = label_index_of[rows[column][0]]
        # Only the phrasings compared one by one get cells; the questions that only shape their label
        # are added to the label sums below (their cells cost about 10 MB at start).
        row_cells: list[dict[int, float]] = [{} for _ in weights]
        for column, feats in enumerate(example_features[:matched]):
            for position, value in self._unit_cells(feats):
                row_cells[position][column] = value
        # (No tuple copy of row_cells: building one cost several MB at start that a long-running
        # service never gives back.)
        # The same rows with each cell already multiplied by its feature's weight (a question weighs
        # a feature by its IDF too): scoring adds these, the hot loop of `match`.
        # Kept flat, (column, value, column, value, ...) with int columns and float values (hence Any):
        # a tuple per cell would cost 56 bytes more each, about 3 MB of the service's memory; read
        # back pairwise with zip(it, it).
        self._weighted_rows: list[tuple[Any, ...]] = [
            tuple(x for column, value in row.items() for x in (column, weight * value))
            for weight, row in zip(weights, row_cells, strict=True)
        ]
        # The few most common features ("vay", "duoc", "khong", "co") hold about half the cells a
        # question touches: their sums for every combination are kept, and scoring starts from one.
        common = sorted(range(len(weights)), key=lambda i: -len(row_cells[i]))[:COMMON_FEATURES]
        self._common_bit = {position: 1 << bit for bit, position in enumerate(common)}
        self._common_sums: list[list[float]] = []
        for mask in range(1 << len(common)):
            sums_row = [0.0] * matched
            for bit, position in enumerate(common):
                if mask & (1 << bit):
                    flat = iter(self._weighted_rows[position])
                    for column, value in zip(flat, flat, strict=False):
                        sums_row[column] += value
            self._common_sums.append(sums_row)
        self._phrasings = len(rows)  # all that were learned from, label_only included
        # features x labels: each label's phrasings summed, scaled to unit length (sparse rows too).
        sums: list[dict[int, float]] = [{} for _ in weights]
        for position, row in enumerate(row_cells):
            for column, value in row.items():
                owner = label_of[column]
                sums[position][owner] = sums[position].get(owner, 0.0) + value
            row_cells[position] = {}  # freed as it goes: the start's peak is what serve keeps
        for column in range(matched, len(rows)):
            owner = label_of[column]
            for position, value in self._unit_cells(example_features[column]):
                sums[position][owner] = sums[position].get(owner, 0.0) + value
        del example_features  # its memory goes to what follows (the start's peak is what serve keeps)
        label_norm = [0.0] * len(self.labels)
        for label_sums in sums:
            for owner, value in label_sums.items():
                label_norm[owner] += value * value
        # Each label's centroid, already weighted and flat like the rows; the sums freed as it goes.
        norms = [math.sqrt(norm) for norm in label_norm]
        self._weighted_centroids: list[tuple[Any, ...]] = []
        for position, (weight, label_sums) in enumerate(zip(weights, sums, strict=True)):
            self._weighted_centroids.append(
                tuple(
                    x for owner, value in label_sums.items() for x in (owner, weight * (value / norms[owner]))
                )
            )
            sums[position] = {}
        del sums
        self._corrections: dict[str, tuple[str, ...]] = {}
        # Multinomial naive Bayes over the same features: a per-label model of what a label's
        # phrasings share, where nearest-phrasing cosine rewards one phrasing's exact words.
        alpha = self.thresholds.nb_alpha
        totals = [0.0] * n_classes
        for owners in counts.values():
            for label, count in owners.items():
                totals[self.labels.index(label)] += count
        vocab = len(counts)
        self._nb_default = [-math.log(t + alpha * vocab) + math.log(alpha) for t in totals]
        label_number = {label: n for n, label in enumerate(self.labels)}
        # Flat (label, log-likelihood, label, ...) per feature, as the weighted rows (memory).
        self._nb_rows: list[tuple[Any, ...]] = [()] * len(weights)
        for feat, owners in counts.items():
            position = self._feature_index[feat]
            self._nb_rows[position] = tuple(
                x
                for label, count in owners.items()
                for x in (label_number[label], math.log(count + alpha) - math.log(alpha))
            )

    def _unit_cells(self, feats: list[str]) -> list[tuple[int, float]]:
        """One phrasing's (feature, value) cells, its weighted vector scaled to unit length."""
        idx = [self._feature_index[f] for f in feats]
        length = math.sqrt(sum(self._weights[i] ** 2 for i in idx))
        return [(position, self._weights[position] / length) for position in idx]

    def _interned(self, text: str) -> list[str]:
        """A phrasing's tokens, each word held once however many phrasings say it (memory at start)."""
        return [sys.intern(token) for token in self.tokenizer.tokens(text)]

    def _nb_posterior(self, idx: list[int]) -> list[float]:
        use_idf = self.thresholds.nb_idf
        scale = sum(self._weights[p] for p in idx) if use_idf else float(len(idx))
        # Every feature adds w * default to every label: added once, as scale * default.
        loglik = [scale * default for default in self._nb_default]
        for position in idx:
            w = self._weights[position] if use_idf else 1.0
            flat = iter(self._nb_rows[position])
            for label, extra in zip(flat, flat, strict=False):
                loglik[label] += w * extra
        t = self.thresholds.nb_temperature * max(scale, 1e-9) / max(len(idx), 1)
        # Each feature adds its log-likelihood, so a long story makes the posterior near certain on
        # story words ("ra trai", "giay") alone: past length_ref the temperature grows with the length.
        ref = self.thresholds.length_ref
        if self.thresholds.nb_length_power and ref and len(idx) > ref:
            t *= (len(idx) / ref) ** self.thresholds.nb_length_power
        top = max(loglik)
        exps = [math.exp((v - top) / t) for v in loglik]
        total = sum(exps)
        return [e / total for e in exps]

    def _features(self, tokens: Sequence[str]) -> list[str]:
        if not self.thresholds.char_weight:
            return features_of(tokens)
        return features_of(tokens) + char_grams(tokens)

    def _is_frame_feature(self, feat: str) -> bool:
        return all(word in self.frame_words or word == "#" for word in feat.split())

    def _spread(self, owners: dict[str, int], label_sizes: dict[str, int]) -> float:
        """How many labels a feature belongs to: the plain count, or (entropy weighting) the
        perplexity of its distribution over labels, so that one stray use in a label barely counts."""
        if not self.thresholds.entropy:
            return float(len(owners))
        shares = [count / label_sizes[label] for label, count in owners.items()]
        total = sum(shares)
        entropy = -sum(s / total * math.log(s / total) for s in shares)
        return math.exp(entropy)

    @property
    def phrasing_count(self) -> int:
        return self._phrasings

    @classmethod
    def from_faq(
        cls,
        faq: Faq,
        thresholds: Thresholds | None = None,
        *,
        phrasings: list[tuple[str, str]] | None = None,
        normalizer: Normalizer | None = None,
        label_only: list[tuple[str, str]] | None = None,
    ) -> FaqMatcher:
        """The Vietnamese matcher with the content's words (shorthand, question frames, business and
        everyday words); by default over all its phrasings, the asked questions shaping their topic."""
        return cls(
            faq.vietnamese_phrasings(OUT_OF_SCOPE) if phrasings is None else phrasings,
            faq.shorthand,
            thresholds,
            faq.frame_words,
            faq.keep_phrases,
            normalizer,
            business_words=faq.business_words,
            business_topics=faq.business_topics,
            business_pairs=faq.business_pairs,
            business_strong=faq.business_strong,
            everyday_words=faq.everyday_words,
            loan_words=faq.loan_words,
            label_only=faq.asked_shaping_only() if label_only is None else label_only,
            telex=True,
        )

    # --- typo tolerance -------------------------------------------------------------------------

    def _correct(self, token: str) -> tuple[str, ...]:
        known_word = token in self.vocabulary
        # A learned question typed in Telex ("giaasy towf gif") or run together ("laibn") put such
        # words in the vocabulary, where they weigh almost nothing: a known word that is no
        # Vietnamese syllable (nor a chat word like "max") is still read as Telex or split, when that
        # gives Vietnamese words.
        if token.isdigit() or (
            known_word and (not self._telex or is_syllable(token) or token in LATIN_CHAT_WORDS)
        ):
            return (token,)
        cached = self._corrections.get(token)
        if cached is not None:
            return cached
        result: tuple[str, ...] = (token,)
        readings = telex.readings(token) if self._telex else []
        known = [reading for reading in readings if reading in self.vocabulary]
        if known:
            result = (known[0],)
        elif known_word and len(token) >= self.thresholds.typo_min_length:
            split = self._split_long(token) or self._split_short(token)
            if split and all(is_syllable(word) for word in split):
                result = split
        elif len(token) >= self.thresholds.typo_min_length:
            # Two whole words run together first ("thechap"), then a typo ("suatt" is not "sua tt"),
            # then a word run together with a short word or a shorthand ("laibn").
            result = self._split_long(token) or self._typo(token) or self._split_short(token) or result
        if len(self._corrections) > 50_000:
            self._corrections.clear()
        self._corrections[token] = result
        return result

    def _typo(self, token: str) -> tuple[str, ...]:
        best = process.extractOne(
            token, self._vocab_list, scorer=fuzz.ratio, score_cutoff=self.thresholds.typo_cutoff
        )
        return (best[0],) if best is not None else ()

    def _split_long(self, token: str) -> tuple[str, ...]:
        """Two words of three letters or more run together ("thutuc"); empty if no cut gives them."""
        for cut in range(3, len(token) - 2):
            head, tail = token[:cut], token[cut:]
            if head in self.vocabulary and tail in self.vocabulary:
                return (head, tail)
        return ()

    def _split_short(self, token: str) -> tuple[str, ...]:
        """A word run together with a short word or a shorthand ("laibn": lãi bao nhiêu)."""
        for cut in range(2, len(token) - 1):
            head, tail = self._known(token[:cut]), self._known(token[cut:])
            if head and tail:
                return head + tail
        return ()

    def _known(self, part: str) -> tuple[str, ...]:
        if part in self.vocabulary:
            return (part,)
        words = self.normalizer.expansion(part)
        return words if words and all(word in self.vocabulary for word in words) else ()

    def tokens(self, text: str) -> list[str]:
        """The question's tokens as the matcher sees them (normalised, expanded, corrected)."""
        return self._corrected(self.tokenizer.tokens(text))

    def _corrected(self, tokens: list[str]) -> list[str]:
        out: list[str] = []
        for token in tokens:
            out.extend(self._correct(token))
        return out

    @staticmethod
    def _says(phrases: tuple[str, ...], tokens: Sequence[str]) -> bool:
        said = _joined(tokens)
        return any(phrase in said for phrase in phrases)

    def is_everyday(self, raw: list[str], tokens: list[str]) -> bool:
        """Whether the question names an everyday matter (`everyday_words`) and nothing of the loan
        (`loan_words`), read before and after typo correction (a rare word such as "tiktok" may be
        "corrected" into a topic's word)."""
        if not self._everyday:
            return False
        said = _joined(raw) + _joined(tokens)[1:]
        return not any(w in said for w in self._loan_words) and any(w in said for w in self._everyday)

    # --- scoring --------------------------------------------------------------------------------

    def scores(self, text: str) -> dict[str, float]:
        """Every label's score (0..1) for one question; for inspection and tuning."""
        scored = self._score(self.tokens(text))
        if scored is None:
            return dict.fromkeys(self.labels, 0.0)
        return {label: float(s) for label, s in zip(self.labels, scored.blended, strict=True)}

    def _score(self, tokens: list[str]) -> _Scores | None:
        idx: list[int] = []
        norm2 = 0.0
        unknown = 0
        for feat in self._features(tokens):
            position = self._feature_index.get(feat)
            if position is not None:
                idx.append(position)
                continue
            if feat.startswith("~"):
                norm2 += (self._unknown_word * self.thresholds.char_weight) ** 2
                continue
            unknown += 1
            if " " in feat:
                norm2 += self._unknown_pair**2
            else:
                norm2 += self._unknown_word**2
        if not idx:
            return None
        weights = [self._weights[i] for i in idx]
        norm = math.sqrt(norm2 + sum(w * w for w in weights))
        share = self.thresholds.centroid_share
        # Phrasings are stored label by label, so each label's best is the max of its span.
        common = 0
        centroid = [0.0] * len(self.labels)
        for position in idx:
            common |= self._common_bit.get(position, 0)
            flat = iter(self._weighted_centroids[position])
            for label, value in zip(flat, flat, strict=False):
                centroid[label] += value
        per_phrasing = self._common_sums[common].copy()
        for position in idx:
            if position not in self._common_bit:
                flat = iter(self._weighted_rows[position])
                for column, value in zip(flat, flat, strict=False):
                    per_phrasing[column] += value
        best_phrasing = [max(per_phrasing[start:end]) for start, end in self._spans]
        blended = [
            ((1.0 - share) * best + share * centre) / norm
            for best, centre in zip(best_phrasing, centroid, strict=True)
        ]
        if self._out_of_scope is not None:
            # The out-of-scope phrasings are unrelated to each other: their "centre" means nothing,
            # so that label scores by its best phrasing alone.
            blended[self._out_of_scope] = best_phrasing[self._out_of_scope] / norm
            factor = self.thresholds.loan_factor
            if factor != 1.0 and self._loan_words and self._says(self._loan_words, tokens):
                # The question adds the loan to an everyday matter ("án tích chưa xóa vay được
                # không" beside "thủ tục xóa án tích"): it asks about the loan in that situation.
                start, end = self._spans[self._out_of_scope]
                span = per_phrasing[start:end]
                if not self._says_loan[start + span.index(max(span))]:
                    blended[self._out_of_scope] *= factor
        ranking = blended
        oos_posterior = 0.0
        if self.thresholds.nb_share:
            posterior = self._nb_posterior(idx)
            nb = self.thresholds.nb_share
            ranking = [(1.0 - nb) * b + nb * p for b, p in zip(blended, posterior, strict=True)]
            if self._out_of_scope is not None:
                oos_posterior = posterior[self._out_of_scope]
        # A business topic is for a workshop, shop or company; a question naming none is a person's
        # own (the nearest phrasing may be a business one sharing every other word).
        said = features_of(tokens)
        no_business = self._business_words.isdisjoint(said)
        if self._business_labels and no_business:
            ranking = list(ranking)
            for label in self._business_labels:
                ranking[label] *= self.thresholds.business_factor
        # A label is a candidate only when it shares a feature that is not a question frame with the
        # question: "cách làm bánh bông lan" shares only "cách làm" with how_to_apply.
        evidence: set[int] = set()
        for position in idx:
            if not self._is_frame[position]:
                # The labels some phrasing of which has the feature: its centroid row's labels.
                evidence.update(self._weighted_centroids[position][0::2])
        # Paired topics (documents / business_documents): no business word, the person's goes first;
        # a clear business word ("cong ty", "nhan nguoi"), the business one. Unmarked homographs
        # ("quan" quán/quận) are only business words in business_words, which never decide a swap.
        if self._business_pairs:
            # Two business words at once ("xuong" and "tho") are rarely both homographs.
            strong = (
                not self._business_strong.isdisjoint(said)
                or len(self._business_words.intersection(said)) >= 2
            )
            if no_business or strong:
                ranking = list(ranking)
                for business, person in self._business_pairs:
                    if business in evidence and person in evidence:
                        high = max(ranking[business], ranking[person])
                        low = min(ranking[business], ranking[person])
                        first, second = (business, person) if strong else (person, business)
                        ranking[first], ranking[second] = high, low
        return _Scores(blended, evidence, ranking, len(idx) + unknown, oos_posterior)

    def match(self, text: str) -> Match:
        limits = self.thresholds
        raw = self.tokenizer.tokens(text)
        tokens = self._corrected(raw)
        if self.is_everyday(raw, tokens):
            # "lương tối thiểu vùng bao nhiêu" shares "tối thiểu", "bao nhiêu" with amount_person;
            # without a loan word the everyday matter is what is asked.
            return Match("fallback", None, 0)
        scored = self._score(tokens)
        if scored is None:
            return Match("fallback", None, 0)
        blended = scored.blended
        candidates = [i for i in range(len(blended)) if i != self._out_of_scope and i in scored.evidence]
        if not candidates:
            return Match("fallback", None, round(100 * min(max(blended), 1.0)))
        # Whether to answer at all is decided on the cosine score (calibrated against the
        # out-of-scope phrasings); which topic, on the ranking score.
        best = max(blended[i] for i in candidates)
        score = round(100 * min(best, 1.0))
        floor = limits.choice
        if limits.length_ref and scored.size > limits.length_ref:
            floor *= math.sqrt(limits.length_ref / scored.size)
        if best < floor:
            return Match("fallback", None, score)
        if (
            self._out_of_scope is not None
            and blended[self._out_of_scope] >= best - limits.out_of_scope_margin
        ):
            # One near out-of-scope phrasing ("vay mua bò trả góp") against a topic the whole model
            # prefers ("vay nuôi bò sinh sản"): the topic, when the lead is small.
            overruled = (
                scored.out_of_scope_posterior < limits.nb_in_scope
                and blended[self._out_of_scope] < best + limits.nb_in_scope_margin
            )
            if not overruled:
                return Match("fallback", None, score)
        if (
            self._out_of_scope is not None
            and scored.out_of_scope_posterior >= limits.nb_out_of_scope
            and blended[self._out_of_scope] >= best - limits.nb_out_of_scope_margin
        ):
            return Match("fallback", None, score)
        ranking = scored.ranking
        ranked = sorted(((self.labels[i], ranking[i]) for i in candidates), key=lambda pair: -pair[1])
        top_label, top = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if best >= limits.answer and top - second >= limits.margin:
            return Match("answer", top_label, score)
        choices = tuple(label for label, s in ranked[: limits.max_choices] if s >= top - limits.window)
        return Match("choice", top_label, score, choices or (top_label,))


@dataclass(frozen=True)
class _Scores:
    blended: list[float]  # per label: best phrasing and topic centre mixed (out of scope: best phrasing)
    evidence: set[int]  # labels sharing a feature that is not a question frame with the question
    ranking: list[float]  # per label: the score topics are ranked by (cosine and naive Bayes mixed)
    size: int  # the question's features, known or not
    out_of_scope_posterior: float  # the naive Bayes posterior of the out-of-scope label
