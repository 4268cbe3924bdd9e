"""Communes and wards: the official 2025 list, old (pre-1/7/2025) addresses resolved to the new
communes, and the deployment's offices and contacts per commune.

Pure: imports nothing from `bot/` or `api/`.
"""

from content.communes.official import DEFAULT_PROVINCE, NewWard, province_wards, ward
from content.communes.resolver import Candidate, default_province, resolve

__all__ = [
    "DEFAULT_PROVINCE",
    "Candidate",
    "NewWard",
    "default_province",
    "province_wards",
    "resolve",
    "ward",
]
