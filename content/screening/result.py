"""A screening result and how it is shown: JSON for machines, one plain line for people."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from babel.numbers import format_decimal

from content.localized import Localized, parse_lang
from content.screening.ids import Outcome
from content.screening.schema import Cap, Rule, ScreeningContent


@dataclass(frozen=True)
class Money:
    """An amount in đồng; `per` is "month" for a monthly amount, else "loan"."""

    amount: int
    per: str = "loan"


Placeholder = str | int | date | Money


@dataclass(frozen=True)
class Finding:
    """One rule that applies, with the values its texts speak of."""

    rule: Rule
    values: Mapping[str, Placeholder] = field(default_factory=dict)


@dataclass(frozen=True)
class CapInfo:
    """The cap that applies, the caps it came from, and the values its texts speak of."""

    caps: tuple[Cap, ...]
    values: Mapping[str, Placeholder]


@dataclass(frozen=True)
class ScreeningResult:
    outcome: Outcome
    reasons: tuple[str, ...]
    notes: tuple[str, ...]
    max_amount: int | None
    max_amount_per: str | None
    as_of: date
    findings: tuple[Finding, ...]
    cap: CapInfo | None
    content: ScreeningContent = field(repr=False, compare=False)

    def explanations(self, lang: str, relative: bool = False) -> list[dict[str, str]]:
        """For each reason and note: the plain explanation, the legal basis, what would change it.
        `relative`: worded for a family member asking for the person (the content's `relative:`)."""
        items = []
        for finding in self.findings:
            rule = finding.rule
            values = self._values({**rule.params, **finding.values})
            explanation = rule.text("explanation", relative) or rule.explanation
            remedy = rule.text("remedy", relative) or rule.remedy
            text = _render(explanation, values, lang, self.content)
            caveat = rule.text("caveat", relative)
            if caveat is not None:
                text = f"{text} {_render(caveat, values, lang, self.content)}"
            items.append(
                {
                    "id": rule.id,
                    "kind": rule.kind,
                    "confidence": rule.confidence,
                    "text": text,
                    "basis": rule.basis.get(lang),
                    "remedy": _render(remedy, values, lang, self.content),
                }
            )
        return items

    def cap_explanation(self, lang: str) -> dict[str, str] | None:
        if self.cap is None:
            return None
        texts = [c.explanation for c in self.cap.caps if c.explanation is not None]
        texts += [c.caveat for c in self.cap.caps if c.caveat is not None]
        unsure = [c.confidence for c in self.cap.caps if c.confidence != "high"]
        return {
            "text": " ".join(_render(t, self.cap.values, lang, self.content) for t in texts),
            "basis": "; ".join(dict.fromkeys(c.basis.get(lang) for c in self.cap.caps)),
            "confidence": unsure[0] if unsure else "high",
        }

    def to_json(self, lang: str, relative: bool = False) -> dict[str, Any]:
        outcome = self.content.outcomes[self.outcome]
        return {
            "outcome": self.outcome,
            "reasons": list(self.reasons),
            "notes": list(self.notes),
            "max_amount": self.max_amount,
            "max_amount_per": self.max_amount_per,
            "as_of": self.as_of.isoformat(),
            "label": outcome.label.get(lang),
            "summary": outcome.summary_for(relative).get(lang),
            "explanations": self.explanations(lang, relative),
            "cap": self.cap_explanation(lang),
            "disclaimer": self.content.disclaimer.get(lang),
        }

    def to_text(self, lang: str) -> str:
        """The whole result in one line of plain words."""
        outcome = self.content.outcomes[self.outcome]
        parts = [f"{outcome.label.get(lang)}: {outcome.summary.get(lang)}"]
        for item in self.explanations(lang):
            parts.append(f"• {item['text']} ({item['basis']}) → {item['remedy']}")
        cap = self.cap_explanation(lang)
        if cap is not None:
            parts.append(f"• {cap['text']} ({cap['basis']})")
        parts.append(self.content.disclaimer.get(lang))
        return " ".join(" ".join(part.split()) for part in parts)

    def _values(self, values: Mapping[str, Placeholder]) -> dict[str, Placeholder]:
        merged: dict[str, Placeholder] = {"as_of": self.as_of}
        if self.max_amount is not None:
            merged["max_amount"] = Money(self.max_amount, self.max_amount_per or "loan")
        merged.update(values)
        return merged


def _render(text: Localized, values: Mapping[str, Placeholder], lang: str, content: ScreeningContent) -> str:
    shown = {key: show(value, lang, content) for key, value in values.items()}
    return text.get(lang).format_map(_Defaults(shown))


def show(value: Placeholder, lang: str, content: ScreeningContent) -> str:
    """A value as a person reads it in `lang`: grouped amounts with the currency, local dates."""
    lang = parse_lang(lang)
    if isinstance(value, Money):
        number = _grouped(value.amount, lang)
        template = content.money.month if value.per == "month" else content.money.loan
        return template.get(lang).format(amount=number)
    if isinstance(value, date):
        return value.isoformat() if lang == "en" else value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return _grouped(value, lang)
    return value


@lru_cache(maxsize=1024)
def _grouped(number: int, lang: str) -> str:
    # Babel looks the locale's number pattern up on every call; the amounts shown are few (caps
    # and limits from the content), so each is formatted once per language.
    return format_decimal(number, locale=lang)


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"
