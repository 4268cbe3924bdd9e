"""Reading content files: where they live, YAML parsing, and schema validation as `Problem`s."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from content.problems import Problem

PACKAGED_CONTENT_DIR = Path(__file__).parent / "data"
CONTENT_DIR_ENV = "BUOCMOI_CONTENT_DIR"

M = TypeVar("M", bound=BaseModel)


def content_dir() -> Path:
    """The content folder: `BUOCMOI_CONTENT_DIR` when a deployment sets it, else the packaged one."""
    override = os.environ.get(CONTENT_DIR_ENV)
    return Path(override) if override else PACKAGED_CONTENT_DIR


def read_yaml(root: Path, relpath: str, problems: list[Problem]) -> Any:
    """Parse one YAML file; on failure record a problem (with the line) and return None."""
    path = root / relpath
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        problems.append(Problem(relpath, "", "file is missing"))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.append(Problem(relpath, place, f"not valid YAML: {err.problem}"))
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as err:
        problems.append(Problem(relpath, "", f"cannot be read: {err}"))
    return None


def validate(model: type[M], data: Any, relpath: str, problems: list[Problem]) -> M | None:
    """Validate parsed YAML against a pydantic model; each error becomes a `Problem`."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        for error in err.errors():
            place = ".".join(str(part) for part in error["loc"])
            problems.append(Problem(relpath, place, error["msg"]))
        return None


def load_model(root: Path, relpath: str, model: type[M], problems: list[Problem]) -> M | None:
    data = read_yaml(root, relpath, problems)
    if data is None and problems and problems[-1].file == relpath:
        return None
    return validate(model, data, relpath, problems)


def yaml_files(root: Path, folder: str) -> list[str]:
    """Relative paths of the YAML files in one content sub-folder, sorted for stable reports."""
    base = root / folder
    if not base.is_dir():
        return []
    return sorted(str(p.relative_to(root)) for p in base.glob("*.yaml"))
