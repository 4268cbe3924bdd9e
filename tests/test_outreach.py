"""The outreach kit: `buocmoi outreach links` (CSV) and `buocmoi outreach posters` (one A4 PDF per
commune of the province, whose QR codes open the bot with the commune chosen), and the start link's
`c<code>` read by the engine (through `buocmoi chat`, the same engine as Telegram's)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import zxingcpp
from pypdf import PdfReader

from content.communes.official import province_wards
from tests.cli import run_cli
from tests.harness import COMMUNE_A

ENV = {
    "BUOCMOI_PROVINCE": "92",
    "BUOCMOI_BOT_USERNAME": "buocmoi_bot",
    "BUOCMOI_PUBLIC_URL": "https://buocmoi.cantho.example",
    "ZALO_BOT_LINK": "https://zalo.me/s/buocmoi/?c={code}",
}


def _links(env: dict[str, str], *args: str) -> list[dict[str, str]]:
    result = run_cli("outreach", "links", *args, env=env)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_links_for_every_commune_of_the_province() -> None:
    rows = _links(ENV)
    wards = province_wards(92)
    assert [r["ma_xa"] for r in rows] == [w.code for w in wards] and len(rows) > 100
    row = next(r for r in rows if r["ma_xa"] == COMMUNE_A)
    assert row["ten_xa"] == "Phường Mỹ Xuyên"
    assert row["telegram"] == f"https://t.me/buocmoi_bot?start=c{COMMUNE_A}"
    assert row["zalo"] == f"https://zalo.me/s/buocmoi/?c={COMMUNE_A}"
    assert row["web"] == f"https://buocmoi.cantho.example/chat?c={COMMUNE_A}"


def test_links_without_the_optional_settings_and_a_wrong_code() -> None:
    plain = {"BUOCMOI_PROVINCE": "92"}  # no bot username, Zalo link or public URL
    (row,) = _links(plain, "--commune", COMMUNE_A)
    assert row["telegram"] == "" and row["zalo"] == ""
    assert row["web"] == f"http://127.0.0.1:8000/chat?c={COMMUNE_A}"
    wrong = run_cli("outreach", "links", "--commune", "01001", env=plain)  # a commune of Hà Nội
    assert wrong.returncode == 2 and "01001" in wrong.stderr


@pytest.fixture(scope="module")
def posters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("posters")
    result = run_cli("outreach", "posters", "--out", str(out), env=ENV, timeout=900)
    assert result.returncode == 0, result.stderr
    assert "posters written" in result.stdout
    return out


def test_one_poster_per_commune_of_the_province(posters: Path) -> None:
    wards = province_wards(92)
    assert sorted(p.name for p in posters.iterdir()) == sorted(f"poster-{w.code}.pdf" for w in wards)
    for commune in wards:
        reader = PdfReader(posters / f"poster-{commune.code}.pdf")
        (page,) = reader.pages
        assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842  # A4
        text = page.extract_text()
        assert commune.name in text, commune.code
        assert "Miễn phí: không ai được thu tiền làm hồ sơ" in text
        xobjects = page["/Resources"]["/XObject"]
        images = [name for name, ref in xobjects.items() if ref.get_object()["/Subtype"] == "/Image"]
        assert len(images) == 3  # Telegram, Zalo, web


@pytest.mark.parametrize("code", [COMMUNE_A, "31471"])
def test_the_qr_codes_open_the_bot_with_the_commune_chosen(posters: Path, code: str) -> None:
    (page,) = PdfReader(posters / f"poster-{code}.pdf").pages
    decoded = {result.text for image in page.images for result in zxingcpp.read_barcodes(image.image)}
    assert decoded == {
        f"https://t.me/buocmoi_bot?start=c{code}",
        f"https://zalo.me/s/buocmoi/?c={code}",
        f"https://buocmoi.cantho.example/chat?c={code}",
    }


def test_unconfirmed_contacts_are_marked_and_khmer_is_shaped(posters: Path) -> None:
    text = PdfReader(posters / f"poster-{COMMUNE_A}.pdf").pages[0].extract_text()
    assert "Công an phường Mỹ Xuyên" in text
    assert "chưa được xác nhận" in text  # the seeded bank offices are not confirmed yet
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in PdfReader(posters / f"poster-{COMMUNE_A}.pdf").pages[0]["/Resources"]["/Font"].values()
    }
    assert any("NotoSansKhmer" in name for name in fonts) and any("DejaVuSans" in name for name in fonts)


def test_a_start_link_prefills_the_commune(tmp_path: Path) -> None:
    """What Telegram sends for `t.me/<bot>?start=c31684`: the commune is known at once, and the
    referral offers it with one press."""
    lines = [
        f"/start c{COMMUNE_A}",
        "1",  # Tiếng Việt
        "4",  # 📍 Nơi liên hệ: no question, the commune is known
        "/menu",
        "2",  # Kiểm tra điều kiện vay
        "1",
        "1",
        "có rồi",
        "03/2024",
        "2",
        "50 triệu",
        "2",  # Không
        "1",  # Gửi yêu cầu cho cán bộ
        "1",  # Đồng ý
        "Nguyễn Văn An",
        "0912 345 678",
        "1",  # 📍 Phường Mỹ Xuyên (pre-filled)
    ]
    result = run_cli(
        "chat",
        "--json",
        stdin="\n".join(lines) + "\n",
        env={"DATABASE_URL": f"sqlite:///{tmp_path}/chat.db"},
        cwd=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    texts = ["\n".join(r["text"] for r in line["replies"]) for line in out]
    assert "Phường Mỹ Xuyên" in texts[2] and "Bạn đang sống ở xã/phường nào" not in texts[2]
    buttons = [b["label"] for r in out[15]["replies"] for row in r["buttons"] for b in row]
    assert buttons[0] == "📍 Phường Mỹ Xuyên"
    assert "Bạn kiểm tra lại trước khi gửi" in texts[16] and "• Xã/phường: Phường Mỹ Xuyên" in texts[16]
