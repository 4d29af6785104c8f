"""Every text a person reads, in Vietnamese, in one place (HTML for Telegram's parse_mode)."""

from datetime import date

GREETING = (
    "Chào {name}! Mình là <b>{library}</b> 📚\n"
    "Mình giúp bạn tìm sách, xem sách còn trên giá hay không"
    " và mượn sách ngay trên điện thoại.\n\n"
    "• Gõ tên sách hoặc tác giả, <b>không cần dấu</b>: <code>de men phieu luu ky</code>\n"
    "• /tim &lt;từ khóa&gt; — tìm sách (trong nhóm lớp)\n"
    "• /huongdan — xem hướng dẫn\n\n"
    "Giờ mở cửa: {opening_hours}"
)

HELP = (
    "<b>Hướng dẫn dùng {library}</b>\n\n"
    "🔎 <b>Tìm sách</b>: gõ tên sách, tác giả hoặc môn học, có dấu hay không dấu đều được. "
    "Gõ được cả số ĐKCB (ví dụ <code>STK-00012</code>) hoặc mã ISBN.\n"
    "Trong nhóm lớp, dùng lệnh <code>/tim từ khóa</code>.\n\n"
    "📖 Bấm vào một kết quả để xem thẻ sách: tác giả, nhà xuất bản, các bản sách "
    "và bản nào đang có trên giá.\n\n"
    "🔗 Mỗi thẻ sách có đường dẫn để chia sẻ cho bạn bè.\n\n"
    "Giờ mở cửa: {opening_hours}"
)

COMMANDS: list[tuple[str, str]] = [
    ("tim", "Tìm sách theo tên, tác giả, môn học"),
    ("huongdan", "Hướng dẫn sử dụng"),
    ("start", "Bắt đầu"),
]
READER_COMMANDS: list[tuple[str, str]] = [
    ("sachcuatoi", "Sách đang mượn, đăng ký, hàng chờ"),
]
LIBRARIAN_COMMANDS: list[tuple[str, str]] = [
    # feature-commands: groups
    # feature-commands: reminders
    # feature-commands: campaigns
    # feature-commands: broadcasts
    # feature-commands: team
    # feature-commands: visits
    ("luotdoc", "Ghi lượt đọc theo lớp (bạn chưa có tài khoản)"),
    # feature-commands: reports
    ("baocao", "Báo cáo tháng, học kỳ, năm học"),
    # feature-commands: registers
    # feature-commands: inventory
    # feature-commands: suggestions
    # feature-commands: donations
    # feature-commands: rotation
    ("duyet", "Yêu cầu mượn chờ duyệt"),
    ("chomuon", "Cho mượn theo số ĐKCB"),
    ("tra", "Nhận trả theo số ĐKCB"),
    ("thuhoi", "Sách giáo khoa cần thu hồi cuối năm"),
    ("lienket", "Cấp mã liên kết cho bạn đọc"),
    ("quyen", "Cấp hoặc bỏ quyền"),
]


def commands_for(roles: "frozenset[str]") -> list[tuple[str, str]]:
    """The command menu of a person with these roles (students never see librarian ones)."""
    commands = list(COMMANDS)
    if roles & {"student", "teacher", "homeroom", "librarian"}:
        commands += READER_COMMANDS
    if "librarian" in roles:
        commands += LIBRARIAN_COMMANDS
    return commands


SEARCH_ASK = (
    "Bạn muốn tìm sách gì? Gõ <code>/tim</code> kèm tên sách hoặc tác giả,"
    " ví dụ: <code>/tim dac nhan tam</code>"
)
SEARCH_EMPTY_QUERY = (
    "Mình chưa thấy từ khóa nào để tìm. Hãy gõ tên sách hoặc tác giả bằng chữ hoặc số nhé."
)
SEARCH_NOTHING = (
    "Không tìm thấy sách nào với «{query}». Bạn thử gõ ngắn hơn hoặc kiểm tra chính tả nhé."
)
SEARCH_HEADER = "🔎 Kết quả cho «{query}»: {total} đầu sách"
SEARCH_CORRECTED = "(đã sửa lỗi gõ gần đúng)"
SEARCH_PAGE = "Trang {page}/{pages}"
SEARCH_EXPIRED = "Kết quả tìm kiếm này đã cũ. Bạn gõ lại từ khóa để tìm nhé."
SEARCH_HIT = "{number}. <b>{title}</b>{author}{year}\n    {availability}"
AVAILABLE = "✅ Còn {on_shelf}/{total} bản trên giá"
UNAVAILABLE = "⏳ Hết bản trên giá ({total} bản đang được mượn hoặc giữ)"
NO_COPIES = "Chưa có bản nào để mượn"

