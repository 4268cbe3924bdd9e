"""The resolver: new names, old addresses, splits, the split-table mix-up, other provinces."""

from __future__ import annotations

import time

import pytest

from content.communes import Candidate, province_wards, resolve
from content.communes.legacy import old_wards


def codes(text: str, province: int | None = 92) -> list[str]:
    return [c.code for c in resolve(text, province)]


def test_official_list_of_can_tho_has_103_communes() -> None:
    wards = province_wards(92)
    assert len(wards) == 103  # decision-22-facts §8: 31 phường, 72 xã
    assert sum(w.kind == "Phường" for w in wards) == 31
    assert any(w.code == "31684" and w.name == "Phường Mỹ Xuyên" for w in wards)


@pytest.mark.parametrize(
    "text",
    ["Mỹ Xuyên", "my xuyen", "phuong my xuyen", "Phường Mỹ Xuyên", "P. Mỹ Xuyên", "  MỸ XUYÊN  "],
)
def test_new_name_with_or_without_diacritics(text: str) -> None:
    assert resolve(text) == [Candidate("31684", "Phường Mỹ Xuyên")]


@pytest.mark.parametrize("text", ["xa ke sach", "Xã Kế Sách", "x. ke sach", "Kế Sách"])
def test_new_commune_name(text: str) -> None:
    assert [c.name for c in resolve(text)] == ["Xã Kế Sách"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("xã Đại Tâm, Mỹ Xuyên", "Phường Mỹ Xuyên"),
        ("xa dai tam my xuyen soc trang", "Phường Mỹ Xuyên"),
        ("ấp 3, xã Đại Tâm, huyện Mỹ Xuyên, tỉnh Sóc Trăng", "Phường Mỹ Xuyên"),
        ("TT Huỳnh Hữu Nghĩa, H. Mỹ Tú", "Xã Mỹ Tú"),
        ("thi tran huynh huu nghia huyen my tu", "Xã Mỹ Tú"),
        ("P.5 TP Sóc Trăng", "Phường Sóc Trăng"),
        ("phuong 5 tp soc trang", "Phường Sóc Trăng"),
        ("P5, TP. Sóc Trăng", "Phường Sóc Trăng"),
        ("Phường 10, thành phố Sóc Trăng", "Phường Mỹ Xuyên"),
        ("Phường 1 TX Ngã Năm", "Phường Ngã Năm"),
        ("xã Lạc Hòa, thị xã Vĩnh Châu", "Phường Vĩnh Châu"),
        ("Phường V, TP Vị Thanh, Hậu Giang", "Phường Vị Tân"),
        ("phuong 5 vi thanh", "Phường Vị Tân"),
    ],
)
def test_old_address_resolves_to_its_new_commune(text: str, expected: str) -> None:
    assert [c.name for c in resolve(text)] == [expected]


# The eight former Sóc Trăng communes that vietnamadminunits lists as split, with a bogus second
# target of the same name in old Cần Thơ or Hậu Giang (engineering-notes.md, field data warning).
EIGHT = [
    ("xã Phú Tân, huyện Châu Thành, tỉnh Sóc Trăng", "Xã Thuận Hòa"),
    ("xã Thuận Hưng, huyện Mỹ Tú, Sóc Trăng", "Xã Mỹ Hương"),
    ("xã Long Phú, huyện Long Phú", "Xã Long Phú"),
    ("xa phu huu long phu soc trang", "Xã Trường Khánh"),
    ("xã Tân Thạnh, H. Long Phú", "Xã Tân Thạnh"),
    ("xã Thạnh Quới, huyện Mỹ Xuyên", "Xã Gia Hòa"),
    ("xa long binh thi xa nga nam", "Xã Tân Long"),
    ("xã Tân Long, TX Ngã Năm, Sóc Trăng", "Xã Tân Long"),
]


@pytest.mark.parametrize(("text", "expected"), EIGHT)
def test_soc_trang_false_splits_resolve_to_one_nearby_commune(text: str, expected: str) -> None:
    assert [c.name for c in resolve(text)] == [expected]


