"""The fixed wording of the implementation report drafts (DOCX and XLSX).

Vietnamese only, on purpose: the report is an administrative document sent to the provincial
People's Committee, written in Vietnamese whatever the account's language.
Anything the project cannot know (assessments, difficulties, proposals, the basis document, who
signs) is a marked blank `[…]` the unit fills in: never invented."""

from __future__ import annotations

from datetime import date

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
PARENT_BLANK = "[CƠ QUAN CẤP TRÊN]"
NUMBER_LINE = "Số:        /BC-……"
DECISION = (
    "Quyết định số 22/2023/QĐ-TTg của Thủ tướng Chính phủ về tín dụng đối với người chấp hành xong án phạt tù"
)
TITLE = "BÁO CÁO"

DRAFT_NOTE = (
    "Bản dự thảo do hệ thống Bước Mới lập từ số liệu đến hết ngày {as_of}. Đơn vị rà soát số liệu, "
    "điền các chỗ trong ngoặc vuông [ ] trước khi trình ký."
)
OPENING = (
    "Thực hiện [số, ký hiệu, ngày và trích yếu văn bản chỉ đạo, kế hoạch triển khai của cấp trên], "
    "{issuer} báo cáo kết quả thực hiện {decision} {period_text} như sau:"
)

SECTION_RESULTS = "I. KẾT QUẢ THỰC HIỆN"
SECTION_ASSESSMENT = "II. ĐÁNH GIÁ CHUNG"
SECTION_DIFFICULTIES = "III. KHÓ KHĂN, VƯỚNG MẮC"
SECTION_NEXT = "IV. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI"
SECTION_PROPOSALS = "V. ĐỀ XUẤT, KIẾN NGHỊ"
BLANK_ASSESSMENT = "[Đơn vị tự đánh giá kết quả đạt được, ưu điểm, hạn chế và nguyên nhân.]"
BLANK_DIFFICULTIES = "[Đơn vị tự nêu khó khăn, vướng mắc trong quá trình thực hiện.]"
BLANK_NEXT = "[Đơn vị tự nêu nhiệm vụ, giải pháp trong thời gian tới.]"
BLANK_PROPOSALS = "[Đơn vị tự nêu đề xuất, kiến nghị (nếu có).]"

REFERRALS_HEADING = "1. Tiếp nhận đề nghị vay vốn"
REFERRALS_TEXT = (
    "Trong kỳ, trên địa bàn {scope_name} đã tiếp nhận {referrals} đề nghị vay vốn của người chấp hành "
    "xong án phạt tù qua hệ thống Bước Mới, tại {communes_with} trên tổng số {communes} xã, phường; "
    "ngoài ra có {business} đề nghị của cơ sở sản xuất, kinh doanh sử dụng người chấp hành xong án "
    "phạt tù (thống kê riêng)."
)
BY_STATUS_CAPTION = "Bảng 1. Đề nghị vay vốn của người chấp hành xong án phạt tù theo tình trạng xử lý"
BY_COMMUNE_CAPTION = "Bảng 2. Đề nghị vay vốn và danh sách gửi Ngân hàng Chính sách xã hội theo xã, phường"
MONTHS_CHART = "Đề nghị vay vốn tiếp nhận theo tháng"
PERSONS = "Người chấp hành xong án phạt tù"
BUSINESSES = "Cơ sở sản xuất, kinh doanh"

CONTACT_HEADING = "2. Thời gian từ khi gửi đề nghị đến khi liên hệ lần đầu"
CONTACT_TEXT = (
    "Trong {reached} đề nghị đã được cán bộ Công an cấp xã liên hệ, thời gian từ khi gửi đề nghị đến "
    "khi liên hệ lần đầu: trung vị {median} ngày; 90% số đề nghị được liên hệ trong vòng {p90} ngày. "
    "Còn {waiting} đề nghị của kỳ chưa được liên hệ."
)
CONTACT_NONE = "Trong kỳ chưa có đề nghị nào được ghi nhận đã liên hệ ({waiting} đề nghị chưa được liên hệ)."