BUTTON_PREV = "« Trước"
BUTTON_NEXT = "Sau »"

TITLE_NOT_FOUND = "Không tìm thấy đầu sách này. Có thể sách đã được gỡ khỏi danh mục."
CARD_TITLE = "📖 <b>{title}</b>"
CARD_FIELDS = {
    "author": "Tác giả",
    "publisher": "Nhà xuất bản",
    "year": "Năm xuất bản",
    "kind": "Loại",
    "subject": "Môn loại",
    "classification": "Ký hiệu phân loại",
    "grade": "Khối",
    "isbn": "ISBN",
}
CARD_COPIES = "<b>Các bản sách</b> (còn {on_shelf}/{total} trên giá):"
CARD_COPY = "• <code>{accession}</code>{location} — {status}"
CARD_MORE_COPIES = "• … và {count} bản khác"
CARD_SHARE = "🔗 Chia sẻ: {link}"

COPY_STATUS = {
    "on_shelf": "có trên giá",
    "on_loan": "đang cho mượn",
    "held": "đang giữ cho bạn đọc",
    "lost": "đã mất",
    "damaged": "hư hỏng",
    "rotated_out": "đang luân chuyển",
    "withdrawn": "đã thanh lý",
}

GROUP_ONLY_COMMANDS = "Trong nhóm, hãy gọi mình bằng lệnh, ví dụ <code>/tim de men</code>."
UNKNOWN_START = (
    "Đường dẫn này không còn dùng được. Gõ tên sách để tìm, hoặc /huongdan để xem hướng dẫn."
)
ERROR = (
    "Xin lỗi, mình gặp trục trặc khi xử lý yêu cầu này 😔 "
    "Bạn thử lại sau ít phút nhé; cán bộ thư viện đã được ghi nhận lỗi."
)
BUTTON_EXPIRED = "Nút này không còn dùng được."


