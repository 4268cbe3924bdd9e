"""offices.yaml: schema, ward codes checked against the province, contacts per commune."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from content.catalog import check_content
from content.communes.legacy import district_communes
from content.communes.offices import contacts_for
from content.communes.official import province_wards
from content.source import PACKAGED_CONTENT_DIR


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(PACKAGED_CONTENT_DIR, root)
    return root


def test_packaged_offices_load_and_are_all_unconfirmed_seeds() -> None:
    content, problems = check_content()
    assert problems == []
    assert content is not None
    offices = content.offices.offices
    assert len(offices) == 28  # one per former district of Sóc Trăng (11), Cần Thơ (9), Hậu Giang (8)
    assert all(not o.confirmed and o.phone is None and o.source for o in offices)


def test_every_commune_has_an_office_of_its_former_district() -> None:
    content, _ = check_content()
    assert content is not None
    served = {code for office in content.offices.offices for code in office.communes}
    former = {code for codes in district_communes(92).values() for code in codes}
    assert former == served == {w.code for w in province_wards(92)}


def test_unknown_ward_code_is_a_problem(content_copy: Path) -> None:
    path = content_copy / "offices.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"31569"', '"99999"', 1), encoding="utf-8")
    content, problems = check_content(content_copy)
    assert content is None
    assert [(p.file, p.place) for p in problems] == [("offices.yaml", "offices.0.communes.0")]
    assert "unknown ward code '99999'" in problems[0].message


def test_ward_of_another_province_is_a_problem(content_copy: Path) -> None:
    path = content_copy / "offices.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"31569"', '"00070"', 1), encoding="utf-8")
    _, problems = check_content(content_copy)
    assert len(problems) == 1
    assert "not in the deployment's province 92" in problems[0].message


def test_schema_problems_are_reported(content_copy: Path) -> None:
    path = content_copy / "offices.yaml"
    text = path.read_text(encoding="utf-8").replace("    confirmed: false\n", "    phone: call us\n", 1)
    path.write_text(text, encoding="utf-8")
    _, problems = check_content(content_copy)
    assert [(p.file, p.place) for p in problems] == [("offices.yaml", "offices.0.phone")]


def test_contacts_of_a_commune() -> None:
    content, _ = check_content()
    assert content is not None
    contacts = contacts_for(content.offices, "31684", "vi")
    assert contacts[0].kind == "police"
    assert contacts[0].name == "Công an phường Mỹ Xuyên"
    banks = [c for c in contacts if c.kind == "bank_office"]
    assert {c.name for c in banks} == {
        "Phòng giao dịch NHCSXH thành phố Sóc Trăng (cũ)",
        "Phòng giao dịch NHCSXH huyện Mỹ Xuyên (cũ)",
    }
    assert all(not c.confirmed and c.phone is None for c in banks)
    english = contacts_for(content.offices, "31120", "en")  # Cái Khế took land of two districts
    assert [c.name for c in english] == [
        "Police of Phường Cái Khế",
        "VBSP transaction office, former Bình Thủy urban district",
        "VBSP transaction office, former Ninh Kiều urban district",
    ]
    assert contacts_for(content.offices, "99999", "vi") == []