LISTS_HEADING = "3. Lập danh sách gửi Ngân hàng Chính sách xã hội"
LISTS_TEXT = (
    "Trong kỳ, Công an cấp xã đã lập và gửi {lists} lượt danh sách người chấp hành xong án phạt tù "
    "có nhu cầu và đủ điều kiện vay vốn (Mẫu số 01) cho Ngân hàng Chính sách xã hội (chi tiết theo xã, "
    "phường tại Bảng 2)."
)

LOANS_HEADING = "4. Kết quả cho vay"
LOANS_TEXT = (
    "Trong kỳ, Ngân hàng Chính sách xã hội đã phê duyệt {approved} khoản vay với số tiền {approved_amount} "
    "đồng và giải ngân {disbursed} khoản vay với số tiền {disbursed_amount} đồng cho người chấp hành xong "
    "án phạt tù; đối với cơ sở sản xuất, kinh doanh: phê duyệt {b_approved} khoản, giải ngân "
    "{b_disbursed} khoản."
)
LOANS_CAPTION = "Bảng 3. Kết quả cho vay trong kỳ"
LOANS_HEADERS = (
    "Đối tượng vay",
    "Số khoản được phê duyệt",
    "Số tiền phê duyệt (đồng)",
    "Số khoản đã giải ngân",
    "Số tiền giải ngân (đồng)",
)

TARGETS_HEADING = "5. Thực hiện chỉ tiêu năm {year}"
TARGETS_TEXT = (
    "Chỉ tiêu: {what}. Tính đến ngày lập báo cáo, {met}/{communes} xã, phường đã đạt chỉ tiêu; "
    "{without} xã, phường chưa có trường hợp nào được giải ngân (chi tiết tại Phụ lục)."
)
TARGETS_CHART = "Xã, phường đạt chỉ tiêu năm {year}"
TARGETS_BARS = "Khoản vay đã giải ngân trong năm {year} so với chỉ tiêu"
MET, NOT_MET = "Đạt", "Chưa đạt"
DISBURSED_YEAR = "Đã giải ngân"
TARGET = "Chỉ tiêu"
BUSINESS_TARGET = (
    "Chỉ tiêu cho vay cơ sở sản xuất, kinh doanh ({unit}): {disbursed}/{minimum} khoản{unconfirmed}."
)
UNCONFIRMED = " (đơn vị tính chưa được địa phương xác nhận)"

TRANSFERS_HEADING = "6. Đề xuất điều chuyển chỉ tiêu"
TRANSFERS_RULE = "Căn cứ: {rule}"
TRANSFERS_TEXT = (
    "Các xã, phường chưa phát sinh nhu cầu trong năm có thể chuyển chỉ tiêu sang xã, phường có số đề "
    "nghị vượt chỉ tiêu (gợi ý của hệ thống, đơn vị xem xét quyết định):"
)
TRANSFERS_UNPAIRED = (
    "{count} xã, phường khác chưa phát sinh nhu cầu trong năm, chưa có địa bàn nhận chỉ tiêu "
    "(danh sách tại bảng số liệu XLSX, tiến độ từng xã, phường tại Phụ lục)."
)
TRANSFERS_NONE = "Không có đề xuất điều chuyển chỉ tiêu."
TRANSFERS_HEADERS = ("STT", "Chuyển chỉ tiêu từ", "Sang")
NO_RECEIVER = "Chưa có địa bàn nhận"

ANNEX = "PHỤ LỤC"
ANNEX_TITLE = "Thực hiện chỉ tiêu năm {year} theo xã, phường"
ANNEX_HEADERS = ("STT", "Mã", "Xã, phường", "Chỉ tiêu", "Đã giải ngân trong năm", "Kết quả")

RECIPIENTS = "Nơi nhận:"
RECIPIENT_PROVINCE = "- Ủy ban nhân dân {province} (để báo cáo);"
RECIPIENT_PC10 = "- Ủy ban nhân dân {province} (qua Phòng PC10, Công an {province});"
RECIPIENT_OTHER = "- [Cơ quan, đơn vị nhận khác];"
RECIPIENT_ARCHIVE = "- Lưu: VT, ……"
SIGNER_TITLE = "[QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ]"
SIGNER_SIGN = "[Chữ ký, dấu]"
SIGNER_NAME = "[Họ và tên người ký]"