def format_date(day: date) -> str:
    """Show a date as dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


# Accounts and roles
LINKED = (
    "✅ Đã liên kết tài khoản Telegram này với bạn đọc <b>{name}</b>{class_part}.\n"
    "Giờ bạn có thể đăng ký mượn sách và xem /sachcuatoi."
)
LINK_REFUSED = {
    "unknown": "Mã liên kết này không đúng. Hãy quét lại mã QR trên thẻ bạn đọc"
    " hoặc xin cán bộ thư viện mã mới.",
    "used": "Mã liên kết này đã được dùng rồi. Mỗi mã chỉ dùng được một lần;"
    " hãy xin cán bộ thư viện cấp mã mới.",
    "expired": "Mã liên kết này đã hết hạn. Hãy xin cán bộ thư viện cấp mã mới.",
}
NOT_LINKED = (
    "Tài khoản của bạn chưa liên kết với thẻ bạn đọc. Hãy quét mã QR trên thẻ bạn đọc"
    " (hoặc xin cán bộ thư viện mã liên kết) rồi thử lại."
)
NOT_ALLOWED = "Xin lỗi, bạn không có quyền làm việc này."
LINK_ISSUED = (
    "Mã liên kết cho <b>{name}</b>{class_part} (dùng một lần, hết hạn {expires}):\n{link}\n"
    "Gửi đường dẫn hoặc cho bạn đọc quét mã QR này."
)
LINK_ASK = "Gõ <code>/lienket mã-bạn-đọc</code>, ví dụ <code>/lienket HS26001</code>."
READER_NOT_FOUND = "Không tìm thấy bạn đọc «{query}»."
ROLE_NAMES = {
    "student": "học sinh",
    "teacher": "giáo viên",
    "homeroom": "giáo viên chủ nhiệm",
    "librarian": "cán bộ thư viện",
    "collaborator": "cộng tác viên thư viện",
    "principal": "hiệu trưởng",
}
ROLE_ARGS = {"giaovien": "teacher", "congtacvien": "collaborator", "hieutruong": "principal"}
ROLES_USAGE = (
    "Cấp hoặc bỏ quyền cho bạn đọc đã liên kết tài khoản:\n"
    "<code>/quyen them GV001 congtacvien</code>\n<code>/quyen bo GV001 congtacvien</code>\n"
    "Quyền: giaovien, congtacvien, hieutruong."
)
ROLE_GRANTED = "Đã cấp quyền {role} cho {name}."
ROLE_ALREADY = "{name} đã có quyền {role}."
ROLE_REVOKED = "Đã bỏ quyền {role} của {name}."
ROLE_MISSING = "{name} không có quyền {role}."
READER_NOT_LINKED = "{name} chưa liên kết tài khoản Telegram, nên chưa cấp quyền được."

# Borrowing
BUTTON_BORROW = "📥 Đăng ký mượn"
BUTTON_WAIT = "⏳ Xếp hàng chờ"
BUTTON_RENEW = "🔁 Gia hạn"
BUTTON_CANCEL = "✖️ Hủy"
REQUEST_SENT = (
    "Đã gửi yêu cầu mượn <b>{title}</b> tới cán bộ thư viện."
    " Mình sẽ báo bạn khi yêu cầu được duyệt."
)
REQUEST_WAITING = (
    "Hiện không còn bản nào của <b>{title}</b> trên giá. Bạn đã vào hàng chờ,"
    " đứng thứ <b>{position}</b>. Khi có sách, mình sẽ báo ngay."
)
REQUEST_ALREADY = "Bạn đã đăng ký <b>{title}</b> rồi{position_part}. Xem /sachcuatoi."
REQUEST_ALREADY_BORROWED = "Bạn đang mượn <b>{title}</b> rồi. Xem /sachcuatoi."
BORROW_REFUSED = {
    "not_lendable": "Loại sách này ({kind}) chỉ đọc tại thư viện, không cho mượn về.",
    "limit_reached": "Bạn đang mượn {count}/{limit} cuốn, đã đủ số sách được mượn."
    " Trả bớt sách rồi đăng ký tiếp nhé.",
    "overdue": "Bạn đang có sách quá hạn ({title}). Hãy trả sách trước khi mượn thêm.",
    "inactive": "Thẻ bạn đọc này không còn hoạt động. Hãy liên hệ cán bộ thư viện.",
}
NEW_REQUEST_FOR_LIBRARIAN = (
    "📥 <b>Yêu cầu mượn mới</b> #{request_id}\n{reader}{class_part} muốn mượn <b>{title}</b>.\n"
    "Còn {on_shelf} bản trên giá."
)
BUTTON_APPROVE = "✅ Duyệt"
BUTTON_REFUSE = "❌ Từ chối"
REFUSAL_REASONS = {
    "busy": "Sách đang được dùng cho lớp học",
    "overdue": "Bạn đang có sách quá hạn",
    "damaged": "Bản sách cần sửa chữa",
    "other": "Mời bạn đến thư viện để trao đổi thêm",
}
ASK_REFUSAL_REASON = "Chọn lý do từ chối yêu cầu #{request_id} ({title}):"
REQUEST_APPROVED_FOR_READER = (
    "✅ Yêu cầu mượn <b>{title}</b> đã được duyệt. Sách <code>{accession}</code>"
    " được giữ cho bạn tại quầy thư viện đến hết ngày <b>{until}</b>.\nGiờ mở cửa: {hours}"
)
REQUEST_REFUSED_FOR_READER = "❌ Yêu cầu mượn <b>{title}</b> chưa được duyệt. Lý do: {reason}."
REQUEST_APPROVED_FOR_LIBRARIAN = (
    "Đã duyệt #{request_id}: giữ <code>{accession}</code> cho {reader} đến {until}."
)
REQUEST_MOVED_TO_LINE = "Không còn bản nào trên giá: yêu cầu #{request_id} đã chuyển vào hàng chờ."
REQUEST_REFUSED_FOR_LIBRARIAN = "Đã từ chối #{request_id} ({reason})."
REQUEST_NOT_PENDING = "Yêu cầu này đã được xử lý rồi."
NO_PENDING = "Không có yêu cầu mượn nào đang chờ duyệt. 👍"
PENDING_HEADER = "📋 <b>Yêu cầu đang chờ duyệt</b> ({count}):"
PENDING_LINE = "#{request_id} — {reader}{class_part}: <b>{title}</b> ({created})"
YOUR_TURN = (
    "🎉 Đến lượt bạn! Sách <b>{title}</b> (<code>{accession}</code>) đang được giữ cho bạn"
    " tại thư viện đến hết ngày <b>{until}</b>."
)

# My books
MY_BOOKS_EMPTY = "Bạn chưa mượn hay đăng ký cuốn nào. Gõ tên sách để tìm nhé!"
MY_BOOKS_HEADER = "📚 <b>Sách của {name}</b>"
MY_LOANS = "<b>Đang mượn</b>:"
MY_LOAN = "• <b>{title}</b> (<code>{accession}</code>) — hạn trả {due}{overdue}"
MY_OVERDUE = " ⚠️ quá hạn"
MY_HOLDS = "<b>Đang giữ chờ bạn đến lấy</b>:"
MY_HOLD = "• <b>{title}</b> (<code>{accession}</code>) — đến lấy trước hết ngày {until}"
MY_REQUESTS = "<b>Đã đăng ký</b>:"
MY_PENDING = "• <b>{title}</b> — chờ duyệt"
MY_WAITING = "• <b>{title}</b> — hàng chờ, thứ {position}"
RENEWED = "🔁 Đã gia hạn <b>{title}</b>, hạn trả mới: <b>{due}</b>."
RENEW_REFUSED = {
    "someone_waiting": "Không gia hạn được: có bạn khác đang chờ cuốn này.",
    "no_renewals_left": "Không gia hạn được: bạn đã gia hạn hết số lần cho phép.",
    "overdue": "Không gia hạn được vì sách đã quá hạn. Hãy mang sách đến thư viện.",
    "whole_year": "Sách giáo khoa mượn cả năm không cần gia hạn.",
    "not_renewable": "Loại sách này không được gia hạn.",
}
CANCELLED = "Đã hủy đăng ký <b>{title}</b>."
NOT_YOURS = "Mục này không thuộc về bạn."

# At the desk
COPY_CARD = "🏷 <b>{accession}</b> — {title}\nTrạng thái: {status}{holder}\nVị trí: {location}"
COPY_HOLDER_LOAN = "\nĐang cho mượn: {reader}{class_part}, hạn trả {due}"
COPY_HOLDER_HOLD = "\nĐang giữ cho: {reader}{class_part}, đến {until}"
BUTTON_LEND = "📤 Cho mượn"
BUTTON_RETURN = "📥 Nhận trả"
BUTTON_LOST = "❓ Báo mất"
BUTTON_DAMAGED = "🩹 Hư hỏng"
COPY_NOT_FOUND = "Không có bản sách nào mang số ĐKCB «{accession}»."
DESK_USAGE = "Gõ kèm số ĐKCB, ví dụ <code>/{command} STK-00012</code>, hoặc quét nhãn QR."
ASK_READER = (
    "Cho ai mượn <code>{accession}</code> ({title})?\n"
    "Gõ tên và lớp (ví dụ <code>an 6a</code>) hoặc mã bạn đọc; /huy để thôi."
)
ASK_READER_AGAIN = "Không tìm thấy bạn đọc «{query}». Gõ lại tên, lớp hoặc mã; /huy để thôi."
PICK_READER = "Chọn bạn đọc:"
LENT = (
    "✅ Đã cho <b>{reader}</b>{class_part} mượn <code>{accession}</code> ({title}).\n"
    "Hạn trả: <b>{due}</b>."
)
LENT_FOR_READER = (
    "📚 Bạn vừa mượn <b>{title}</b> (<code>{accession}</code>). Hạn trả: <b>{due}</b>."
)
LEND_REFUSED = {
    "on_loan": "Bản <code>{accession}</code> đang được mượn; hãy nhận trả trước.",
    "held_for_other": "Bản <code>{accession}</code> đang được giữ cho bạn đọc khác ({reader}).",
    "unavailable": "Bản <code>{accession}</code> đang ở trạng thái «{status}»,"
    " không cho mượn được.",
}
RETURNED = "✅ Đã nhận trả <code>{accession}</code> ({title}) của {reader}{class_part}.{late}"
RETURNED_LATE = " Trả muộn {days} ngày thư viện."
RETURNED_NEXT = "\n➡️ Bản này được giữ cho người kế tiếp: {reader}{class_part}."
NOT_ON_LOAN = "Bản <code>{accession}</code> không có ai đang mượn."
MARKED = "Đã ghi <code>{accession}</code> là «{status}»."
ASK_MARK = (
    "Ghi bản <code>{accession}</code> là «{status}»? Bấm Xác nhận."
    " Muốn kèm ghi chú, gõ <code>/mat số-ĐKCB ghi chú</code>"
    " hoặc <code>/hong số-ĐKCB ghi chú</code>."
)
CANCELLED_DIALOG = "Đã thôi."
RECALL_EMPTY = "Không có sách giáo khoa mượn cả năm nào cần thu hồi. 👍"
RECALL_HEADER = "📚 <b>Sách giáo khoa cần thu hồi</b> trước {deadline} ({count} bản):"
RECALL_LINE = "• {class_name} — {reader}: <code>{accession}</code> {title}"

# Printing
NO_COPIES_TO_LABEL = "Không có bản sách nào khớp để in nhãn."
NO_READERS_FOR_CARDS = "Không có bạn đọc nào{class_part} để in thẻ."
SHEET_WRITTEN = "Đã ghi {count} {what} vào {path}"

# feature-texts: groups

# feature-texts: reminders

# feature-texts: campaigns

# feature-texts: broadcasts

# feature-texts: team

# feature-texts: visits
VISIT_COUNTED = (
    "✅ Đã ghi lượt đến thư viện của <b>{name}</b> hôm nay ({day}). Chúc bạn đọc sách vui!"
)
VISIT_ALREADY = (
    "Lượt đến thư viện hôm nay ({day}) của bạn đã được ghi rồi, không cần quét lại nhé. 😊"
)
VISIT_NOT_LINKED = (
    "Để ghi lượt đến thư viện, tài khoản Telegram của bạn cần liên kết với thẻ bạn đọc."
    " Hãy quét mã QR trên thẻ bạn đọc (hoặc xin cán bộ thư viện mã liên kết),"
    " rồi quét lại mã ở bàn thư viện."
)
WALK_INS_USAGE = (
    "Ghi lượt đọc của các bạn chưa có tài khoản, theo lớp:\n"
    "<code>/luotdoc 6A 12</code> — 12 bạn lớp 6A đến hôm nay\n"
    "<code>/luotdoc 6A 12 25/11</code> — cho ngày 25/11"
)
WALK_INS_BAD_CLASS = (
    "«{value}» không phải tên lớp. Gõ lớp như <code>6A</code>, <code>7A1</code>"
    " hoặc <code>8/2</code>, ví dụ <code>/luotdoc 6A 12</code>."
)
WALK_INS_BAD_NUMBER = "Số bạn đọc phải là một số từ 1 đến 200, ví dụ <code>/luotdoc 6A 12</code>."
WALK_INS_BAD_DATE = (
    "Không đọc được ngày «{value}». Gõ ngày dạng <code>25/11</code> hoặc <code>25/11/2026</code>."
)
WALK_INS_FUTURE = "Ngày {day} chưa đến, chưa ghi lượt đọc cho ngày này được."
WALK_INS_TOO_OLD = "Ngày {day} đã qua hơn một năm, không ghi thêm lượt đọc cho ngày đó được."
WALK_INS_RECORDED = (
    "✅ Đã ghi <b>{visitors}</b> lượt đọc của lớp <b>{class_name}</b> ngày {day}.\n"
    "Tổng lượt ghi theo lớp ngày {day}: {total}."
)
BUTTON_UNDO_WALK_INS = "↩️ Hoàn tác"
WALK_INS_UNDONE = "↩️ Đã hoàn tác: bỏ {visitors} lượt đọc của lớp {class_name} ngày {day}."
WALK_INS_GONE = "Lượt ghi này đã được hoàn tác rồi."
DESK_QR_WRITTEN = "Đã ghi mã QR lượt đến thư viện vào {path}"

# feature-texts: reports
REPORT_USAGE = (
    "Gõ <code>/baocao</code> để xem tháng vừa qua, hoặc:\n"
    "<code>/baocao 11/2026</code> — một tháng\n"
    "<code>/baocao hk1</code>, <code>/baocao hk2</code> — một học kỳ\n"
    "<code>/baocao nam</code> — cả năm học"
)
REPORT_FUTURE = "Kỳ này chưa bắt đầu nên chưa có số liệu. Gõ /baocao để xem tháng vừa qua."
REPORT_PERIOD = {
    "m": "tháng {month:02d}/{year}",
    "s": "học kỳ {roman} năm học {school_year}",
    "y": "năm học {school_year}",
}
REPORT_HEADING = {
    "m": "BÁO CÁO THỐNG KÊ THƯ VIỆN THÁNG {month:02d}/{year}",
    "s": "BÁO CÁO CÔNG TÁC THƯ VIỆN HỌC KỲ {roman}",
    "y": "BÁO CÁO TỔNG KẾT CÔNG TÁC THƯ VIỆN",
}
REPORT_SCHOOL_YEAR = "Năm học {school_year}"
REPORT_SPAN = "Từ ngày {first} đến ngày {last}"
REPORT_SPAN_SO_FAR = "Từ ngày {first} đến ngày {last} (số liệu tính đến hết ngày {as_of})"
REPORT_SECTION_READERS = "I. Tình hình bạn đọc"
REPORT_SECTION_CIRCULATION = "II. Tình hình lưu thông tài liệu"
REPORT_SECTION_ACQUISITIONS = "III. Bổ sung tài liệu"
REPORT_TEXT_HEAD = "📊 <b>{heading}</b>\n{school_year} · {span}"
REPORT_TEXT_READERS = (
    "<b>{section}</b>\n"
    "• Lượt đến thư viện: <b>{visits}</b> ({linked} lượt bạn đọc có tài khoản,"
    " {walk_ins} lượt ghi theo lớp)\n"
    "• Bạn đọc đã đến: {visitors}/{readers}\n"
    "• Ngày mở cửa: {open_days}, bình quân {per_day} lượt/ngày"
)
REPORT_TEXT_CIRCULATION = (
    "<b>{section}</b>\n"
    "• Lượt mượn: <b>{loans}</b> · lượt trả: <b>{returns}</b>\n"
    "• Quá hạn đến hết ngày {as_of}: {overdue} bản"
)
REPORT_TEXT_KINDS = "• Mượn theo loại: {kinds}"
REPORT_TEXT_KIND = "{kind} {loans}"
REPORT_TEXT_TOP_TITLES = "<b>Sách được mượn nhiều nhất</b>"
REPORT_TEXT_TOP_TITLE = "{rank}. {title} — {loans} lượt"
REPORT_TEXT_TOP_CLASSES = "<b>Lớp tích cực</b>: {classes}"
REPORT_TEXT_TOP_CLASS = "{class_name} ({loans} lượt mượn, {visits} lượt đến)"
REPORT_TEXT_TOP_READERS = "<b>Bạn đọc tích cực</b>: {readers}"
REPORT_TEXT_TOP_READER = "{name}{class_part} — {loans} lượt mượn"
REPORT_TEXT_ACQUISITIONS = "<b>{section}</b>\n• {copies} bản sách mới{kinds}, trị giá {value} đồng"
REPORT_TEXT_NO_ACQUISITIONS = "<b>{section}</b>\n• Không có bản sách mới nào trong kỳ."
REPORT_TEXT_FOOT = "Biểu đồ và bảng Excel (in được khổ A4) ở ngay dưới."
REPORT_NO_ACTIVITY = "Chưa có lượt mượn hay lượt đến nào trong kỳ."
REPORT_PHOTO_CAPTION = "📈 {title} — {period}"
REPORT_DOCUMENT_CAPTION = "📎 Bảng số liệu {period}. Chọn kỳ khác bằng các nút dưới đây."
REPORT_FILE_NAME = {
    "m": "bao-cao-thu-vien-thang-{month:02d}-{year}.xlsx",
    "s": "bao-cao-thu-vien-hoc-ky-{number}-{school_year}.xlsx",
    "y": "bao-cao-thu-vien-nam-hoc-{school_year}.xlsx",
}
BUTTON_REPORT_PREVIOUS = "« Tháng {month:02d}/{year}"
BUTTON_REPORT_NEXT = "Tháng {month:02d}/{year} »"
BUTTON_REPORT_SEMESTER = {1: "Học kỳ I", 2: "Học kỳ II"}
BUTTON_REPORT_YEAR = "Cả năm"
CHART_BY_CLASS = "Lượt mượn và lượt đến theo lớp"
CHART_TOP_CLASSES = "Lượt mượn và lượt đến: {count} lớp mượn nhiều nhất"
CHART_BY_WEEK = "Lượt mượn và lượt đến theo tuần"
CHART_BY_MONTH = "Lượt mượn và lượt đến theo tháng"
CHART_LOANS = "Lượt mượn"
CHART_VISITS = "Lượt đến"
REPORT_CATEGORIES = {"student": "Học sinh", "teacher": "Giáo viên", "staff": "Cán bộ, nhân viên"}
REPORT_SOURCES = {"bought": "Mua", "donated": "Được tặng", "rotated_in": "Luân chuyển đến"}
REPORT_GRADE = "Khối {grade}"
REPORT_NO_GRADE = "Chưa rõ khối"
REPORT_NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
REPORT_MOTTO = "Độc lập – Tự do – Hạnh phúc"
REPORT_PLACE_DATE = "Ngày {day} tháng {month} năm {year}"
REPORT_SIGNERS = ("NGƯỜI LẬP", "HIỆU TRƯỞNG")
REPORT_SIGN_HINT = "(Ký, ghi rõ họ tên)"
REPORT_MADE_BY_BOT = "Lập bằng Thư viện bot ngày {day}"
REPORT_TOTAL = "Tổng cộng"
SHEET_SUMMARY = "Tổng hợp"
SHEET_CLASSES = "Theo lớp"
SHEET_GRADES = "Theo khối"
SHEET_CATEGORIES = "Theo đối tượng"
SHEET_KINDS = "Theo loại sách"
SHEET_TITLES = "Sách mượn nhiều"
SHEET_READERS = "Bạn đọc tích cực"
SHEET_TOP_CLASSES = "Lớp tích cực"
SHEET_BY_WEEK = "Theo tuần"
SHEET_BY_MONTH = "Theo tháng"
SHEET_ACQUISITIONS = "Bổ sung"
SUMMARY_COLUMNS = ("Nội dung", "Số liệu")
SUMMARY_ROWS = {
    "readers": "Số bạn đọc hiện có",
    "category": "– {category}",
    "visitors": "Số bạn đọc đã đến thư viện",
    "visits": "Tổng lượt đến thư viện",
    "linked": "– Lượt bạn đọc có tài khoản (quét mã, mượn, trả)",
    "walk_ins": "– Lượt ghi theo lớp",
    "open_days": "Số ngày thư viện mở cửa",
    "per_day": "Bình quân lượt đến mỗi ngày mở cửa",
    "loans": "Lượt mượn",
    "returns": "Lượt trả",
    "kind_loans": "– Lượt mượn {kind}",
    "overdue": "Số bản quá hạn đến hết ngày {as_of}",
    "copies": "Số bản sách mới",
    "kind_copies": "– {kind}",
    "source_copies": "– Nguồn: {source}",
    "value": "Trị giá (đồng)",
}
TALLY_COLUMNS = (
    "Số bạn đọc",
    "Bạn đọc đã đến",
    "Lượt đến (có tài khoản)",
    "Lượt ghi theo lớp",
    "Tổng lượt đến",
    "Lượt mượn",
    "Lượt trả",
)
COLUMN_NUMBER = "STT"
COLUMN_CLASS = "Lớp"
COLUMN_GRADE = "Khối"
COLUMN_CATEGORY = "Đối tượng"
COLUMN_KIND = "Loại sách"
COLUMN_TITLE = "Tên sách"
COLUMN_AUTHOR = "Tác giả"
COLUMN_READER = "Họ và tên"
COLUMN_LOANS = "Lượt mượn"
COLUMN_RETURNS = "Lượt trả"
COLUMN_VISITS = "Lượt đến"
COLUMN_WEEK = "Tuần"
COLUMN_MONTH = "Tháng"
COLUMN_FROM = "Từ ngày"
COLUMN_TO = "Đến ngày"
ACQUISITION_COLUMNS = (
    "STT",
    "Số ĐKCB",
    "Tên sách",
    "Loại sách",
    "Ngày vào sổ",
    "Nguồn",
    "Người tặng",
    "Giá tiền (đồng)",
)

# feature-texts: registers

# feature-texts: inventory

# feature-texts: suggestions

# feature-texts: donations

# feature-texts: rotation
