import shutil
from pathlib import Path

import pytest

from content.catalog import check_content, get_content
from content.problems import ContentError
from content.source import PACKAGED_CONTENT_DIR
from tests.cli import run_cli


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(PACKAGED_CONTENT_DIR, target)
    return target


def test_packaged_content_is_whole() -> None:
    content, problems = check_content()
    assert problems == []
    assert content is not None
    assert content.deployment.province_code == 92
    result = run_cli("content", "check")
    assert result.returncode == 0, result.stderr


def test_missing_field_is_reported_with_file_and_field(content_copy: Path) -> None:
    path = content_copy / "deployment.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  km: ទីក្រុងកានថើ\n", ""), encoding="utf-8")
    _, problems = check_content(content_copy)
    assert [(p.file, p.place) for p in problems] == [("deployment.yaml", "province_name.km")]
    result = run_cli("content", "check", env={"BUOCMOI_CONTENT_DIR": str(content_copy)})
    assert result.returncode == 1
    assert "deployment.yaml: province_name.km: Field required" in result.stderr


def test_invalid_yaml_names_the_line(content_copy: Path) -> None:
    (content_copy / "deployment.yaml").write_text("province_code: [92\n", encoding="utf-8")
    _, problems = check_content(content_copy)
    assert problems[0].file == "deployment.yaml"
    assert problems[0].place.startswith("line ")
    with pytest.raises(ContentError) as err:
        get_content(content_copy)
    assert "deployment.yaml: line" in str(err.value)


def test_serve_refuses_to_start_on_broken_content(content_copy: Path, tmp_path: Path) -> None:
    path = content_copy / "deployment.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("retention_months: 24", "retention_months: -3"),
        encoding="utf-8",
    )
    result = run_cli(
        "serve",
        env={
            "BUOCMOI_CONTENT_DIR": str(content_copy),
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
            "BUOCMOI_PORT": "1",
        },
        timeout=30,
    )
    assert result.returncode == 1
    assert "refusing to start" in result.stderr
    assert "deployment.yaml: retention_months: Input should be greater than or equal to 1" in result.stderr