STATUS_HEADERS = ("Tình trạng", "Số đề nghị")
COMMUNE_HEADERS = (
    "STT",
    "Xã, phường",
    "Đề nghị",
    "Đang xử lý",
    "Đã giải ngân",
    "Từ chối, rút",
    "Danh sách đã gửi",
)
TOTAL = "Tổng cộng"

# XLSX
SHEET_SUMMARY = "Tổng hợp"
SHEET_COMMUNES = "Theo xã, phường"
SHEET_MONTHS = "Theo tháng"
SHEET_TRANSFERS = "Điều chuyển chỉ tiêu"
SUMMARY_HEADERS = ("Chỉ số", "Giá trị")
XLSX_COMMUNE_HEADERS = (
    "Mã",
    "Xã, phường",
    "Đề nghị (cá nhân)",
    "Đề nghị (cơ sở SXKD)",
    "Danh sách đã gửi",
    "Số khoản phê duyệt",
    "Số tiền phê duyệt (đồng)",
    "Số khoản giải ngân",
    "Số tiền giải ngân (đồng)",
    "Chỉ tiêu năm",
    "Đã giải ngân trong năm",
    "Đạt chỉ tiêu",
)
MONTH_HEADERS = ("Tháng", "Đề nghị (cá nhân)", "Đề nghị (cơ sở SXKD)")
SUMMARY_ROWS = {
    "referrals": "Đề nghị vay vốn của người chấp hành xong án phạt tù",
    "business_referrals": "Đề nghị vay vốn của cơ sở sản xuất, kinh doanh",
    "contacted": "Đề nghị đã được liên hệ",
    "median_days": "Thời gian đến khi liên hệ lần đầu, trung vị (ngày)",
    "p90_days": "Thời gian đến khi liên hệ lần đầu, 90% số đề nghị (ngày)",
    "lists_sent": "Lượt danh sách đã gửi Ngân hàng Chính sách xã hội",
    "approved": "Khoản vay được phê duyệt (cá nhân)",
    "approved_amount": "Số tiền phê duyệt (cá nhân, đồng)",
    "disbursed": "Khoản vay đã giải ngân (cá nhân)",
    "disbursed_amount": "Số tiền giải ngân (cá nhân, đồng)",
    "business_approved": "Khoản vay được phê duyệt (cơ sở SXKD)",
    "business_approved_amount": "Số tiền phê duyệt (cơ sở SXKD, đồng)",
    "business_disbursed": "Khoản vay đã giải ngân (cơ sở SXKD)",
    "business_disbursed_amount": "Số tiền giải ngân (cơ sở SXKD, đồng)",
    "targets_met": "Xã, phường đạt chỉ tiêu năm",
    "without_case": "Xã, phường chưa có trường hợp được giải ngân trong năm",
}
YES, NO = "Có", "Không"


def period_text(year: int, half: int | None) -> str:
    if half == 1:
        return f"6 tháng đầu năm {year}"
    if half == 2:
        return f"6 tháng cuối năm {year}"
    return f"năm {year}"


def day_text(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def place_line(place: str, year: int) -> str:
    """Nghị định 30/2020/NĐ-CP: the place, then the date with day and month left for the signing."""
    return f"{place}, ngày      tháng      năm {year}"


def place_of(name: str) -> str:
    """The place name of a province or commune without its kind: "Thành phố Cần Thơ" → "Cần Thơ"."""
    for prefix in ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def lower_kind(name: str) -> str:
    """In running text the kind is lower case: "thành phố Cần Thơ", "phường Mỹ Xuyên"."""
    return name[:1].lower() + name[1:] if name else name


def money(amount: int) -> str:
    """Vietnamese grouping: 30.000.000."""
    return f"{amount:,}".replace(",", ".")