def test_false_splits_are_rejected_in_the_data() -> None:
    keys = {
        "tinhsoctrang_huyenchauthanh_xaphutan": "31582",
        "tinhsoctrang_huyenmytu_xathuanhung": "31591",
        "tinhsoctrang_huyenlongphu_xalongphu": "31639",
        "tinhsoctrang_huyenlongphu_xaphuhuu": "31654",
        "tinhsoctrang_huyenlongphu_xatanthanh": "31666",
        "tinhsoctrang_huyenmyxuyen_xathanhquoi": "31726",
        "tinhsoctrang_thixanganam_xalongbinh": "31741",
        "tinhsoctrang_thixanganam_xatanlong": "31741",
    }
    found = {w.key: w.targets for w in old_wards(92) if w.key in keys}
    assert found == {key: (code,) for key, code in keys.items()}


def test_genuine_split_returns_every_part() -> None:
    # Phường Bùi Hữu Nghĩa (quận Bình Thủy, Cần Thơ) went partly to Bình Thủy, partly to Cái Khế.
    assert [c.name for c in resolve("phường Bùi Hữu Nghĩa, quận Bình Thủy")] == [
        "Phường Bình Thủy",
        "Phường Cái Khế",
    ]
    assert set(codes("phuong thot not q thot not can tho")) == {"31207", "31212"}
    splits = [w for w in old_wards(92) if w.split]
    assert splits and all(w.district.province.key == "thanhphocantho" for w in splits)


def test_same_name_in_several_places_gives_several_candidates() -> None:
    names = [c.name for c in resolve("Phường 1")]
    assert {"Phường Phú Lợi", "Phường Ngã Năm", "Phường Vĩnh Châu", "Phường Vị Thanh"} <= set(names)
    assert len(resolve("xã Phú Tân, Châu Thành")) == 2  # Sóc Trăng's and Hậu Giang's


def test_typed_accents_choose_between_names_that_fold_alike() -> None:
    assert "Phường Đại Thành" in [c.name for c in resolve("tan thanh")]
    assert "Phường Đại Thành" not in [c.name for c in resolve("Tân Thạnh")]


@pytest.mark.parametrize("text", ["", "   ", "abc xyz", "nguyen van a", "huyện Mỹ Xuyên", "5", "v", "Hà Nội"])
def test_nothing_fits(text: str) -> None:
    assert resolve(text) == []


def test_another_province_named_is_searched_there() -> None:
    assert [c.name for c in resolve("Hà Nội Hoàn Kiếm")] == ["Phường Hoàn Kiếm"]
    assert [c.name for c in resolve("phường Hàng Bạc, quận Hoàn Kiếm, TP Hà Nội")] == ["Phường Hoàn Kiếm"]
    assert resolve("Hoàn Kiếm") == []  # not in Cần Thơ, and no other province named


def test_deployment_province_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUOCMOI_PROVINCE", "1")
    assert [c.name for c in resolve("hoan kiem")] == ["Phường Hoàn Kiếm"]
    monkeypatch.delenv("BUOCMOI_PROVINCE")
    assert resolve("hoan kiem") == []


def test_official_code_typed_as_is() -> None:
    assert resolve("31684") == [Candidate("31684", "Phường Mỹ Xuyên")]
    assert resolve("00070") == []  # Hà Nội, not the deployment's province


def test_resolving_is_fast() -> None:
    texts = [text for text, _ in EIGHT] + ["Mỹ Xuyên", "P.5 TP Sóc Trăng", "abc xyz", "Hà Nội Hoàn Kiếm"]
    for text in texts:
        resolve(text)  # indexes built once
    start = time.perf_counter()
    for _ in range(10):
        for text in texts:
            resolve(text)
    per_query = (time.perf_counter() - start) / (10 * len(texts))
    assert per_query < 0.005


def test_every_old_commune_of_the_province_resolves_to_its_new_communes() -> None:
    for old in old_wards(92):
        text = f"{old.name}, {old.district.name}, {old.district.province.name}"
        assert tuple(codes(text)) == old.targets, text


def test_every_new_commune_is_found_by_its_name() -> None:
    for new in province_wards(92):
        assert codes(new.name)[0] == new.code, new.name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("phường Bến Nghé, Q.1, TP.HCM", "Phường Sài Gòn"),
        ("P. Bến Nghé Q1 tphcm", "Phường Sài Gòn"),
        ("Xã Ea H'leo, Huyện Ea H'leo, Tỉnh Đắk Lắk", "Xã Ea H’leo"),
    ],
)
def test_addresses_elsewhere(text: str, expected: str) -> None:
    assert [c.name for c in resolve(text)] == [expected]
