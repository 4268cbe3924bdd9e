"""Pre-eligibility screening (screening.md): the questionnaire and rules as data, one pure evaluator.

from content.catalog import get_content
from content.screening import evaluate
result = evaluate({"applicant": "person", ...}, None, get_content().screening)
result.to_json("vi")   # or InputError.to_json("vi") == {"error": "..."}
"""

from content.screening.answers import Answers, FieldError, InputError
from content.screening.evaluator import evaluate
from content.screening.result import ScreeningResult
from content.screening.schema import ScreeningContent, load

__all__ = ["Answers", "FieldError", "InputError", "ScreeningContent", "ScreeningResult", "evaluate", "load"]
