"""Every text a person reads, in Vietnamese, in one place (HTML for Telegram's parse_mode)."""

from datetime import date

# The bot speaks as the library ("thư viện"). A student is "em", a teacher "thầy"/"cô" (from the
# staff list, else "thầy/cô"), the librarian as configured (library.librarian_address), else by
# name; texts that any of them may read use no pronoun at all (bot.core.wording).
GREETING = (
    "Chào {name}! Đây là <b>{library}</b> 📚\n"
    "Ở đây có thể tìm sách, xem sách còn trên giá hay không"
    " và mượn sách ngay trên điện thoại.\n\n"
    "• Gõ tên sách hoặc tác giả, <b>không cần dấu</b>: <code>de men phieu luu ky</code>\n"
    "• /tim &lt;từ khóa&gt; — tìm sách (trong nhóm lớp)\n"
    "• /huongdan — xem hướng dẫn\n\n"
    "Muốn mượn sách về nhà: quét mã QR trên thẻ bạn đọc để liên kết tài khoản.\n"
    "Giờ mở cửa: {opening_hours}"
)
GREETING_HELLO = {"student": "Chào em {name}!", "staff": "Kính chào {you} {name}!"}
GREETING_READER = (
    "{hello} <b>{library}</b> 📚 giúp {you} tìm sách, xem sách còn trên giá"
    " hay không và đăng ký mượn ngay trên điện thoại.\n\n"
    "• Gõ tên sách hoặc tác giả, <b>không cần dấu</b>: <code>de men phieu luu ky</code>\n"
    "• /sachcuatoi — sách đang mượn, hạn trả, gia hạn\n"
    "• /degoisach — đề xuất sách thư viện nên mua\n"
    "• /huongdan — xem hướng dẫn\n\n"
    "Giờ mở cửa: {opening_hours}"
)
GREETING_LIBRARIAN_HELLO = {"named": "Chào {you} {name}!", "plain": "Chào {name}!"}
GREETING_LIBRARIAN = (
    "{hello} Đây là bàn làm việc của cán bộ thư viện <b>{library}</b> 📚\n\n"
    "<b>Việc hằng ngày</b>\n"
    "• /duyet — yêu cầu mượn chờ duyệt\n"
    "• /chomuon, /tra — cho mượn, nhận trả (hoặc quét nhãn QR trên sách)\n"
    "• /thongbao — thông báo, giới thiệu sách tới nhóm lớp\n"
    "• /chiendich — lịch chiến dịch đọc sách hằng tháng\n"
    "• /baocao, /soluu — báo cáo, sổ sách Excel\n"
    "• /kiemke — kiểm kê kho sách\n\n"
    "Gõ tên sách để tìm như bạn đọc; /huongdan — tất cả các lệnh.\n"
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
    ("degoisach", "Đề xuất sách thư viện nên mua"),
    ("dulieucuatoi", "Dữ liệu thư viện lưu về tôi"),
]
LIBRARIAN_COMMANDS: list[tuple[str, str]] = [
    # feature-commands: groups
    ("dangkylop", "Đăng ký nhóm lớp nhận tin (gõ trong nhóm)"),
    # feature-commands: reminders
    # feature-commands: campaigns
    ("chiendich", "Lịch chiến dịch giới thiệu sách hằng tháng"),
    # feature-commands: broadcasts
    ("thongbao", "Gửi thông báo tới nhóm lớp, giáo viên, bạn đọc"),
    # feature-commands: team
    # feature-commands: visits
    ("luotdoc", "Ghi lượt đọc theo lớp (học sinh chưa có tài khoản)"),
    # feature-commands: reports
    ("baocao", "Báo cáo tháng, học kỳ, năm học"),
    # feature-commands: registers
    ("soluu", "Xuất sổ sách thư viện ra Excel"),
    # feature-commands: inventory
    ("kiemke", "Kiểm kê kho sách bằng quét mã"),
    # feature-commands: suggestions
    ("degoisach", "Đề xuất mua sách: xếp hạng, quyết định, xuất Excel"),
    # feature-commands: donations
    ("tangsach", "Ghi sách được tặng (người tặng, lớp)"),
    ("quyengop", "Quyên góp sách: bảng vinh danh, phát động, kết thúc"),
    # feature-commands: rotation
    ("luanchuyen", "Luân chuyển sách: tủ sách lớp, thư viện khác"),
    ("duyet", "Yêu cầu mượn chờ duyệt"),
    ("chomuon", "Cho mượn theo số ĐKCB"),
    ("tra", "Nhận trả theo số ĐKCB"),
    ("thuhoi", "Sách giáo khoa cần thu hồi cuối năm"),
    ("lienket", "Cấp mã liên kết cho bạn đọc"),
    ("quyen", "Cấp hoặc bỏ quyền"),
    # feature-commands: year turn
    ("namhocmoi", "Chuyển năm học mới: lên lớp, ra trường"),
    # feature-commands: privacy
    ("dongy", "Ghi nhận phụ huynh đồng ý cho học sinh"),
    ("rutdongy", "Phụ huynh rút lại sự đồng ý"),
    ("dulieu", "Tệp dữ liệu lưu về một bạn đọc"),
    ("xoadulieu", "Xóa vĩnh viễn dữ liệu cá nhân của bạn đọc"),
    ("hoanxoa", "Hoãn tự động xóa dữ liệu người đã rời trường"),
    ("nhatky", "Nhật ký ai xem, xuất dữ liệu cá nhân"),
]


COLLABORATOR_COMMANDS: list[tuple[str, str]] = [
    ("hopctv", "Họp tổ cộng tác viên: nội dung, giờ, điểm danh"),
    ("lichtruc", "Lịch trực vệ sinh thư viện 4 tuần tới"),
]


PRINCIPAL_COMMANDS: list[tuple[str, str]] = [
    ("baocao", "Báo cáo tháng, học kỳ, năm học"),
    ("thuhoi", "Sách giáo khoa cần thu hồi cuối năm"),
    ("nhatky", "Nhật ký ai xem, xuất dữ liệu cá nhân"),
]

HOMEROOM_COMMANDS: list[tuple[str, str]] = [
    ("dongy", "Ghi nhận phụ huynh đồng ý cho học sinh lớp chủ nhiệm"),
    ("rutdongy", "Phụ huynh rút lại sự đồng ý"),
]


DESK_FIRST = ("duyet", "chomuon", "tra")


def commands_for(roles: "frozenset[str]") -> list[tuple[str, str]]:
    """The command menu of a person with these roles (students never see librarian ones)."""
    commands: dict[str, str] = {}
    librarian = "librarian" in roles
    if librarian:
        # The desk's daily work comes first in the librarian's menu.
        desk = [entry for entry in LIBRARIAN_COMMANDS if entry[0] in DESK_FIRST]
        commands.update(sorted(desk, key=lambda entry: DESK_FIRST.index(entry[0])))
    commands.update(COMMANDS)
    if roles & {"student", "teacher", "homeroom", "librarian"}:
        commands.update(READER_COMMANDS)
    if librarian:
        commands.update(LIBRARIAN_COMMANDS)
    if roles & {"librarian", "collaborator"}:
        commands.update(COLLABORATOR_COMMANDS)
    if "principal" in roles:
        commands.update(PRINCIPAL_COMMANDS)
    if "homeroom" in roles and not librarian:
        commands.update(HOMEROOM_COMMANDS)
    return [(name, commands[name]) for name in commands]


BUTTON_REGISTERS = "📚 Sổ sách thư viện (Excel)"
HELP_COMMANDS = "\n\n<b>Các lệnh dùng được</b>\n"

SEARCH_ASK = (
    "Muốn tìm sách gì? Gõ <code>/tim</code> kèm tên sách hoặc tác giả,"
    " ví dụ: <code>/tim dac nhan tam</code>"
)
SEARCH_EMPTY_QUERY = (
    "Chưa thấy từ khóa nào để tìm. Hãy gõ tên sách hoặc tác giả bằng chữ hoặc số nhé."
)
SEARCH_NOTHING = (
    "Không tìm thấy sách nào với «{query}». Thử gõ ngắn hơn hoặc kiểm tra chính tả nhé."
)
SEARCH_HEADER = "🔎 Kết quả cho «{query}»: {total} đầu sách"
SEARCH_CAPPED = "🔎 Kết quả cho «{query}»: hơn {total} đầu sách — gõ thêm từ để thu hẹp"
SEARCH_TOO_SHORT = (
    "Chỉ một chữ cái thì chưa tìm được sách nào. Hãy gõ thêm tên sách hoặc tác giả nhé,"
    " ví dụ <code>de men</code>, <code>tin 6</code> hoặc <code>c++</code>."
)
SEARCH_EXACT_COPY = "📌 Bản sách <code>{accession}</code> thuộc đầu sách đầu tiên dưới đây."
SEARCH_CORRECTED = "(đã sửa lỗi gõ gần đúng)"
SEARCH_PAGE = "Trang {page}/{pages}"
SEARCH_EXPIRED = "Kết quả tìm kiếm này đã cũ. Gõ lại từ khóa để tìm nhé."
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
    # No label: the publisher reads as it is said, «NXB Kim Đồng» (bot.core.wording).
    "publisher": "",
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

GROUP_ONLY_COMMANDS = "Trong nhóm, hãy gọi thư viện bằng lệnh, ví dụ <code>/tim de men</code>."
UNKNOWN_START = (
    "Đường dẫn này không còn dùng được. Gõ tên sách để tìm, hoặc /huongdan để xem hướng dẫn."
)
ERROR = (
    "Xin lỗi, thư viện gặp trục trặc khi xử lý yêu cầu này 😔 "
    "Thử lại sau ít phút nhé; lỗi đã được ghi lại để cán bộ thư viện xem."
)
BUTTON_EXPIRED = "Nút này không còn dùng được."


def format_date(day: date) -> str:
    """Show a date as dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


# Accounts and roles
LINKED = (
    "✅ Đã liên kết tài khoản Telegram này với bạn đọc <b>{name}</b>{class_part}.\n"
    "Từ giờ có thể đăng ký mượn sách và xem /sachcuatoi ngay tại đây."
)
# Sent instead of linking a student whose parent's consent is not recorded (privacy section).
PARENT_CONSENT_NEEDED = (
    "Em chưa liên kết được tài khoản: theo quy định về bảo vệ dữ liệu cá nhân của trẻ em,"
    " nhà trường cần phụ huynh của em đồng ý trước. Em nhờ bố mẹ đánh dấu vào cột"
    " «Phụ huynh đồng ý» trong danh sách lớp, hoặc báo thầy cô chủ nhiệm hay cán bộ thư viện"
    " để ghi nhận. Sau đó em quét lại mã QR trên thẻ nhé. Trong lúc chờ, em vẫn tìm sách"
    " và đến đọc ở thư viện bình thường."
)
LINK_REFUSED = {
    "unknown": "Mã liên kết này không đúng. Hãy quét lại mã QR trên thẻ bạn đọc"
    " hoặc xin cán bộ thư viện mã mới.",
    "used": "Mã liên kết này đã được dùng rồi. Mỗi mã chỉ dùng được một lần;"
    " hãy xin cán bộ thư viện cấp mã mới.",
    "expired": "Mã liên kết này đã hết hạn. Hãy xin cán bộ thư viện cấp mã mới.",
    "left": "Thẻ bạn đọc này là của học sinh đã ra trường, nên không liên kết tài khoản được"
    " nữa. Sách còn giữ, em mang trả thư viện nhé.",
    "no_consent": PARENT_CONSENT_NEEDED,
}
NOT_LINKED = (
    "Tài khoản Telegram này chưa liên kết với thẻ bạn đọc. Hãy quét mã QR trên thẻ bạn đọc"
    " (hoặc xin cán bộ thư viện mã liên kết) rồi thử lại."
)
NOT_ALLOWED = "Xin lỗi, tài khoản này không được phép làm việc đó."
COMMAND_PRIVATE_ONLY = (
    "Lệnh /{command} dùng trong tin nhắn riêng với thư viện. Bấm nút dưới đây để mở nhé."
)
BUTTON_OPEN_PRIVATE = "💬 Nhắn riêng cho thư viện"
ATTACHMENT_NOT_USED = (
    "Ở đây thư viện chưa dùng được ảnh hay tệp. Gõ bằng chữ nhé: muốn tìm sách thì gõ tên sách."
)
NOTHING_TO_CANCEL = "Không có việc gì đang làm dở để hủy."
UNKNOWN_COMMAND = "Thư viện chưa có lệnh /{command}. Gõ /huongdan để xem các lệnh dùng được."
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
    " Khi yêu cầu được duyệt, thư viện sẽ nhắn ngay tại đây."
)
REQUEST_WAITING = (
    "Hiện không còn bản nào của <b>{title}</b> trên giá. Đã xếp vào hàng chờ,"
    " đứng thứ <b>{position}</b>. Khi có sách, thư viện sẽ báo ngay."
)
REQUEST_ALREADY = "Đã đăng ký <b>{title}</b> rồi{position_part}. Xem /sachcuatoi."
REQUEST_ALREADY_BORROWED = "Cuốn <b>{title}</b> đã có trong sách đang mượn. Xem /sachcuatoi."
BORROW_REFUSED = {
    "not_lendable": "Loại sách này ({kind}) chỉ đọc tại thư viện, không cho mượn về.",
    "limit_reached": "Đang mượn {count}/{limit} cuốn, đã đủ số sách được mượn."
    " Trả bớt sách rồi đăng ký tiếp nhé.",
    "overdue": "Đang có sách quá hạn ({title}). Hãy trả sách trước khi mượn thêm.",
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
    "overdue": "Đang có sách quá hạn chưa trả",
    "damaged": "Bản sách cần sửa chữa",
    "other": "Mời đến thư viện để trao đổi thêm",
}
ASK_REFUSAL_REASON = (
    "Chọn lý do từ chối yêu cầu #{request_id} ({title}), hoặc Hủy để thôi không từ chối:"
)
REFUSAL_DROPPED = "Đã thôi, yêu cầu vẫn chờ duyệt."
REQUEST_APPROVED_FOR_READER = (
    "✅ Yêu cầu mượn <b>{title}</b> đã được duyệt. Sách <code>{accession}</code>"
    " được giữ tại quầy thư viện đến hết ngày <b>{until}</b>.\nGiờ mở cửa: {hours}"
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
    "🎉 Đã đến lượt! Sách <b>{title}</b> (<code>{accession}</code>) đang được giữ"
    " tại quầy thư viện đến hết ngày <b>{until}</b>."
)

# My books
MY_BOOKS_EMPTY = "Chưa có cuốn nào đang mượn hay đăng ký. Gõ tên sách để tìm nhé!"
MY_BOOKS_HEADER = "📚 <b>Sách của {name}</b>"
MY_LOANS = "<b>Đang mượn</b>:"
MY_LOAN = "• <b>{title}</b> (<code>{accession}</code>) — hạn trả {due}{overdue}"
MY_OVERDUE = " ⚠️ quá hạn"
MY_HOLDS = "<b>Đang giữ, chờ đến lấy</b>:"
MY_HOLD = "• <b>{title}</b> (<code>{accession}</code>) — đến lấy trước hết ngày {until}"
MY_REQUESTS = "<b>Đã đăng ký</b>:"
MY_PENDING = "• <b>{title}</b> — chờ duyệt"
MY_WAITING = "• <b>{title}</b> — hàng chờ, thứ {position}"
RENEWED = "🔁 Đã gia hạn <b>{title}</b>, hạn trả mới: <b>{due}</b>."
RENEW_REFUSED = {
    "someone_waiting": "Không gia hạn được: có bạn đọc khác đang chờ cuốn này.",
    "no_renewals_left": "Không gia hạn được: đã gia hạn hết số lần cho phép.",
    "overdue": "Không gia hạn được vì sách đã quá hạn. Hãy mang sách đến thư viện.",
    "whole_year": "Sách giáo khoa mượn cả năm không cần gia hạn.",
    "not_renewable": "Loại sách này không được gia hạn.",
}
CANCELLED = "Đã hủy đăng ký <b>{title}</b>."
NOT_YOURS = "Mục này không thuộc tài khoản này."

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
    "📚 Thư viện vừa cho mượn <b>{title}</b> (<code>{accession}</code>). Hạn trả: <b>{due}</b>."
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
    "Ghi bản <code>{accession}</code> là «{status}»? Bấm Xác nhận, hoặc Hủy để thôi."
    " Muốn kèm ghi chú, gõ <code>/mat số-ĐKCB ghi chú</code>"
    " hoặc <code>/hong số-ĐKCB ghi chú</code>."
)
CANCELLED_DIALOG = "Đã thôi."
BUTTON_CONFIRM = "✅ Xác nhận"
CONFIRM_DROPPED = "Đã thôi, không thay đổi gì."
ACCESSION_CANDIDATES = (
    "Số «{typed}» có ở {count} bản sách. Bấm chọn bản đúng"
    " (hoặc gõ đủ số, ví dụ <code>{example}</code>):"
)
ACCESSION_CANDIDATE = "{accession} — {title}"
ACCESSION_MORE_AMBIGUOUS = "Còn {count} số nữa có ở nhiều bản: hãy gõ đủ số ĐKCB của chúng."
LEND_BLOCKED_ON_LOAN = (
    "⛔ Bản <code>{accession}</code> ({title}) đang được mượn:"
    " {reader}{class_part}, hạn trả {due}. Nhận trả trước rồi mới cho mượn lại được."
)
LEND_BLOCKED_UNAVAILABLE = (
    "⛔ Bản <code>{accession}</code> ({title}) đang ở trạng thái «{status}», không cho mượn được."
)
LEND_HELD_NOTICE = (
    "📌 Bản <code>{accession}</code> ({title}) đang được giữ cho {reader}{class_part}"
    " đến {until}: chỉ bạn đọc này mượn được."
)
BUTTON_LEND_TO_HOLDER = "📤 Cho {reader} mượn"
RECALL_EMPTY = "Không có sách giáo khoa mượn cả năm nào cần thu hồi. 👍"
RECALL_HEADER = "📚 <b>Sách giáo khoa cần thu hồi</b> trước {deadline} ({count} bản):"
RECALL_LINE = "• {class_name} — {reader}: <code>{accession}</code> {title}"

# Printing
NO_COPIES_TO_LABEL = "Không có bản sách nào khớp để in nhãn."
NO_READERS_FOR_CARDS = "Không có bạn đọc nào{class_part} để in thẻ."
SHEET_WRITTEN = "Đã ghi {count} {what} vào {path}"

# feature-texts: groups
GROUP_HELLO = (
    "Chào cả nhóm! Đây là <b>{library}</b> 📚\n"
    "Để nhóm nhận tin của thư viện:\n"
    "• Giáo viên chủ nhiệm (đã liên kết thẻ bạn đọc) hoặc cán bộ thư viện gõ"
    " <code>/dangkylop 6A</code> (thay 6A bằng tên lớp). Nhóm lớp sẽ nhận các đợt phát động"
    " đọc sách, thông báo và giới thiệu sách mới của thư viện.\n"
    "• Cán bộ thư viện đăng ký nhóm Tổ cộng tác viên bằng"
    " <code>/dangkynhom congtacvien</code>.\n"
    "Tìm sách ngay trong nhóm: <code>/tim từ khóa</code>."
)
GROUP_REGISTERED_CLASS = (
    "✅ Đã đăng ký nhóm này là nhóm lớp <b>{class_name}</b>.\n"
    "Nhóm sẽ nhận: các đợt phát động đọc sách theo tháng, thông báo của thư viện,"
    " giới thiệu sách mới và bảng vinh danh góp sách.\n"
    "Muốn thôi nhận tin, giáo viên chủ nhiệm hoặc cán bộ thư viện gõ /huydangky."
)
GROUP_REGISTERED_TEAM = (
    "✅ Đã đăng ký nhóm này là nhóm <b>Tổ cộng tác viên thư viện</b>.\n"
    "Nhóm sẽ nhận: thông báo họp tổ (nội dung, thời gian, điểm danh tham dự) và lịch"
    " phân công trực, vệ sinh thư viện.\n"
    "Muốn thôi nhận tin, cán bộ thư viện gõ /huydangky."
)
GROUP_CLASS_USAGE = (
    "Gõ kèm tên lớp, ví dụ <code>/dangkylop 6A</code>. Chỉ giáo viên chủ nhiệm lớp đó"
    " hoặc cán bộ thư viện đăng ký được."
)
GROUP_BAD_CLASS = (
    "«{value}» không phải tên một lớp của trường (khối 6 đến khối 9)."
    " Gõ ví dụ <code>/dangkylop 6A</code>."
)
GROUP_TEAM_USAGE = (
    "Gõ <code>/dangkynhom congtacvien</code> để đăng ký nhóm này là nhóm"
    " Tổ cộng tác viên thư viện."
)
GROUP_TEAM_NAMES = ("congtacvien", "ctv", "tocongtacvien")
GROUP_ONLY = (
    "Lệnh này dùng trong nhóm: thêm bot thư viện vào nhóm lớp (hoặc nhóm cộng tác viên)"
    " rồi gõ lệnh ở đó nhé."
)
GROUP_UNREGISTERED = "Đã hủy đăng ký. Nhóm này sẽ không nhận tin của thư viện nữa."
GROUP_NOT_REGISTERED = "Nhóm này chưa đăng ký nhận tin của thư viện."

# feature-texts: reminders
REMINDER_HEADER = "🔔 <b>Nhắc trả sách</b>\nChào {name}, đây là sách đang mượn của thư viện:"
REMINDER_BEFORE = "• <b>{title}</b> (<code>{accession}</code>) — sắp đến hạn trả: <b>{due}</b>"
REMINDER_DUE = "• <b>{title}</b> (<code>{accession}</code>) — <b>hôm nay ({due})</b> là hạn trả"
REMINDER_OVERDUE = (
    "• <b>{title}</b> (<code>{accession}</code>) — ⚠️ <b>quá hạn {days} ngày</b> (hạn trả {due})"
)
REMINDER_MORE = "• … và {count} cuốn nữa — xem /sachcuatoi."
REMINDER_FOOTER = "Nhớ mang sách đến thư viện trả nhé. Giờ mở cửa: {hours}"
REMINDER_CAN_RENEW = "Cần thêm thời gian đọc? Bấm 🔁 Gia hạn bên dưới."
HOMEROOM_HEADER = (
    "📋 <b>Sách quá hạn của lớp {class_name}</b> ({day})\n"
    "Các em sau đã quá hạn trả sách từ {days} ngày trở lên. Nhờ thầy/cô nhắc các em"
    " mang sách đến thư viện:"
)
HOMEROOM_LINE = (
    "• {new}<b>{reader}</b>: {title} (<code>{accession}</code>), hạn trả {due},"
    " quá hạn {days} ngày"
)
HOMEROOM_NEW = "🆕 "
DIGEST_HEADER = (
    "📊 <b>Sách quá hạn — tổng hợp tuần {first} – {last}</b>\n"
    "{count} cuốn quá hạn của {readers} bạn đọc (tính đến {day})."
)
DIGEST_LATE = "⏰ <i>Bản tổng hợp tuần, gửi muộn vì bot không chạy hôm {weekday} {day}.</i>"
DIGEST_CLASS = "\n<b>{group}</b> ({count} cuốn)"
DIGEST_STAFF = "Giáo viên, nhân viên"
DIGEST_LINE = "• {reader}: {title} (<code>{accession}</code>), hạn {due}, quá hạn {days} ngày"
LIST_MORE = "… và {count} cuốn nữa."

# feature-texts: campaigns
# The built-in campaign calendar, after the school library plans (kế hoạch thư viện):
# key, day/month, audience, title, message, catalog titles suggested (looked up at seeding).
CAMPAIGN_CALENDAR: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    (
        "quoc-khanh",
        "02/09",
        "classes",
        "Chào mừng Quốc khánh 2/9",
        "Ngày 2/9/1945, tại Quảng trường Ba Đình, Chủ tịch Hồ Chí Minh đọc bản Tuyên ngôn độc lập,"
        " khai sinh nước Việt Nam Dân chủ Cộng hòa. Nhân dịp Quốc khánh và năm học mới, thư viện"
        " mời các em cùng đọc những cuốn sách về Bác và về lịch sử dân tộc."
        " Bấm vào tên sách để xem sách còn trên giá không và đăng ký mượn nhé!",
        (
            "Những mẩu chuyện về đời hoạt động của Hồ Chủ tịch",
            "Lịch sử Việt Nam bằng tranh - Tập 1",
            "Đất nước Việt Nam qua các đời",
        ),
    ),
    (
        "tai-lieu-nam-hoc",
        "08/09",
        "teachers",
        "Tài liệu giảng dạy cho năm học mới",
        "Kính gửi quý thầy cô! Thư viện đã sẵn sàng phục vụ năm học mới: sách giáo viên,"
        " chương trình giáo dục phổ thông và tài liệu bồi dưỡng chuyên môn. Thầy cô cần tài liệu"
        " theo môn học hoặc theo chủ đề, xin nhắn thư viện để được chuẩn bị trước. Thư viện cũng"
        " chuyển sách về lớp cho các tiết đọc theo yêu cầu của thầy cô.",
        (
            "Chương trình giáo dục phổ thông - Chương trình tổng thể",
            "Dạy học tích cực - Một số phương pháp và kĩ thuật dạy học",
            "Dạy học phát triển năng lực môn Ngữ văn trung học cơ sở",
            "Dạy học phát triển năng lực môn Toán trung học cơ sở",
        ),
    ),
    (
        "hoc-tap-suot-doi",
        "01/10",
        "readers",
        "Tuần lễ hưởng ứng học tập suốt đời",
        "Tháng 10 có Tuần lễ hưởng ứng học tập suốt đời. Mỗi cuốn sách là một người thầy: đọc"
        " mỗi ngày một ít, các em sẽ thấy mình lớn lên từng ngày. Thư viện trưng bày sách về"
        " tự học và kỹ năng học tập, mời thầy cô và các em ghé đọc hoặc mượn về nhà."
        " «Góp một cuốn sách nhỏ, đọc ngàn cuốn sách hay»: ai có cuốn sách đã đọc xong,"
        " hãy tặng thư viện để nhiều bạn đọc khác cùng đọc nhé!",
        (
            "Tự học - Một nhu cầu thời đại",
            "Tôi tự học",
            "Tôi tài giỏi, bạn cũng thế!",
            "Sơ đồ tư duy",
        ),
    ),
    (
        "phu-nu-viet-nam",
        "20/10",
        "classes",
        "Chào mừng Ngày Phụ nữ Việt Nam 20/10",
        "Ngày 20/10 là dịp để các em nói lời cảm ơn bà, mẹ, cô giáo và các bạn nữ."
        " Thư viện giới thiệu những cuốn sách viết về những người phụ nữ giàu nghị lực và giàu"
        " yêu thương. Đọc xong, các em thử viết vài dòng cảm nhận tặng mẹ hoặc cô giáo nhé!",
        (
            "Nhật ký Đặng Thùy Trâm",
            "Những người phụ nữ bé nhỏ",
            "Anne tóc đỏ dưới chái nhà xanh",
        ),
    ),
    (
        "nha-giao-viet-nam",
        "20/11",
        "classes",
        "Tri ân thầy cô — Ngày Nhà giáo Việt Nam 20/11",
        "Tháng 11 là tháng tri ân thầy cô. Thư viện giới thiệu cuốn «Gương Nhà giáo Thủ đô»"
        " cùng những câu chuyện cảm động về thầy và trò. Các em đọc rồi kể lại trong giờ sinh"
        " hoạt lớp câu chuyện các em thích nhất về thầy cô nhé!",
        (
            "Người thầy đầu tiên",
            "Những ngày thứ Ba với thầy Morrie",
            "Tôi đi học",
            "Totto-chan bên cửa sổ",
        ),
    ),
    (
        "quan-doi-nhan-dan",
        "22/12",
        "classes",
        "Chào mừng Ngày thành lập Quân đội nhân dân Việt Nam 22/12",
        "Ngày 22/12/1944, Đội Việt Nam Tuyên truyền Giải phóng quân ra đời, tiền thân của Quân"
        " đội nhân dân Việt Nam. Thư viện giới thiệu những cuốn sách về anh bộ đội Cụ Hồ và"
        " những trang sử hào hùng của dân tộc. Mời các em đến thư viện đọc và mượn sách!",
        (
            "Những năm tháng không thể nào quên",
            "Điện Biên Phủ - Điểm hẹn lịch sử",
            "Dấu chân người lính",
            "Đội thiếu niên tình báo Bát Sắt",
        ),
    ),
    (
        "mung-dang-mung-xuan",
        "03/02",
        "classes",
        "Mừng Đảng, mừng Xuân — kỷ niệm ngày thành lập Đảng 3/2",
        "Ngày 3/2/1930, Đảng Cộng sản Việt Nam ra đời. Đón Xuân mới, thư viện mời các em đọc"
        " về lịch sử dân tộc và phong tục ngày Tết cổ truyền. Nghỉ Tết, hãy mượn một cuốn sách"
        " hay về nhà đọc cùng gia đình nhé!",
        ("Đường Kách mệnh", "Thương nhớ mười hai", "Việt Nam phong tục"),
    ),
    (
        "quoc-te-phu-nu",
        "08/03",
        "classes",
        "Chào mừng Ngày Quốc tế Phụ nữ 8/3",
        "Nhân ngày 8/3, thư viện giới thiệu những cuốn sách về những người phụ nữ kiên cường,"
        " nhân hậu trên khắp thế giới. Một cuốn sách hay cũng là món quà ý nghĩa tặng mẹ,"
        " tặng cô và các bạn nữ trong lớp!",
        ("Những người phụ nữ bé nhỏ", "Nhật ký Anne Frank", "Túp lều bác Tôm"),
    ),
    (
        "doan-thanh-nien",
        "26/03",
        "classes",
        "Chào mừng Ngày thành lập Đoàn TNCS Hồ Chí Minh 26/3",
        "Ngày 26/3/1931, Đoàn Thanh niên Cộng sản Hồ Chí Minh được thành lập. Thư viện giới"
        " thiệu những tấm gương thanh niên, thiếu niên sống đẹp và dũng cảm. Các em đội viên"
        " hãy đọc để tiếp bước các anh chị nhé!",
        ("Thép đã tôi thế đấy", "Mãi mãi tuổi hai mươi", "Kim Đồng", "Tuổi trẻ Hoàng Văn Thụ"),
    ),
    (
        "on-thi-lop-10",
        "10/04",
        "grade:9",
        "Ôn tập cuối năm và ôn thi vào lớp 10",
        "Các em lớp 9 ơi, kỳ thi vào lớp 10 đang đến gần! Thư viện có sách tham khảo, sách"
        " nâng cao và tài liệu ôn tập các môn. Các em đến phòng đọc ôn bài hoặc mượn sách về"
        " nhà; cần tìm tài liệu gì, cứ nhắn thư viện nhé. Chúc các em ôn tập thật tốt!",
        (
            "Nâng cao và phát triển Toán 9 - Tập một",
            "Bài tập Ngữ văn 9 - Tập một (Kết nối tri thức với cuộc sống)",
            "Tiếng Anh 9 - Global Success - Sách bài tập",
            "Từ điển Anh - Việt",
        ),
    ),
    (
        "ngay-sach-viet-nam",
        "21/04",
        "readers",
        "Ngày hội đọc sách — Ngày Sách và Văn hóa đọc Việt Nam 21/4",
        "Ngày 21/4 là Ngày Sách và Văn hóa đọc Việt Nam. Thư viện tổ chức Ngày hội đọc sách:"
        " trưng bày và giới thiệu sách, văn nghệ chào mừng, phát động quyên góp sách. Mời thầy"
        " cô và các em đến thư viện, chọn một cuốn sách hay và rủ bạn bè cùng đọc!",
        (
            "Dế Mèn phiêu lưu ký",
            "Tôi thấy hoa vàng trên cỏ xanh",
            "Kẻ trộm sách",
            "Cây cam ngọt của tôi",
        ),
    ),
    (
        "ngay-sach-the-gioi",
        "23/04",
        "classes",
        "Ngày Sách và Bản quyền thế giới 23/4",
        "Ngày 23/4 là Ngày Sách và Bản quyền thế giới. Tôn trọng bản quyền là trân trọng công"
        " sức của tác giả: hãy đọc sách thật, mượn sách ở thư viện thay vì dùng bản sao lậu."
        " Thư viện giới thiệu vài tác phẩm nổi tiếng của văn học thế giới, mời các em đọc!",
        (
            "Hoàng tử bé",
            "Những tấm lòng cao cả",
            "Không gia đình",
            "Hai vạn dặm dưới đáy biển",
        ),
    ),
    (
        "giai-phong-mien-nam",
        "30/04",
        "classes",
        "Kỷ niệm Ngày Giải phóng miền Nam, thống nhất đất nước 30/4",
        "Ngày 30/4/1975, miền Nam hoàn toàn giải phóng, đất nước thống nhất. Thư viện giới"
        " thiệu những cuốn sách về cuộc kháng chiến và những con người anh hùng. Mời các em"
        " đọc để thêm hiểu và thêm yêu quê hương đất nước!",
        ("Đất rừng phương Nam", "Những ngôi sao xa xôi", "Chiếc lược ngà", "Hòn Đất"),
    ),
    (
        "sinh-nhat-bac",
        "19/05",
        "classes",
        "Mừng sinh nhật Bác Hồ 19/5",
        "Ngày 19/5/1890, Chủ tịch Hồ Chí Minh ra đời tại làng Kim Liên, Nam Đàn, Nghệ An."
        " Nhân dịp sinh nhật Bác, thư viện giới thiệu những cuốn sách viết về cuộc đời và sự"
        " nghiệp của Bác. Các em đọc rồi kể cho nhau nghe một câu chuyện về Bác nhé!",
        ("Búp sen xanh", "Bông sen vàng", "Vừa đi đường vừa kể chuyện", "Nhật ký trong tù"),
    ),
    (
        "sach-mua-he",
        "25/05",
        "classes",
        "Sách hay cho mùa hè",
        "Mùa hè sắp đến rồi! Thư viện gợi ý vài cuốn sách hay để các em đọc trong kỳ nghỉ."
        " Trước khi nghỉ hè, nhớ trả sách đã mượn để thư viện kiểm kê; khi thư viện mở cửa"
        " phục vụ học hè, các em lại đến mượn sách nhé. Chúc các em một mùa hè vui và bổ ích!",
        (
            "Dế Mèn phiêu lưu ký",
            "Hoàng tử bé",
            "Kính vạn hoa - Tập 1",
            "Tôi là Bêtô",
            "Rô-bin-xơn Cru-xô",
        ),
    ),
)

AUDIENCE_NAMES = {
    "classes": "tất cả các nhóm lớp",
    "grade": "các nhóm lớp khối {value}",
    "class": "nhóm lớp {value}",
    "teachers": "giáo viên",
    "collaborators": "tổ cộng tác viên thư viện",
    "readers": "tất cả bạn đọc đã liên kết",
}
AUDIENCE_BUTTONS = {
    "classes": "🏫 Tất cả nhóm lớp",
    "grade": "🎒 Một khối",
    "class": "👥 Một lớp",
    "teachers": "👩‍🏫 Giáo viên",
    "collaborators": "🤝 Cộng tác viên",
    "readers": "📱 Mọi bạn đọc",
}
GRADE_BUTTON = "Khối {grade}"
ASK_GRADE = "Chọn khối:"

# A campaign or broadcast as its recipients read it.
CAMPAIGN_HEADING = "📅 <b>{title}</b>"
BOOKS_HEADING = "📚 <b>Thư viện giới thiệu</b>:"
BOOK_LINE = '{number}. <b>{title}</b>{author}\n    {availability} · <a href="{link}">xem sách</a>'

# /chiendich
CAMPAIGN_LIST_HEADER = "📅 <b>Lịch chiến dịch</b> ({count}), theo ngày gửi sắp tới:"
CAMPAIGN_LIST_LINE = "{marker} {date} — {title}{run}"
CAMPAIGN_LIST_EMPTY = "Chưa có chiến dịch nào. Bấm «Thêm chiến dịch» để tạo."
CAMPAIGN_LIST_HINT = "Bấm một chiến dịch để xem, sửa, duyệt hoặc tạm dừng."
CAMPAIGN_CARD = (
    "📅 <b>{title}</b>\n"
    "Ngày: <b>{day_month}</b> hằng năm, gửi lúc <b>{time}</b> (lần tới: {next_date})\n"
    "Gửi tới: {audience}\n"
    "Xem trước: {lead_days} ngày trước, gửi cán bộ thư viện duyệt\n"
    "Trạng thái: {status} · lần gửi {next_date}: {run}\n\n"
    "<b>Nội dung</b>:\n{message}\n\n"
    "<b>Sách</b> ({count}/{limit}):{books}"
)
CAMPAIGN_NO_MESSAGE = "<i>(chưa có nội dung)</i>"
CAMPAIGN_NO_BOOKS = " chưa có"
CAMPAIGN_BOOK_LINE = "\n{number}. {title}{author}"
CAMPAIGN_STATUS = {"active": "▶️ đang bật", "paused": "⏸ tạm dừng"}
RUN_STATUS = {
    "": "chưa xem trước",
    "previewed": "chờ duyệt",
    "approved": "✅ đã duyệt",
    "skipped": "⏭ bỏ qua",
    "sending": "📤 đang gửi",
    "sent": "✔️ đã gửi",
}
BUTTON_NEW_CAMPAIGN = "➕ Thêm chiến dịch"
BUTTON_EDIT_TITLE = "✏️ Tên"
BUTTON_EDIT_MESSAGE = "✏️ Nội dung"
BUTTON_EDIT_DATE = "📆 Ngày"
BUTTON_EDIT_TIME = "🕖 Giờ gửi"
BUTTON_EDIT_AUDIENCE = "👥 Người nhận"
BUTTON_ADD_BOOK = "➕ Thêm sách"
BUTTON_REMOVE_BOOK = "➖ Bỏ sách"
BUTTON_PAUSE = "⏸ Tạm dừng"
BUTTON_RESUME = "▶️ Bật lại"
BUTTON_PREVIEW = "👁 Xem trước"
BUTTON_APPROVE_RUN = "✅ Duyệt"
BUTTON_SKIP_RUN = "⏭ Bỏ qua"
BUTTON_EDIT_RUN = "✏️ Sửa"
BUTTON_BACK_TO_LIST = "« Danh sách"
ASK_CAMPAIGN_TITLE = "Gõ tên chiến dịch (tối đa {limit} ký tự); /huy để thôi."
ASK_CAMPAIGN_MESSAGE = (
    "Gõ nội dung gửi tới bạn đọc (tối đa {limit} ký tự), viết như nói với học sinh"
    " và thầy cô; /huy để thôi."
)
ASK_CAMPAIGN_DATE = "Gõ ngày gửi hằng năm dạng <code>ngày/tháng</code>, ví dụ <code>20/11</code>."
ASK_CAMPAIGN_TIME = "Gõ giờ gửi, ví dụ <code>07:30</code>."
ASK_BOOK_QUERY = "Gõ tên sách hoặc tác giả để tìm (không cần dấu); /huy để thôi."
PICK_BOOK = "Chọn sách để thêm:"
NO_BOOK_FOUND = "Không tìm thấy sách nào với «{query}». Gõ lại, hoặc /huy để thôi."
PICK_BOOK_TO_REMOVE = "Bấm sách cần bỏ khỏi chiến dịch:"
BAD_CAMPAIGN_DATE = "«{text}» không phải ngày/tháng. Gõ lại, ví dụ <code>20/11</code>."
BAD_CAMPAIGN_TIME = (
    "«{text}» không phải giờ. Gõ lại, ví dụ <code>07:30</code> hoặc <code>7h30</code>."
)
TEXT_TOO_LONG = "Dài {length} ký tự, tối đa {limit}. Rút gọn rồi gửi lại nhé."
TEXT_EXPECTED = "Cần gõ bằng chữ. Gõ lại, hoặc /huy để thôi."
CAMPAIGN_TOO_LONG = (
    "Nội dung cùng danh sách sách dài quá một tin Telegram {over} ký tự."
    " Rút gọn nội dung hoặc bớt sách rồi lưu lại nhé."
)
CAMPAIGN_SAVED = "✅ Đã lưu."
CAMPAIGN_UNAPPROVED = " Nội dung đã đổi nên lần gửi sắp tới cần duyệt lại."
CAMPAIGN_NOT_FOUND = "Không tìm thấy chiến dịch này. Gõ /chiendich để xem lại lịch."
CAMPAIGN_BOOKS_FULL = "Chiến dịch đã có đủ {limit} cuốn. Bỏ bớt một cuốn rồi thêm nhé."
CAMPAIGN_BOOK_ADDED = "Đã thêm «{title}»."
CAMPAIGN_BOOK_ALREADY = "«{title}» đã có trong chiến dịch."
CAMPAIGN_BOOK_REMOVED = "Đã bỏ «{title}»."
CAMPAIGN_PICK_AUDIENCE = "Chiến dịch «{title}» gửi tới ai?"
CAMPAIGN_CREATED = "✅ Đã thêm chiến dịch «{title}»."
CAMPAIGN_PREVIEW_ASK = (
    "☝️ Bản xem trước chiến dịch «{title}»: tin trên sẽ gửi lúc <b>{time}</b>"
    " ngày <b>{date}</b> tới {audience} ({count} nơi nhận).\n"
    "Bấm <b>Duyệt</b> để gửi; chưa duyệt thì không gửi."
)
CAMPAIGN_PREVIEW_HERE = (
    "☝️ Tin trên sẽ gửi tới {audience} ({count} nơi nhận) lúc {time} ngày {date}."
)
RUN_APPROVED = "✅ Đã duyệt: «{title}» sẽ gửi lúc {time} ngày {date}."
RUN_SKIPPED = "⏭ Năm nay bỏ qua «{title}» ({date})."
RUN_TOO_LATE = "Lần gửi này đã {status}, không đổi được nữa."
RUN_NOT_CURRENT = "Lần gửi này không còn. Gõ /chiendich để xem lần gửi sắp tới."
CAMPAIGN_REPORT = (
    "📊 Chiến dịch «{title}» ({date}) đã gửi xong tới {total} nơi nhận:\n"
    "✅ {sent} thành công · ❌ {failed} không gửi được · 🚫 {blocked} đã chặn bot hoặc rời nhóm"
)
CAMPAIGN_NO_RECIPIENTS = (
    "⚠️ Chiến dịch «{title}» ({date}) không có nơi nhận nào ({audience})."
    " Hãy đăng ký nhóm lớp bằng /dangkylop trong từng nhóm."
)
CAMPAIGN_PREVIEW_NOBODY = "\n⚠️ Hiện chưa gửi được tới {audience}: {advice}"
CAMPAIGN_AUDIENCE_UNREACHED = (
    "⚠️ Đã lưu người nhận của «{title}», nhưng hiện chưa gửi được tới {audience}: {advice}"
    "\nChiến dịch chỉ gửi tới những nơi đã đăng ký vào ngày gửi. Muốn gửi cho nhóm khác,"
    " bấm «Người nhận» để chọn lại."
)

# feature-texts: broadcasts
BROADCAST_HEADING = "📣 <b>{library}</b>"
BOOK_INTRO_HEADING = "📣 <b>Thư viện giới thiệu sách</b>"
BOOK_INTRO_AUTHOR = "✍️ {author}"
BOOK_INTRO_PUBLISHER = "🏢 {publisher}"
BUTTON_PROMOTE = "📣 Giới thiệu sách"
BUTTON_OPEN_BOOK = "📖 Xem sách, đăng ký mượn"
BROADCAST_SCHEDULED_HEADER = "⏰ <b>Thông báo đã hẹn giờ</b> ({count}):"
BROADCAST_SCHEDULED_LINE = "#{id} · {when} → {audience}: {summary}"
BUTTON_CANCEL_SCHEDULED = "✖️ Hủy #{id}"
BROADCAST_ASK_AUDIENCE = "📣 <b>Soạn thông báo</b>. Gửi tới ai? (/huy để thôi)"
BOOK_INTRO_ASK_AUDIENCE = "📣 Giới thiệu «{title}» tới ai? (/huy để thôi)"
BROADCAST_ASK_CLASS = "Gõ tên lớp, ví dụ <code>6A</code>."
BROADCAST_BAD_CLASS = (
    "«{text}» không phải tên lớp từ khối 6 đến khối 9. Gõ lại, ví dụ <code>7B</code>."
)
BROADCAST_ASK_TEXT = "Gửi tới {audience}. Gõ nội dung thông báo (tối đa {limit} ký tự)."
BROADCAST_ASK_PHOTO = "Gửi kèm một ảnh (áp phích, ảnh bìa sách…) hoặc bấm «Bỏ qua»."
BROADCAST_PHOTO_EXPECTED = "Đang chờ một ảnh. Gửi ảnh hoặc bấm «Bỏ qua»."
BROADCAST_CAPTION_TOO_LONG = (
    "Tin kèm ảnh chỉ chứa được khoảng {limit} ký tự chữ, nội dung vừa soạn dài {length}."
    " Bấm «Bỏ qua» để gửi không kèm ảnh, hoặc /huy rồi soạn lại ngắn hơn."
)
BROADCAST_ASK_BOOKS = (
    "Giới thiệu kèm sách trong thư viện? Gõ tên sách để tìm, hoặc bấm «Xong» để xem trước."
)
BROADCAST_BOOK_ADDED = "Đã thêm «{title}» ({count}/{limit}). Gõ tên sách khác, hoặc bấm «Xong»."
BROADCAST_BOOKS_FULL = "Đã đủ {limit} cuốn. Bấm «Xong» để xem trước."
BROADCAST_BOOK_TOO_LONG = "Thêm sách này thì tin sẽ quá dài, không gửi được."
BUTTON_SKIP = "Bỏ qua ›"
BUTTON_DONE = "Xong ›"
BROADCAST_PREVIEW_ASK = (
    "☝️ Tin trên sẽ gửi tới {audience} ({count} nơi nhận). Gửi ngay hay hẹn giờ?"
)
BROADCAST_NO_RECIPIENTS = (
    "⚠️ Chưa gửi được tới {audience}: {advice}\n\n"
    "Bản soạn vẫn được giữ nguyên. Chọn người nhận khác ở dưới, hoặc đăng ký xong"
    " thì bấm «Kiểm tra lại»."
)
BROADCAST_STILL_NO_RECIPIENTS = "Vẫn chưa có nơi nhận nào. Đăng ký xong rồi bấm lại nhé."
BUTTON_RECHECK = "🔄 Kiểm tra lại"
BUTTON_COMPOSE_ANYWAY = "✍️ Cứ soạn trước"
BUTTON_CHANGE_AUDIENCE = "👥 Đổi người nhận"
BROADCAST_PICK_OTHER_AUDIENCE = "Gửi tới ai? Nội dung đã soạn vẫn giữ nguyên."
# Why an audience reaches nobody, and what the librarian can do about it.
AUDIENCE_ADVICE = {
    "classes": "chưa có nhóm lớp nào đăng ký nhận tin. Để đăng ký một nhóm lớp: thêm bot vào"
    " nhóm Telegram của lớp, rồi giáo viên chủ nhiệm hoặc cán bộ thư viện gõ"
    " <code>/dangkylop 6A</code> ngay trong nhóm đó (thay 6A bằng tên lớp).",
    "grade": "chưa có nhóm lớp nào của khối {value} đăng ký nhận tin. Để đăng ký: thêm bot vào"
    " nhóm Telegram của từng lớp, rồi giáo viên chủ nhiệm hoặc cán bộ thư viện gõ"
    " <code>/dangkylop {value}A</code> ngay trong nhóm đó (thay {value}A bằng tên lớp).",
    "class": "nhóm này chưa đăng ký nhận tin. Để đăng ký: thêm bot vào nhóm Telegram"
    " của lớp {value}, rồi giáo viên chủ nhiệm hoặc cán bộ thư viện gõ"
    " <code>/dangkylop {value}</code> ngay trong nhóm đó.",
    "teachers": "chưa thầy cô nào liên kết tài khoản Telegram. Cấp mã liên kết cho từng"
    " thầy cô bằng <code>/lienket mã-giáo-viên</code>, hoặc in thẻ bạn đọc có mã QR"
    " (<code>thuvien cards</code>).",
    "collaborators": "chưa đăng ký nhóm Tổ cộng tác viên và chưa ai có quyền cộng tác viên."
    " Gõ <code>/dangkynhom congtacvien</code> trong nhóm của tổ, hoặc cấp quyền bằng"
    " <code>/quyen them mã-bạn-đọc congtacvien</code>.",
    "readers": "chưa có bạn đọc nào liên kết tài khoản Telegram. Bạn đọc quét mã QR trên thẻ"
    " bạn đọc (<code>thuvien cards</code>) hoặc dùng mã do thư viện cấp bằng"
    " <code>/lienket mã-bạn-đọc</code>.",
}
BUTTON_SEND_NOW = "📤 Gửi ngay"
BUTTON_SCHEDULE = "⏰ Hẹn giờ"
BUTTON_DISCARD = "✖️ Bỏ"
BROADCAST_ASK_WHEN = (
    "Gửi lúc nào? Gõ ngày giờ dạng <code>ngày/tháng giờ:phút</code> theo giờ Việt Nam,"
    " ví dụ <code>{example}</code>."
)
BROADCAST_WHEN_REFUSED = {
    "format": "Chưa đọc được ngày giờ này. Gõ dạng <code>20/11 07:30</code> nhé.",
    "past": "Thời điểm này đã qua rồi. Gõ một ngày giờ sắp tới nhé.",
    "too_far": "Chỉ hẹn được trong vòng một năm tới. Gõ ngày giờ gần hơn nhé.",
}
BROADCAST_QUEUED = (
    "📤 Đã xếp {count} tin vào hàng gửi (thông báo #{id}). Gửi xong sẽ có báo cáo kết quả."
)
BROADCAST_SCHEDULED = (
    "⏰ Đã hẹn gửi thông báo #{id} lúc <b>{when}</b> tới {audience}. Xem hoặc hủy bằng /thongbao."
)
BROADCAST_DISCARDED = "Đã bỏ bản soạn này."
BROADCAST_CANCELLED = "Đã hủy thông báo hẹn giờ #{id}."
BROADCAST_NOT_CANCELLABLE = "Thông báo này đã gửi hoặc đã hủy rồi."
BROADCAST_DRAFT_GONE = "Bản soạn này không còn. Gõ /thongbao để soạn lại."
BROADCAST_REPORT = (
    "📊 Thông báo #{id} đã gửi xong tới {total} nơi nhận:\n"
    "✅ {sent} thành công\n❌ {failed} không gửi được\n🚫 {blocked} đã chặn bot hoặc rời nhóm"
)

# feature-texts: team
TEAM_HEADERS = {
    "before": "📣 <b>Thông báo họp Tổ cộng tác viên thư viện tháng {month}</b>",
    "morning": "⏰ <b>Hôm nay họp Tổ cộng tác viên thư viện tháng {month}</b>",
    "moved": "🔁 <b>Đổi giờ họp Tổ cộng tác viên thư viện tháng {month}</b>",
    "view": "🗓 <b>Buổi họp Tổ cộng tác viên thư viện tháng {month}</b>",
}
TEAM_MEETING = "{header}\n🕒 {weekday}, {day} lúc {at}\n📍 {place}\n\n<b>Nội dung:</b>\n{agenda}"
TEAM_ASK_ANSWER = "\n\nMỗi thành viên bấm <b>Có mặt</b> hoặc <b>Vắng</b> để báo tham dự."
TEAM_ASK_ANSWER_AGAIN = (
    "\n\nGiờ họp đã đổi nên điểm danh làm lại: mỗi thành viên bấm <b>Có mặt</b> hoặc"
    " <b>Vắng</b> giúp nhé."
)
TEAM_CANCELLED = (
    "🚫 <b>Hủy buổi họp Tổ cộng tác viên thư viện</b> {weekday}, {day} lúc {at}.\n"
    "Thư viện sẽ báo lịch họp tiếp theo sau."
)
BUTTON_TEAM_PRESENT = "✅ Có mặt"
BUTTON_TEAM_ABSENT = "❌ Vắng"
BUTTON_TEAM_EDIT = "✏️ Sửa nội dung"
BUTTON_TEAM_MOVE = "🕒 Đổi giờ"
BUTTON_TEAM_CANCEL = "🚫 Hủy buổi họp"
BUTTON_TEAM_CANCEL_YES = "Có, hủy buổi họp"
BUTTON_TEAM_CANCEL_NO = "Không, giữ nguyên"
TEAM_ANSWER_SAVED = {
    "present": "Đã ghi: có mặt. Cảm ơn nhé!",
    "absent": "Đã ghi: vắng buổi họp này.",
}
TEAM_ANSWER_CHANGED = {
    "present": "Đã đổi câu trả lời: có mặt.",
    "absent": "Đã đổi câu trả lời: vắng.",
}
TEAM_MEETING_OVER = "Buổi họp này đã bắt đầu hoặc đã qua."
TEAM_MEETING_CANCELLED = "Buổi họp này đã bị hủy."
TEAM_ROLL_HEADER = "📋 <b>Điểm danh họp Tổ cộng tác viên thư viện</b>\n{weekday}, {day} lúc {at}"
TEAM_ROLL_LABELS = {"present": "Có mặt", "absent": "Vắng", "none": "Chưa trả lời"}
TEAM_ROLL_GROUP = "\n<b>{label} ({count}):</b> {names}"
TEAM_ROLL_NOBODY = "không có"
TEAM_ROLL_MORE = " và {count} người nữa"
TEAM_VIEW_ANSWERS = "\n\nĐã báo: {present} có mặt, {absent} vắng, {none} chưa trả lời."
TEAM_NO_MEETING = (
    "Chưa có buổi họp tổ nào sắp tới (các tháng tới thư viện nghỉ, hoặc buổi họp đã hủy)."
)
TEAM_ASK_AGENDA = (
    "Gửi nội dung mới của buổi họp {day} trong một tin nhắn (tối đa {limit} ký tự)."
    " Gõ /huy để thôi."
)
TEAM_AGENDA_SAVED = "✅ Đã lưu nội dung mới của buổi họp {day}."
TEAM_AGENDA_BAD = (
    "Nội dung phải có chữ và dài không quá {limit} ký tự (tin vừa gửi có {length} ký tự)."
    " Gửi lại, hoặc gõ /huy để thôi."
)
TEAM_ASK_TIME = (
    "Gửi ngày giờ họp mới dạng <code>ngày/tháng giờ:phút</code>, ví dụ <code>{example}</code>."
    " Gõ /huy để thôi."
)
TEAM_TIME_BAD = {
    "format": (
        "Chưa hiểu ngày giờ này. Gửi dạng <code>ngày/tháng giờ:phút</code>,"
        " ví dụ <code>{example}</code>, hoặc gõ /huy."
    ),
    "date": "Không có ngày giờ này. Gửi lại, ví dụ <code>{example}</code>, hoặc gõ /huy.",
    "past": "Thời điểm này đã qua. Gửi một ngày giờ sắp tới, hoặc gõ /huy.",
    "far": "Chỉ đổi được sang một ngày trong vòng một năm tới. Gửi lại, hoặc gõ /huy.",
}
TEAM_MOVED = "✅ Đã đổi buổi họp sang {weekday}, {day} lúc {at}."
TEAM_MOVED_TOLD = " Các thành viên đã được báo giờ mới."
TEAM_MOVED_CLOSED = "\n⚠️ Lưu ý: ngày này thư viện nghỉ ({reason})."
TEAM_ASK_CANCEL = "Hủy buổi họp {weekday}, {day} lúc {at}?"
TEAM_CANCEL_DONE = "Đã hủy buổi họp {day}."
TEAM_CANCEL_TOLD = " Các thành viên đã được báo."
TEAM_CANCEL_KEPT = "Buổi họp vẫn giữ nguyên."
TEAM_ROSTER_POST = (
    "🧹 <b>Trực vệ sinh thư viện {weekday} {day}</b>\n"
    "Phân công: {names}.\nCảm ơn cả tổ đã giữ thư viện sạch đẹp!"
)
TEAM_ROSTER_PRIVATE = (
    "🧹 Chào {name}, {weekday} {day} đến lượt trực vệ sinh, sắp xếp lại thư viện. Cảm ơn nhiều!"
)
TEAM_ROSTER_HEADER = "🧹 <b>Lịch trực vệ sinh thư viện {weeks} tuần tới</b>"
TEAM_ROSTER_LINE = "• {weekday} {day}: {names}"
TEAM_ROSTER_CLOSED = "• {weekday} {day}: thư viện nghỉ ({reason}), không trực"
TEAM_ROSTER_NOBODY = "chưa có thành viên"
TEAM_ROSTER_FOOTER = "\nLượt trực xoay vòng theo tên; tuần thư viện nghỉ không tính lượt."
TEAM_NO_MEMBERS = (
    "\nTổ chưa có thành viên. Cán bộ thư viện cấp quyền bằng"
    " <code>/quyen them mã-bạn-đọc congtacvien</code>."
)

# feature-texts: visits
VISIT_COUNTED = "✅ Đã ghi lượt đến thư viện của <b>{name}</b> hôm nay ({day}). Chúc đọc sách vui!"
VISIT_ALREADY = "Lượt đến thư viện hôm nay ({day}) đã được ghi rồi, không cần quét lại nhé. 😊"
VISIT_NOT_LINKED = (
    "Để ghi lượt đến thư viện, tài khoản Telegram này cần liên kết với thẻ bạn đọc."
    " Hãy quét mã QR trên thẻ bạn đọc (hoặc xin cán bộ thư viện mã liên kết),"
    " rồi quét lại mã ở bàn thư viện."
)
WALK_INS_USAGE = (
    "Ghi lượt đọc của học sinh chưa có tài khoản, theo lớp:\n"
    "<code>/luotdoc 6A 12</code> — 12 học sinh lớp 6A đến hôm nay\n"
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
REPORT_PRIVATE_ONLY = "Báo cáo có tên bạn đọc nên chỉ gửi trong tin nhắn riêng với thư viện."
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
BUTTON_REPORT_MONTH = "Tháng {month:02d}/{year}"
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
SUMMARY_COLUMNS = ("Nội dung", "Số liệu", "Ghi chú")
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
REGISTER_TITLES = {
    "tong-quat": "SỔ ĐĂNG KÝ TỔNG QUÁT",
    "ca-biet": "SỔ ĐĂNG KÝ CÁ BIỆT",
    "sgk": "SỔ ĐĂNG KÝ SÁCH GIÁO KHOA",
    "sgv": "SỔ ĐĂNG KÝ SÁCH GIÁO VIÊN",
    "gv-muon": "SỔ THEO DÕI GIÁO VIÊN MƯỢN SÁCH",
    "hs-muon": "SỔ THEO DÕI HỌC SINH MƯỢN SÁCH",
    "thong-ke": "SỔ THỐNG KÊ BẠN ĐỌC",
}
REGISTER_DISADVANTAGED_TITLE = "DANH SÁCH HỌC SINH CÓ HOÀN CẢNH KHÓ KHĂN MƯỢN SÁCH GIÁO KHOA"
REGISTER_DISADVANTAGED_SHEET = "HS khó khăn mượn SGK"
REGISTER_SCHOOL_YEAR = "Năm học {year}"
REGISTER_PERIOD = "Từ ngày {first} đến ngày {last}"
REGISTER_AS_OF = "Số liệu đến ngày {day}"
REGISTER_SIGN_DATE = "Ngày {day} tháng {month} năm {year}"
REGISTER_SIGNERS = ("NGƯỜI LẬP SỔ", "HIỆU TRƯỞNG")
REGISTER_SIGN_HINT = "(Ký, ghi rõ họ tên)"
REGISTER_FOOTER = "{title} — Trang &P/&N"
REGISTER_HEADERS = {
    "number": "STT",
    "batch_number": "Số thứ tự vào sổ",
    "acquired_on": "Ngày vào sổ",
    "accession": "Số ĐKCB",
    "title": "Tên sách",
    "author": "Tác giả",
    "publisher": "Nhà xuất bản",
    "year": "Năm xuất bản",
    "price": "Giá tiền (đồng)",
    "unit_price": "Đơn giá (đồng)",
    "value": "Thành tiền (đồng)",
    "subject": "Môn loại",
    "school_subject": "Môn học",
    "batch": "Số vào sổ tổng quát",
    "status": "Tình trạng",
    "note": "Ghi chú",
    "classification": "Ký hiệu phân loại",
    "kind": "Loại",
    "grade": "Khối",
    "source": "Nguồn",
    "donor": "Người tặng",
    "location": "Kho",
    "isbn": "ISBN",
    "summary": "Tóm tắt",
    "titles": "Số đầu sách",
    "copies": "Số bản",
    "total_value": "Tổng giá trị (đồng)",
    "total": "Tổng",
    "on_shelf": "Trên giá",
    "out": "Đang mượn",
    "lost": "Mất, hỏng",
    "gone": "Đã xuất",
    "loans": "Lượt mượn",
    "not_returned": "Chưa trả",
    "loaned_on": "Ngày mượn",
    "full_name": "Họ và tên",
    "teaches": "Môn dạy, chức vụ",
    "class_name": "Lớp",
    "due_on": "Hạn trả",
    "returned_on": "Ngày trả",
    "signature": "Ký nhận",
    "month": "Tháng",
    "returns": "Lượt trả",
}
REGISTER_GROUPS = {
    "by_kind": "Phân theo loại sách (bản)",
    "by_source": "Phân theo nguồn (bản)",
    "copies": "Số bản",
    "disadvantaged": "HS khó khăn mượn trong năm",
    "staff": "Giáo viên mượn trong năm",
    "visits": "Lượt đến thư viện",
    "readers": "Số bạn đọc (người)",
    "loans": "Lượt mượn",
    "grades": "Lượt mượn của HS theo khối",
    "kinds": "Lượt mượn theo loại sách",
}
REGISTER_SOURCES = {"bought": "Mua", "donated": "Tặng", "rotated_in": "Luân chuyển"}
REGISTER_CATEGORIES = {"student": "Học sinh", "teacher": "Giáo viên", "staff": "Nhân viên"}
REGISTER_GRADE = "Khối {grade}"
REGISTER_MONTH = "{month:02d}/{year}"
REGISTER_TOTAL = "Tổng cộng"
REGISTER_YEAR_TOTAL = "Cộng năm học {year}"
REGISTER_WHOLE_YEAR = "Cả năm học"
REGISTER_COPIES = "{count} bản"
REGISTER_LOANS = "{count} lượt mượn"
REGISTER_CLASS = "Lớp {class_name}"
REGISTER_NO_CLASS = "Chưa xếp lớp"
REGISTER_UNDATED = "Chưa ghi ngày vào sổ"
REGISTER_UNPRICED = "{count} bản chưa có giá"
REGISTER_DONOR = "Người tặng: {donor}"
REGISTER_DONORS = "Người tặng: {donor} và {others} người khác"
REGISTER_WHOLE_YEAR_LOAN = "Mượn cả năm"
REGISTER_RENEWED = "Gia hạn {count} lần"
REGISTER_LATE = "Trả muộn {days} ngày"
REGISTER_LOST = "Làm mất sách"
REGISTER_BAD_SCHOOL_YEAR = "Năm học «{text}» không đúng. Hãy viết dạng 2025-2026."
REGISTER_UNKNOWN = "Không có sổ «{name}». Các sổ: {names}."
REGISTER_WRITTEN = "Đã ghi {title} năm học {year} ({rows} dòng) vào {path}"
REGISTER_CANNOT_WRITE = "Không ghi được tệp {path}: {reason}"
REGISTERS_MENU = (
    "📒 <b>Sổ sách thư viện</b> — năm học {year}\n"
    "Chọn một sổ để nhận tệp Excel lưu hoặc in.\n"
    "Năm học khác: gõ ví dụ <code>/soluu {previous}</code>"
)
REGISTERS_PRIVATE_ONLY = (
    "Sổ sách có thông tin của bạn đọc nên chỉ gửi trong tin nhắn riêng. "
    "Hãy nhắn riêng /soluu cho thư viện nhé."
)
REGISTER_PREPARING = "Đang lập sổ, chờ một chút nhé…"
REGISTER_CAPTION = "📒 {title} — năm học {year} ({rows} dòng)"

# feature-texts: inventory
INVENTORY_SCOPE = {
    "all": "toàn bộ kho",
    "kind": "loại sách «{value}»",
    "prefix": "số ĐKCB bắt đầu bằng «{value}»",
}
INVENTORY_USAGE = (
    "<b>Kiểm kê kho sách</b>\n"
    "• <code>/kiemke</code> — mở phiên kiểm kê toàn bộ kho, hoặc xem phiên đang mở\n"
    "• <code>/kiemke STK</code> — chỉ kiểm kê một loại sách, hoặc các bản có số ĐKCB"
    " bắt đầu như vậy\n"
    "• <code>/kiemke them GV001</code> — mời một bạn đọc cùng quét trong phiên này;"
    " <code>/kiemke bo GV001</code> — thôi mời"
)
INVENTORY_BAD_SCOPE = (
    "Không hiểu phạm vi «{scope}». Gõ một loại sách ({kinds}) hoặc phần đầu của số ĐKCB,"
    " ví dụ <code>/kiemke STK</code>."
)
INVENTORY_EMPTY_SCOPE = "Không có bản sách nào thuộc {scope}, nên chưa mở phiên kiểm kê."
INVENTORY_ALREADY_OPEN = (
    "Đang có phiên kiểm kê #{number} ({scope}). Mỗi lúc chỉ mở một phiên:"
    " kết thúc hoặc hủy phiên này trước khi mở phiên khác."
)
INVENTORY_STARTED = "🆕 Đã mở phiên kiểm kê mới."
INVENTORY_CARD = (
    "📋 <b>Phiên kiểm kê #{number}</b> — {scope}\n"
    "Mở lúc {started}, người mở: {starter}\n"
    "Người giúp: {team}\n\n"
    "✅ Đã thấy: <b>{found}</b>\n"
    "🔍 Chưa thấy: <b>{missing}</b>\n"
    "📤 Đang cho mượn hoặc luân chuyển: {away}\n"
    "⚠️ Thấy bản sổ ghi mất hoặc thanh lý: {written_off}\n\n"
    "Quét nhãn QR bằng camera, gửi ảnh nhãn, hoặc gõ số ĐKCB"
    " (nhiều số cách nhau bằng dấu cách, dấu phẩy hoặc xuống dòng)."
)
INVENTORY_NO_TEAM = "chưa có"
BUTTON_INVENTORY_END = "🏁 Kết thúc"
BUTTON_INVENTORY_CANCEL = "🗑 Hủy phiên"
BUTTON_INVENTORY_REFRESH = "🔄 Cập nhật"
BUTTON_INVENTORY_CONFIRM_END = "✅ Kết thúc và lập báo cáo"
BUTTON_INVENTORY_CONFIRM_CANCEL = "🗑 Hủy phiên, bỏ kết quả quét"
BUTTON_INVENTORY_MARK_LOST = "Ghi mất {count} bản"
BUTTON_INVENTORY_CONFIRM_LOST = "✅ Xác nhận ghi mất {count} bản"
BUTTON_INVENTORY_COPY_CARD = "🏷 Thẻ bản sách"
INVENTORY_ASK_END = (
    "Kết thúc phiên kiểm kê #{number}? Đã quét {seen} bản.\n"
    "Nếu kết thúc bây giờ: <b>{missing}</b> bản không tìm thấy;"
    " {away} bản đang cho mượn hoặc luân chuyển không bị tính là mất.\n"
    "Sau khi kết thúc sẽ không quét thêm được; kết quả và tệp Excel sẽ được gửi ngay."
)
INVENTORY_ASK_CANCEL = (
    "Hủy phiên kiểm kê #{number}? {seen} bản đã quét sẽ không được tính và không có báo cáo."
)
INVENTORY_CANCELLED = "Đã hủy phiên kiểm kê #{number}."
INVENTORY_CLOSED = "Phiên kiểm kê này đã đóng."
INVENTORY_REPORT = (
    "📋 <b>Kết quả kiểm kê #{number}</b> — {scope}\n"
    "Từ {started} đến {ended}\n\n"
    "✅ Có trên giá: <b>{found}</b>{found_on_loan}\n"
    "❌ Không tìm thấy: <b>{missing}</b>\n"
    "⚠️ Tìm thấy nhưng sổ ghi mất hoặc thanh lý: <b>{written_off}</b>\n"
    "📤 Đang cho mượn hoặc luân chuyển (không có trên giá, đúng sổ): <b>{away}</b>\n"
    "Tổng: {total} bản"
)
INVENTORY_FOUND_ON_LOAN = " (trong đó {count} bản sổ ghi đang cho mượn: hãy nhận trả)"
INVENTORY_AWAY_NOTE = "\n{away} bản đang cho mượn hoặc luân chuyển không bị tính là mất."
INVENTORY_WRITE_OFF_GAP = (
    "\n\nNút «Ghi mất» tính <b>{markable}</b> trong {missing} bản không tìm thấy;"
    " không tính {reasons}."
)
INVENTORY_GAP_REASONS = {
    "held": "{count} bản đang được giữ cho bạn đọc (để ở bàn thủ thư, không trên giá)",
    "lent": "{count} bản vừa được cho mượn",
    "changed": "{count} bản đã được ghi trạng thái khác",
}
INVENTORY_MISSING_LIST = "\n\n<b>Không tìm thấy</b>: {accessions}"
INVENTORY_MORE = " … và {count} bản khác"
INVENTORY_REPORT_CAPTION = "Báo cáo kiểm kê #{number} — {scope}"
INVENTORY_ASK_LOST = (
    "Ghi <b>{count}</b> bản không tìm thấy trong phiên #{number} là «đã mất»?"
    " Bản nào đã được mượn hoặc giữ cho bạn đọc từ lúc kết thúc phiên sẽ được bỏ qua."
)
INVENTORY_LOST_MARKED = "Đã ghi mất {marked} bản của phiên kiểm kê #{number}."
INVENTORY_LOST_SKIPPED = " Bỏ qua {skipped} bản vì trạng thái đã thay đổi."
INVENTORY_LOST_DONE = "Các bản không tìm thấy của phiên này đã được xử lý rồi."
INVENTORY_LOST_NONE = "Không còn bản nào để ghi mất."
INVENTORY_LOST_NOTE = "Kiểm kê #{number} ngày {day}: không tìm thấy"
INVENTORY_SCAN = {
    "recorded": "✅ <code>{accession}</code> — {title}",
    "on_loan": "⚠️ <code>{accession}</code> — {title}: sổ ghi đang cho mượn"
    " ({reader}{class_part}, hạn {due}). Đã ghi nhận có trên giá; hãy nhận trả.",
    "marked_away": "⚠️ <code>{accession}</code> — {title}: sổ ghi «{status}»."
    " Đã ghi nhận có trên giá.",
    "duplicate": "🔁 <code>{accession}</code> — đã quét rồi lúc {seen_at}.",
    "unknown": "❓ <code>{accession}</code> — không có trong danh mục.",
    "out_of_scope": "↪️ <code>{accession}</code> — ngoài phạm vi phiên kiểm kê, không ghi nhận.",
}
INVENTORY_PROGRESS = "Đã quét {seen}/{expected} bản."
INVENTORY_BATCH_HEADER = "Ghi nhận <b>{recorded}</b> bản mới trong {total} số ĐKCB."
INVENTORY_BATCH_MORE = "… và {count} dòng nữa."
INVENTORY_BATCH_TOO_MANY = (
    "Tin nhắn có {count} số ĐKCB, nhiều quá. Mỗi lần gửi tối đa {limit} số nhé; chưa ghi gì."
)
INVENTORY_PHOTO_UNREADABLE = (
    "Không đọc được mã QR hay mã vạch nào trong ảnh 😕 Chụp gần hơn, đủ sáng, để nhãn nằm"
    " trọn trong khung; hoặc gõ số ĐKCB."
)
INVENTORY_PHOTO_NOT_LABEL = (
    "Ảnh có mã QR nhưng không phải nhãn bản sách (có thể là thẻ bạn đọc). Chưa ghi gì."
)
INVENTORY_PHOTO_TOO_BIG = "Ảnh lớn quá, không đọc được. Gửi ảnh dưới 10 MB nhé."
INVENTORY_HELPER_ADDED = (
    "Đã mời {name} cùng kiểm kê trong phiên #{number}. Quyền này hết khi phiên đóng."
)
INVENTORY_HELPER_ALREADY = "{name} đã ở trong phiên kiểm kê này."
INVENTORY_HELPER_REMOVED = "Đã thôi mời {name}."
INVENTORY_HELPER_MISSING = "{name} không ở trong phiên kiểm kê này."
INVENTORY_HELPER_NO_SESSION = "Chưa có phiên kiểm kê nào đang mở. Mở phiên bằng /kiemke trước."
INVENTORY_HELPER_INVITED = (
    "📋 {librarian} nhờ giúp kiểm kê kho sách (phiên #{number}, {scope}).\n"
    "Quét nhãn QR trên sách bằng camera, gửi ảnh nhãn hoặc gõ số ĐKCB vào đây."
    " Gõ /kiemke để xem tiến độ."
)
INVENTORY_HELPER_CLOSED = "Phiên kiểm kê #{number} đã đóng. Cảm ơn đã giúp thư viện! 🙏"
INVENTORY_XLSX_SHEETS = {
    "summary": "Tổng hợp",
    "found": "Có trên giá",
    "missing": "Không tìm thấy",
    "seen_written_off": "Ghi mất nhưng tìm thấy",
    "away": "Đang cho mượn",
}
INVENTORY_XLSX_TITLE = "BIÊN BẢN KIỂM KÊ KHO SÁCH"
INVENTORY_XLSX_LIST_TITLE = "DANH SÁCH BẢN SÁCH: {what}"
INVENTORY_XLSX_SESSION = "Phiên kiểm kê #{number} — phạm vi: {scope}"
INVENTORY_XLSX_PERIOD = (
    "Thời gian kiểm kê: từ {started} đến {ended}; số liệu tính đến ngày {ended}"
)
INVENTORY_XLSX_TEAM = "Thành phần tham gia: {team}"
INVENTORY_XLSX_FINDINGS = {
    "found": "Có trên giá (tìm thấy khi kiểm kê)",
    "missing": "Không tìm thấy",
    "seen_written_off": "Tìm thấy nhưng sổ ghi mất hoặc thanh lý",
    "away": "Đang cho mượn hoặc luân chuyển (không có trên giá, đúng sổ)",
}
INVENTORY_XLSX_CONTENT = "Nội dung"
INVENTORY_XLSX_COUNT = "Số bản"
INVENTORY_XLSX_TOTAL = "Tổng số bản trong phạm vi"
INVENTORY_XLSX_KIND = "Loại sách"
INVENTORY_XLSX_NO_KIND = "(chưa phân loại)"
INVENTORY_XLSX_COLUMNS = {
    "number": "STT",
    "accession": "Số ĐKCB",
    "title": "Tên sách",
    "author": "Tác giả",
    "kind": "Loại",
    "location": "Kho / vị trí",
    "price": "Giá tiền (đồng)",
    "status": "Trạng thái trong sổ",
    "seen_at": "Thời điểm quét",
    "seen_by": "Người quét",
    "reader": "Bạn đọc",
    "class_name": "Lớp",
    "due_on": "Hạn trả",
    "note": "Ghi chú",
}
INVENTORY_XLSX_ON_LOAN_NOTE = "Sổ ghi đang cho mượn: {reader}{class_part}, hạn trả {due}"
INVENTORY_XLSX_EMPTY = "Không có bản nào."
INVENTORY_XLSX_SIGNATURES = (
    ("NGƯỜI LẬP BIÊN BẢN", "(Ký, ghi rõ họ tên)"),
    ("HIỆU TRƯỞNG", "(Ký, ghi rõ họ tên, đóng dấu)"),
)
INVENTORY_XLSX_PLACE_DATE = "Ngày {day} tháng {month} năm {year}"

# feature-texts: suggestions
SUGGESTION_ASK_TITLE = (
    "💡 <b>Đề xuất thư viện mua sách</b>\n"
    "{You} muốn thư viện mua cuốn sách nào? Gõ <b>tên sách</b>, có dấu hay không dấu đều được.\n"
    "Gõ /huy nếu {you} đổi ý."
)
SUGGESTION_ASK_AUTHOR = (
    "Sách <b>{title}</b> của tác giả nào? Gõ tên tác giả, hoặc bấm «Bỏ qua» nếu {you} không nhớ."
)
SUGGESTION_ASK_REASON = (
    "Vì sao {you} muốn đọc cuốn này? Viết một câu ngắn để thư viện hiểu thêm (không bắt buộc),"
    " hoặc bấm «Bỏ qua»."
)
SUGGESTION_WHAT_TITLE = "tên sách"
SUGGESTION_WHAT_AUTHOR = "tên tác giả"
SUGGESTION_WHAT_REASON = "lý do"
SUGGESTION_EMPTY = "Chưa thấy {what} trong tin nhắn này. Gõ lại bằng chữ nhé."
SUGGESTION_TOO_LONG = "Phần {what} dài quá (tối đa {limit} ký tự). Gõ ngắn gọn lại nhé."
SUGGESTION_TEXT_ONLY = "Gõ bằng chữ nhé (hoặc /huy để thôi)."
SUGGESTION_IN_LIBRARY = (
    "📚 Thư viện đã có cuốn <b>{title}</b> rồi! Bấm nút dưới đây để xem sách còn trên giá"
    " không và đăng ký mượn."
)
BUTTON_SUGGESTION_SEE_TITLE = "📖 Xem thẻ sách"
SUGGESTION_SAVED = (
    "✅ Đã gửi đề xuất <b>{title}</b> tới thư viện. Cảm ơn {you}!\n"
    "Hiện đã có {votes} người đề xuất cuốn này. Khi có quyết định, thư viện sẽ báo {you}."
)
SUGGESTION_MERGED = (
    "✅ Đã ghi đề xuất của {you}. Cuốn <b>{title}</b> đã được đề xuất trước đó:"
    " giờ đã có {votes} người đề xuất cuốn này. Khi có quyết định, thư viện sẽ báo {you}."
)
SUGGESTION_ALREADY_YOURS = (
    "{You} đã đề xuất cuốn <b>{title}</b> rồi; mỗi người chỉ được tính một lần."
    " Hiện đã có {votes} người đề xuất cuốn này."
)
SUGGESTION_ALREADY_ORDERED = "\n🎉 Thư viện đã đặt mua cuốn này rồi."
SUGGESTION_PRIVATE_ONLY = (
    "Đề xuất sách gửi trong tin nhắn riêng: nhắn riêng /degoisach cho thư viện nhé."
)
SUGGESTION_LIST_HEADER = (
    "💡 <b>Đề xuất mua sách</b>: {open} chờ quyết định, {later} để sau, {ordered} đã đặt mua"
)
SUGGESTION_LINE = "#{id} <b>{title}</b>{author} — {votes} người đề xuất{later}{held}"
SUGGESTION_HELD = " · 📚 <b>{title}</b>: đã có trong thư viện: {copies} bản"
SUGGESTION_IN_CATALOG = " · 📚 <b>{title}</b>: có trong danh mục, hiện không còn bản nào"
SUGGESTION_LATER_MARK = " (để sau)"
SUGGESTION_LIST_MORE = "… và {count} đề xuất khác ít người chọn hơn."
SUGGESTION_LIST_EMPTY = "Chưa có đề xuất nào đang chờ quyết định."
SUGGESTION_BUTTONS = {"o": "✅ Mua #{id}", "l": "⏳ Để sau #{id}", "d": "❌ Không #{id}"}
BUTTON_SUGGESTION_EXPORT = "📥 Danh sách đề nghị mua (Excel)"
SUGGESTION_STATUS = {
    "open": "Chờ quyết định",
    "ordered": "Đã đặt mua",
    "later": "Để sau",
    "declined": "Không mua",
}
SUGGESTION_DECIDED = "#{id}: {decision} — đã báo cho {told} người đề xuất."
SUGGESTION_GONE = "Đề xuất này không còn nữa."
SUGGESTION_SAME_DECISION = "Đề xuất này đã được ghi như vậy rồi."
SUGGESTION_NOTICE = {
    "ordered": "📚 Tin vui! Thư viện đã đặt mua cuốn <b>{title}</b> như đề xuất. Khi sách"
    " về và lên giá, gõ tên sách để tìm và đăng ký mượn nhé.",
    "later": "💡 Thư viện đã ghi nhận đề xuất <b>{title}</b> và sẽ xem xét trong đợt"
    " bổ sung sách sau. Cảm ơn nhiều!",
    "declined": "Cảm ơn đã đề xuất cuốn <b>{title}</b>. Lần này thư viện chưa mua cuốn"
    " này; cứ tiếp tục đề xuất những cuốn sách hay khác nhé!",
}
SUGGESTION_EXPORT_EMPTY = (
    "Chưa có sách nào đã đặt mua hoặc đang được đề xuất để đưa vào danh sách."
)
SUGGESTION_EXPORT_CAPTION = "📋 Danh sách đề nghị bổ sung sách ({count} đầu sách), lập ngày {day}"
SUGGESTION_XLSX_SHEET = "Đề nghị mua sách"
SUGGESTION_XLSX_TITLE = "DANH SÁCH ĐỀ NGHỊ BỔ SUNG SÁCH"
SUGGESTION_XLSX_MADE_ON = "(Tổng hợp từ đề xuất của bạn đọc, lập ngày {day})"
SUGGESTION_XLSX_COLUMNS = (
    "STT",
    "Tên sách",
    "Tác giả",
    "Thư viện đã có (bản)",
    "Số người đề xuất",
    "Tình trạng",
    "Ngày đề xuất",
    "Ngày quyết định",
    "Lý do bạn đọc nêu",
    "Bạn đọc gõ",
)
SUGGESTION_XLSX_SIGNERS = (
    ("NGƯỜI LẬP", "(Ký, ghi rõ họ tên)"),
    ("HIỆU TRƯỞNG DUYỆT", "(Ký, ghi rõ họ tên, đóng dấu)"),
)
BOOK_LIST_EMPTY = "Không có sách nào."
BOOK_LIST_PLACE_DATE = "Ngày {day} tháng {month} năm {year}"

# feature-texts: donations
DONATION_ASK_DONOR = (
    "🎁 <b>Ghi sách được tặng</b>\n"
    "Ai tặng sách? Gõ tên (có thể kèm lớp, ví dụ <code>an 6a</code>) hoặc mã bạn đọc để tìm"
    " trong danh sách. Người ngoài danh sách (phụ huynh, khách…): gõ họ tên rồi bấm"
    " «Ghi tên».\n/huy để thôi."
)
DONATION_NAME_TOO_LONG = "Tên dài quá (tối đa {limit} ký tự). Gõ lại nhé."
DONATION_PICK_DONOR = "Chọn người tặng trong danh sách, hoặc ghi «{name}» như đã gõ:"
DONATION_NO_READER = (
    "Không có bạn đọc nào khớp «{name}» trong danh sách. Gõ lại tên khác,"
    " hoặc ghi tên này như đã gõ:"
)
BUTTON_DONATION_TYPED_NAME = "✍️ Ghi tên «{name}»"
DONATION_ASK_CLASS = (
    "<b>{name}</b> học lớp nào? Gõ tên lớp (ví dụ <code>6A</code>),"
    " hoặc bấm «Không thuộc lớp nào»."
)
BUTTON_DONATION_NO_CLASS = "Không thuộc lớp nào"
DONATION_BAD_CLASS = (
    "«{value}» không phải tên một lớp của trường. Gõ ví dụ <code>6A</code>,"
    " hoặc bấm «Không thuộc lớp nào»."
)
DONATION_ASK_BOOK = (
    "Người tặng: <b>{donor}</b>{class_part}.\n"
    "Sách gì? Gõ tên sách để tìm trong danh mục (không cần dấu)."
)
DONATION_TITLE_EMPTY = "Chưa thấy tên sách. Gõ tên sách bằng chữ nhé."
DONATION_TITLE_TOO_LONG = "Tên sách dài quá (tối đa {limit} ký tự). Gõ lại nhé."
DONATION_PICK_TITLE = "Chọn đầu sách trong danh mục, hoặc tạo đầu sách mới «{title}»:"
DONATION_NO_TITLE_FOUND = (
    "Danh mục chưa có sách nào khớp «{title}». Gõ lại tên khác, hoặc tạo đầu sách mới:"
)
BUTTON_DONATION_NEW_TITLE = "➕ Đầu sách mới «{title}»"
DONATION_ASK_AUTHOR = (
    "Đầu sách mới <b>{title}</b>: tác giả là ai? Gõ tên tác giả, hoặc bấm «Bỏ qua»."
)
DONATION_AUTHOR_BAD = (
    "Tên tác giả cần có chữ và dài tối đa {limit} ký tự. Gõ lại, hoặc bấm «Bỏ qua»."
)
DONATION_ASK_NUMBER = (
    "Số ĐKCB cho bản <b>{title}</b>? Bấm một số gợi ý (số tiếp theo còn trống),"
    " gõ phần đầu (ví dụ <code>TN</code>) để được gợi ý, hoặc gõ cả số."
)
DONATION_BAD_NUMBER = (
    "«{value}» không phải số ĐKCB (ví dụ <code>TN-00333</code>). Gõ lại, hoặc bấm số gợi ý."
)
DONATION_NUMBER_TAKEN = (
    "Số ĐKCB <code>{accession}</code> đã là của bản sách khác. Chọn hoặc gõ số khác nhé."
)
DONATION_CONFIRM = (
    "Kiểm tra lại trước khi lưu:\n"
    "• Người tặng: <b>{donor}</b>{class_part}\n"
    "• Sách: <b>{title}</b>{author}{new}\n"
    "• Số ĐKCB: <code>{accession}</code>"
)
DONATION_NEW_TITLE_MARK = " (đầu sách mới)"
BUTTON_DONATION_SAVE = "✅ Lưu"
DONATION_SAVED = (
    "✅ Đã ghi bản <code>{accession}</code> — <b>{title}</b>, người tặng: {donor}{class_part}."
    " Nhớ dán nhãn số ĐKCB lên sách nhé."
)
DONATION_THANKED = "\n💌 Đã gửi lời cảm ơn tới người tặng."
BUTTON_DONATION_MORE = "➕ Ghi tiếp sách của {name}"
DONATION_TITLE_GONE = "Đầu sách vừa chọn không còn trong danh mục. Chọn lại sách nhé."
DONATION_TEXT_ONLY = "Gõ bằng chữ nhé (hoặc /huy để thôi)."
DONATION_THANKS = (
    "🎁 Cảm ơn <b>{name}</b>! Thư viện đã nhận cuốn <b>{title}</b> được tặng"
    " (số ĐKCB <code>{accession}</code>). Cuốn sách sẽ sớm lên giá cho mọi người cùng đọc.\n"
    "<i>Góp một cuốn sách nhỏ, đọc ngàn cuốn sách hay</i> 📚"
)
DONATION_BOARD_HEADER = (
    "🎁 <b>Góp một cuốn sách nhỏ, đọc ngàn cuốn sách hay</b>\n"
    "Bảng vinh danh tháng {month} — năm học {year}"
)
DONATION_BOARD_EMPTY = (
    "Năm học này chưa có cuốn sách nào được tặng. Hãy là người đầu tiên góp sách cho thư viện!"
)
DONATION_BOARD_TOTAL = "Năm học này: <b>{total}</b> cuốn sách được tặng (tháng này: {month} cuốn)."
DONATION_BOARD_CLASSES = "\n<b>Theo lớp</b>"
DONATION_BOARD_CLASS = "{mark} Lớp {class_name}: {count} cuốn"
DONATION_BOARD_DONORS = "\n<b>Những người tặng nhiều sách nhất</b>"
DONATION_BOARD_DONOR = "• {name}{class_part}: {count} cuốn"
DONATION_BOARD_RUNNING = (
    "\nĐợt quyên góp kéo dài đến hết ngày {until}. Mang sách đến thư viện để cùng góp nhé! 📚"
)
DONATION_DRIVE_USAGE = (
    "<b>Quyên góp sách</b>\n"
    "• <code>/quyengop</code> — xem bảng vinh danh\n"
    "• <code>/quyengop batdau</code> — phát động đợt quyên góp đến hết năm học;"
    " <code>/quyengop batdau 30/11/2026</code> — đến một ngày\n"
    "• <code>/quyengop ketthuc</code> — kết thúc đợt quyên góp hôm nay"
)
DONATION_DRIVE_BAD_DAY = {
    "format": "Ngày kết thúc không đọc được. Gõ ví dụ <code>/quyengop batdau 30/11/2026</code>.",
    "past": "Ngày kết thúc phải sau hôm nay.",
    "too_far": "Ngày kết thúc xa quá (tối đa một năm kể từ hôm nay).",
}
DONATION_DRIVE_RUNNING = (
    "Đợt quyên góp đang diễn ra từ {start} đến {end}. Kết thúc bằng"
    " <code>/quyengop ketthuc</code> trước khi phát động đợt mới."
)
DONATION_DRIVE_STARTED = (
    "🎁 Đã phát động đợt quyên góp sách từ {start} đến {end}. Ghi sách được tặng bằng"
    " /tangsach; bảng vinh danh gửi tới các nhóm lớp vào cuối mỗi tháng."
)
DONATION_GROUPS_TOLD = "\nĐã gửi tới {groups} nhóm lớp."
DONATION_NO_GROUPS = "\nChưa có nhóm lớp nào đăng ký nhận tin (gõ /dangkylop trong nhóm lớp)."
DONATION_DRIVE_ANNOUNCEMENT = (
    "🎁 <b>Góp một cuốn sách nhỏ, đọc ngàn cuốn sách hay</b>\n"
    "{library} phát động quyên góp sách đến hết ngày {end}. Các em mang sách còn tốt"
    " (truyện, sách tham khảo, sách kỹ năng…) đến thư viện để tặng; mỗi cuốn được ghi tên"
    " người tặng và lớp. Cuối mỗi tháng, nhóm lớp nhận bảng vinh danh. Gõ /quyengop để xem."
)
DONATION_DRIVE_NONE = "Không có đợt quyên góp nào đang diễn ra."
DONATION_DRIVE_ENDED = "Đã kết thúc đợt quyên góp (từ {start} đến {end})."
DONATION_BOARD_POSTED = "\nBảng vinh danh đã gửi tới {groups} nhóm lớp."

# feature-texts: rotation
ROTATION_MENU_HEADER = "🔁 <b>Luân chuyển sách</b> (tủ sách lớp, thư viện khác)"
ROTATION_MENU_EMPTY = "Chưa có đợt luân chuyển nào đang chuẩn bị hay đang ở ngoài."
ROTATION_BATCH_LINE = {
    "open": "• Đợt #{number} — {destination}: đang chuẩn bị, {items} bản, hạn trả {due}",
    "out": "• Đợt #{number} — {destination}: còn {out}/{items} bản chưa về, hạn trả {due}",
    "returned": "• Đợt #{number} — {destination}: đã nhận đủ {items} bản",
}
BUTTON_ROTATION_NEW = "🆕 Đợt luân chuyển mới"
BUTTON_ROTATION_ADD = "➕ Thêm sách đợt #{number}"
BUTTON_ROTATION_CHECK_IN = "📥 Nhận lại đợt #{number}"
BUTTON_ROTATION_PRINT = "🖨 In danh sách"
BUTTON_ROTATION_CLOSE = "🚚 Giao đợt này (sách rời thư viện)"
BUTTON_ROTATION_CONFIRM_CLOSE = "✅ Xác nhận giao"
BUTTON_ROTATION_PAUSE = "⏸ Tạm dừng"
BUTTON_ROTATION_DROP = "🗑 Hủy đợt"
BUTTON_ROTATION_CONFIRM_DROP = "🗑 Xác nhận hủy đợt"
BUTTON_ROTATION_DONE = "✅ Xong"
ROTATION_ASK_DESTINATION = (
    "Sách luân chuyển đến đâu? Gõ tên lớp (ví dụ <code>6A</code> là tủ sách lớp 6A) hoặc tên"
    " thư viện (ví dụ <code>Thư viện Hà Nội</code>). /huy để thôi."
)
ROTATION_BAD_DESTINATION = "Gõ tên lớp hoặc tên thư viện bằng chữ, tối đa 100 ký tự nhé."
ROTATION_CLASS_CORNER = "Tủ sách lớp {class_name}"
ROTATION_ASK_RETURN = (
    "Nơi nhận: <b>{destination}</b>.\n"
    "Hạn trả sách về thư viện là ngày nào? Gõ ví dụ <code>30/11/2026</code>."
)
ROTATION_BAD_DAY = {
    "format": "Không đọc được ngày. Gõ dạng ngày/tháng/năm, ví dụ <code>30/11/2026</code>.",
    "past": "Hạn trả phải sau hôm nay. Gõ lại ngày nhé.",
    "too_far": "Hạn trả xa quá (tối đa một năm). Gõ lại ngày nhé.",
}
ROTATION_CREATED = "🆕 Đã mở đợt luân chuyển #{number}: {destination}, hạn trả {due}."
ROTATION_ADDING = (
    "📦 <b>Thêm sách vào đợt #{number}</b> (đang có {items} bản)\n"
    "Quét nhãn QR trên sách bằng camera, hoặc gõ số ĐKCB (nhiều số cách nhau bằng dấu cách,"
    " dấu phẩy hoặc xuống dòng). Xong thì bấm «Giao đợt này»."
)
ROTATION_ADDED = "Đã thêm <b>{added}</b>/{total} bản. Đợt này đang có {items} bản."
ROTATION_ITEM = {
    "added": "✅ <code>{accession}</code> — {title}",
    "already": "🔁 <code>{accession}</code> — đã có trong đợt này.",
    "other_batch": "⚠️ <code>{accession}</code> — {title}: đang ở một đợt luân chuyển khác.",
    "unavailable": "⚠️ <code>{accession}</code> — {title}: đang «{status}»,"
    " không luân chuyển được.",
    "unknown": "❓ <code>{accession}</code> — không có trong danh mục.",
    "back": "✅ <code>{accession}</code> — {title}: đã về thư viện.",
    "already_back": "🔁 <code>{accession}</code> — đã nhận lại rồi.",
    "not_in_batch": "⚠️ <code>{accession}</code> — {title}: không thuộc đợt này.",
}
ROTATION_MORE_LINES = "… và {count} dòng nữa."
ROTATION_TOO_MANY = (
    "Tin nhắn có {count} số ĐKCB, nhiều quá. Mỗi lần gửi tối đa {limit} số nhé; chưa ghi gì."
)
ROTATION_NOT_OPEN = "Đợt luân chuyển này không còn mở để thêm sách."
ROTATION_NOT_OUT = "Đợt luân chuyển này không có sách nào đang ở ngoài."
ROTATION_PAUSED = (
    "⏸ Đã tạm dừng thêm sách vào đợt #{number}. Gõ /luanchuyen để thêm tiếp hoặc giao đợt."
)
ROTATION_EMPTY_BATCH = "Đợt này chưa có bản sách nào."
ROTATION_ASK_CLOSE = (
    "Giao đợt #{number} ({items} bản) cho <b>{destination}</b>? Các bản sách chuyển sang"
    " «đang luân chuyển» và không cho mượn tại thư viện đến khi nhận lại."
)
ROTATION_CLOSED = (
    "🚚 Đã giao đợt #{number}: {sent} bản đến <b>{destination}</b>, hạn trả {due}."
    " Sẽ có lời nhắc 3 ngày trước hạn và vào ngày hạn. Danh sách để in và ký nhận ở dưới."
)
ROTATION_DROPPED = (
    "\n⚠️ Bỏ ra khỏi đợt vì không còn trên giá (vừa được mượn hoặc giữ): {accessions}"
)
ROTATION_ASK_DROP = (
    "Hủy đợt #{number}? Danh sách {items} bản đã thêm sẽ bị xóa; sách vẫn ở thư viện."
)
ROTATION_DROPPED_BATCH = "Đã hủy đợt luân chuyển #{number}."
ROTATION_RECEIVING = (
    "📥 <b>Nhận lại đợt #{number}</b> từ {destination} (còn {out} bản chưa về)\n"
    "Quét nhãn QR hoặc gõ số ĐKCB của các bản đã về. Xong thì bấm «Xong»."
)
ROTATION_BACK = "Đã nhận lại <b>{back}</b>/{total} bản."
ROTATION_STILL_OUT_COUNT = "Còn {out}/{items} bản chưa về."
ROTATION_ALL_BACK = "🎉 Đợt #{number} đã về đủ {items} bản."
ROTATION_STILL_OUT = (
    "Đợt #{number}: còn <b>{out}</b>/{items} bản chưa về (hạn trả {due}):\n{accessions}"
)
ROTATION_MORE = " … và {count} bản khác"
ROTATION_LEFT = "Đã thôi. Đợt đang chuẩn bị vẫn giữ nguyên; gõ /luanchuyen để làm tiếp."
ROTATION_LIST_CAPTION = "🖨 Danh sách đợt luân chuyển #{number} — {destination} ({items} bản)"
ROTATION_REMINDER = {
    "before": "🔁 <b>Nhắc luân chuyển sách</b>\n"
    "Đợt #{number} ({destination}) sắp đến hạn trả: <b>{due}</b>. Còn {out}/{items} bản chưa"
    " về; nhớ nhắc nơi mượn chuẩn bị trả sách nhé.",
    "due": "🔁 <b>Nhắc luân chuyển sách</b>\n"
    "Đợt #{number} ({destination}) đã đến hạn trả ({due}). Còn {out}/{items} bản chưa về."
    " Khi sách về, bấm nút dưới đây rồi quét nhãn hoặc gõ số ĐKCB.",
}
ROTATION_XLSX_SHEET = "Đợt {number}"
ROTATION_XLSX_TITLE = "DANH SÁCH SÁCH LUÂN CHUYỂN"
ROTATION_XLSX_BATCH = "Đợt #{number} — nơi nhận: {destination} — {count} bản"
ROTATION_XLSX_DATES = "Ngày giao: {sent} — hạn trả: {due}"
ROTATION_XLSX_NOT_SENT = "(chưa giao)"
ROTATION_XLSX_COLUMNS = (
    "STT",
    "Số ĐKCB",
    "Tên sách",
    "Tác giả",
    "Loại",
    "Ngày nhận lại",
    "Tình trạng",
)
ROTATION_XLSX_BACK = "Đã nhận lại"
ROTATION_XLSX_OUT = "Đang luân chuyển"
ROTATION_XLSX_SIGNERS = (
    ("BÊN GIAO", "(Ký, ghi rõ họ tên)"),
    ("BÊN NHẬN", "(Ký, ghi rõ họ tên)"),
)


# feature-texts: year turn
# Chuyển năm học (thuvien new-year, /namhocmoi): lên lớp, ra trường, thu hồi sách cuối năm.
YEAR_TURN_TITLE_PREVIEW = "🎓 Chuyển sang năm học {year} — XEM TRƯỚC (chưa thay đổi gì)"
YEAR_TURN_TITLE_APPLIED = "🎓 Đã chuyển sang năm học {year}"
YEAR_TURN_STUDENTS = "Học sinh đang học: {count}"
YEAR_TURN_PROMOTED = "• Lên lớp: {count}{grades}"
YEAR_TURN_GRADE_STEP = "{old}→{new}: {count}"
YEAR_TURN_MOVED = "• Sang lớp khác theo danh sách mới: {count}"
YEAR_TURN_REPEATED = "• Ở lại lớp theo danh sách mới: {count}"
YEAR_TURN_LEFT = (
    "• Ra trường: {count} (học xong lớp {last}: {final}; không có trong danh sách mới: {absent})"
)
YEAR_TURN_LEFT_HOLDING = (
    "  – còn giữ sách: {readers} em, {loans} cuốn (sách giáo khoa mượn cả năm: {whole_year})"
)
YEAR_TURN_UNREADABLE = "• Tên lớp không đọc được, giữ nguyên (cần sửa tay): {count}"
YEAR_TURN_COVERED = (
    "Danh sách lớp mới có các khối {grades}: học sinh khối khác không có trong danh sách"
    " vẫn lên lớp như thường."
)
YEAR_TURN_NEWCOMERS = "Học sinh mới (theo danh sách): {count}"
YEAR_TURN_RETURNING = "Học sinh đã ra trường nay có lại trong danh sách: {count}"
YEAR_TURN_HOMEROOM_CLEARED = (
    "Giáo viên chủ nhiệm: bỏ {count} phân công của năm cũ; hãy nhập danh sách cán bộ năm mới"
    " (có cột “Chủ nhiệm lớp”) để giao chủ nhiệm."
)
YEAR_TURN_HOMEROOM_LISTED = (
    "Giáo viên chủ nhiệm: bỏ {count} phân công của năm cũ; danh sách cán bộ mới giao {listed} lớp."
)
YEAR_TURN_GROUPS = (
    "Nhóm lớp: {moved} nhóm lên lớp mới, {retired} nhóm thôi nhận tin (lớp không còn)."
)
YEAR_TURN_REQUESTS = "Đăng ký mượn, hàng chờ của học sinh ra trường được hủy: {count}"
YEAR_TURN_NOTICES = "Đã gửi danh sách sách cần thu hồi cho giáo viên chủ nhiệm và cán bộ thư viện."
YEAR_TURN_CONFIRM_HINT = (
    "Bấm “Xác nhận” để chuyển năm học, hoặc “Hủy”. Chi tiết trong tệp đính kèm."
)
YEAR_TURN_CLI_HINT = "Chạy lại lệnh không có --dry-run để chuyển năm học."
YEAR_TURN_DETAILS_PROMOTED = "LÊN LỚP"
YEAR_TURN_DETAILS_MOVED = "SANG LỚP KHÁC THEO DANH SÁCH MỚI"
YEAR_TURN_DETAILS_REPEATED = "Ở LẠI LỚP THEO DANH SÁCH MỚI"
YEAR_TURN_DETAILS_LEFT = "RA TRƯỜNG"
YEAR_TURN_DETAILS_HOLDING = "HỌC SINH RA TRƯỜNG CÒN GIỮ SÁCH"
YEAR_TURN_DETAILS_UNREADABLE = "TÊN LỚP KHÔNG ĐỌC ĐƯỢC (GIỮ NGUYÊN)"
YEAR_TURN_DETAILS_GROUPS = "NHÓM LỚP"
YEAR_TURN_DETAIL_MOVE = "{code} {name}: {old} → {new}"
YEAR_TURN_DETAIL_KEPT = "{code} {name}: lớp «{old}»"
YEAR_TURN_DETAIL_LEFT = "{code} {name} ({old}): {why}"
YEAR_TURN_WHY_FINAL = "học xong lớp {last}"
YEAR_TURN_WHY_ABSENT = "không có trong danh sách lớp mới"
YEAR_TURN_DETAIL_LOAN = "{class_name} {name}: {accession} {title} — hạn {due}{whole_year}"
YEAR_TURN_WHOLE_YEAR_MARK = " (SGK cả năm)"
YEAR_TURN_DETAIL_GROUP_MOVED = "Nhóm lớp {old} → nhóm lớp {new}"
YEAR_TURN_DETAIL_GROUP_RETIRED = "Nhóm lớp {old}: thôi nhận tin"
YEAR_TURN_DETAILS_FILE = "chuyen-nam-hoc-{year}.txt"
YEAR_TURN_DETAILS_CAPTION = "Chi tiết chuyển năm học {year}"
YEAR_TURN_BAD_YEAR = "Năm học «{text}» không đúng. Hãy viết dạng 2026-2027."
YEAR_TURN_ALREADY = "Năm học {year} đã được chuyển rồi; không có gì thay đổi thêm."
YEAR_TURN_EARLIER = (
    "Thư viện đã chuyển sang năm học {last} rồi, không quay lại năm học {year} được."
)
YEAR_TURN_FUTURE = (
    "Năm học {year} chưa tới (hôm nay thuộc năm học {current}). Chỉ chuyển được sang năm học"
    " hiện tại, từ sau ngày kết thúc năm học cũ."
)
YEAR_TURN_PAST = (
    "Năm học {year} đã qua (hôm nay thuộc năm học {current}). Hãy chuyển sang năm học {current}."
)
YEAR_TURN_STALE = (
    "Dữ liệu đã thay đổi từ lúc xem trước (hoặc nút này không đúng), nên chưa chuyển gì."
    " Gõ lại /namhocmoi để xem bản mới."
)
YEAR_TURN_LISTS_REFUSED = "Danh sách có lỗi nên chưa chuyển năm học (không ghi gì):"
YEAR_TURN_LIST_PROBLEM = "{name}: {problem}"
YEAR_TURN_NO_STUDENTS = "Chưa có học sinh nào trong cơ sở dữ liệu: hãy nhập danh sách lớp trước."
YEAR_TURN_CANCELLED = "Đã hủy, chưa chuyển năm học (không thay đổi gì)."
BUTTON_YEAR_TURN_CONFIRM = "✅ Xác nhận chuyển năm học"
BUTTON_YEAR_TURN_CANCEL = "✖️ Hủy"
YEAR_TURN_REQUEST_REASON = "Học sinh đã ra trường"
YEAR_TURN_BORROW_LEFT = (
    "Em đã ra trường nên không đăng ký mượn, đặt giữ hay xếp hàng chờ sách được nữa."
    " Sách em còn giữ, em mang trả thư viện nhé. Xem /sachcuatoi."
)
YEAR_TURN_DESK_LEFT = (
    "⛔ {reader} ({class_name}) đã ra trường ngày {left_on}: không cho mượn nữa."
    " Sách còn mượn vẫn nhận trả như thường."
)
YEAR_TURN_LEFT_MARK = " (đã ra trường)"
YEAR_TURN_LINK_ISSUE_LEFT = (
    "{name} đã ra trường nên không cấp mã liên kết nữa. Sách còn giữ vẫn nhận trả như thường."
)
YEAR_TURN_HOMEROOM_NOTICE = (
    "🎓 <b>Năm học {year}</b>: học sinh lớp {class_name} đã ra trường còn giữ sách của thư viện."
    " Nhờ thầy/cô nhắc các em mang trả trước {deadline}:"
)
YEAR_TURN_LIBRARIAN_NOTICE = (
    "🎓 <b>Đã chuyển sang năm học {year}</b>: {promoted} em lên lớp, {repeated} em ở lại lớp,"
    " {left} em ra trường, {newcomers} em mới. Học sinh ra trường còn giữ sách ({count} cuốn),"
    " cần thu hồi trước {deadline}:"
)
YEAR_TURN_LIBRARIAN_NOTHING = (
    "🎓 <b>Đã chuyển sang năm học {year}</b>: {promoted} em lên lớp, {repeated} em ở lại lớp,"
    " {left} em ra trường, {newcomers} em mới. Không em ra trường nào còn giữ sách. 👍"
)
YEAR_TURN_LEAVER_NOTICE = (
    "🎓 Chào {name}, em đã hoàn thành chương trình ở trường. Thư viện chúc em thành công!"
    " Em còn giữ những cuốn sách này, hãy mang trả thư viện trước {deadline} nhé:"
)
YEAR_TURN_NOTICE_LINE = "• {reader}: <b>{title}</b> (<code>{accession}</code>), hạn {due}"
YEAR_TURN_NOTICE_OWN_LINE = "• <b>{title}</b> (<code>{accession}</code>), hạn {due}"
YEAR_TURN_GROUP_MOVED = (
    "🎓 Năm học {year}: lớp {old} đã lên lớp {new}. Từ nay nhóm này nhận tin của thư viện"
    " cho lớp {new}."
)
YEAR_TURN_GROUP_RETIRED = (
    "🎓 Năm học {year}: lớp {old} không còn nữa, nên thư viện thôi gửi tin vào nhóm này."
    " Nếu nhóm là của một lớp khác, giáo viên chủ nhiệm gõ /dangkylop kèm tên lớp để đăng ký lại."
)
RECALL_READER_STUDENT = (
    "📚 <b>Thu hồi sách cuối năm học {year}</b>\nChào {name}, thư viện bắt đầu thu hồi sách"
    " để kiểm kê. Em mang trả những cuốn này trước {deadline} nhé:"
)
RECALL_READER_TEACHER = (
    "📚 <b>Thu hồi sách cuối năm học {year}</b>\nKính gửi thầy/cô {name}, thư viện bắt đầu thu"
    " hồi sách để kiểm kê. Nhờ thầy/cô trả những cuốn này trước {deadline}:"
)
RECALL_READER_LEAVER = (
    "📚 <b>Thu hồi sách cuối năm học {year}</b>\nChào {name}, em đã ra trường nhưng còn giữ"
    " sách của thư viện. Em mang trả trước {deadline} nhé:"
)
RECALL_HOMEROOM = (
    "📚 <b>Thu hồi sách cuối năm học {year}</b> — lớp {class_name}\nSách giáo khoa học sinh"
    " mượn cả năm, cần trả trước {deadline} ({count} cuốn):"
)
RECALL_HOMEROOM_LEAVERS = (
    "📚 <b>Thu hồi sách cuối năm học {year}</b>\nHọc sinh đã ra trường (lớp cũ của thầy/cô)"
    " còn giữ sách, cần trả trước {deadline} ({count} cuốn):"
)
RECALL_LIBRARIAN = (
    "📚 <b>Bắt đầu thu hồi sách cuối năm học {year}</b> (hạn {deadline}).\nSách giáo khoa mượn"
    " cả năm: {whole_year} cuốn, {readers} bạn đọc đã được nhắc. Xem /thuhoi.\n"
    "Học sinh ra trường còn giữ sách: {leaver_loans} cuốn{colon}"
)
RECALL_LEAVERS_HEADER = "\n🎓 <b>Học sinh đã ra trường còn giữ sách</b> ({count} cuốn):"
RECALL_LEAVER_LINE = "• {class_name} — {reader}: <code>{accession}</code> {title}"


# Sổ đăng ký cá biệt (thuvien import-books): lỗi từng dòng
REGISTER_ROW_PROBLEM = "Dòng {row}: {reason}"
REGISTER_MISSING_ACCESSION = "thiếu số ĐKCB"
REGISTER_MISSING_TITLE = "thiếu tên sách"
REGISTER_MISSING_BOTH = "thiếu số ĐKCB và tên sách"
REGISTER_DUPLICATE_ACCESSION = "số ĐKCB {accession} trùng với dòng {first}"
REGISTER_BAD_YEAR = "năm xuất bản “{value}” không đọc được"
REGISTER_YEAR_OUT_OF_RANGE = "năm xuất bản “{value}” không hợp lệ (phải từ {low} đến {high})"
REGISTER_BAD_DATE = (
    "ngày vào sổ “{value}” không đọc được (cần dạng ngày/tháng/năm, ví dụ 05/09/2024)"
)
REGISTER_BAD_PRICE = "giá tiền “{value}” không đọc được"
REGISTER_SOURCE_NOTE = "Nguồn: {value}"
REGISTER_NO_HEADER = (
    "Không tìm thấy dòng tiêu đề của sổ đăng ký cá biệt trong {rows} dòng đầu. "
    "Cần ít nhất cột số ĐKCB (ví dụ “Số ĐKCB”) và cột tên sách (ví dụ “Tên sách”); "
    "các cột khác có thể có: “Tác giả”, “Nhà xuất bản”, “Năm xuất bản”, “Giá tiền”, "
    "“Môn loại”, “Ngày vào sổ”, “Ghi chú”."
)
REGISTER_HEADER_LACKS = (
    "Dòng {row} trông như dòng tiêu đề nhưng thiếu {missing}. "
    "Hãy đặt tên cột là “Số ĐKCB” và “Tên sách”."
)
REGISTER_ACCESSION_COLUMN = "cột số ĐKCB"
REGISTER_TITLE_COLUMN = "cột tên sách"
REGISTER_AND = " và "

# Nhập sổ đăng ký cá biệt: tệp và bản tóm tắt
BOOKS_IMPORT_FILE_MISSING = "Không tìm thấy tệp {name}."
BOOKS_IMPORT_FILE_UNREADABLE = "Không đọc được tệp {name}: {reason}"
BOOKS_IMPORT_IS_A_FOLDER = "đây là thư mục, không phải tệp."
BOOKS_IMPORT_NO_PERMISSION = "không có quyền đọc tệp này."
BOOKS_IMPORT_SYSTEM_ERROR = (
    "máy báo lỗi khi đọc ({error}). Hãy chép tệp sang chỗ khác rồi thử lại."
)
BOOKS_IMPORT_FILE_EMPTY = "Tệp {name} rỗng, không có dữ liệu."
BOOKS_IMPORT_WRONG_EXTENSION = (
    "Tệp {name} không phải sổ đăng ký dạng .xlsx hoặc .csv. "
    "Hãy mở sổ bằng Excel và lưu lại dạng “Excel Workbook (.xlsx)”."
)
BOOKS_IMPORT_OLD_EXCEL = (
    "Tệp {name} là dạng Excel 97–2003 (.xls) cũ. "
    "Hãy mở bằng Excel và lưu lại dạng “Excel Workbook (.xlsx)” rồi nhập lại."
)
BOOKS_IMPORT_BROKEN_XLSX = (
    "Tệp {name} không mở được như tệp Excel .xlsx: tệp bị hỏng hoặc không phải tệp Excel. "
    "Hãy mở bằng Excel, lưu lại dạng .xlsx rồi nhập lại."
)
BOOKS_IMPORT_BROKEN_CSV = "Tệp {name} không đọc được như tệp CSV: {reason}"
BOOKS_IMPORT_UNKNOWN_ENCODING = (
    "Tệp {name} dùng bảng mã không đọc được. "
    "Hãy lưu lại dạng “CSV UTF-8 (Comma delimited)” trong Excel rồi nhập lại."
)
BOOKS_IMPORT_NO_BOOK_ROWS = "Sổ không có dòng sách nào dưới dòng tiêu đề."
BOOKS_IMPORT_PROGRESS_READING = "Đọc sổ"
BOOKS_IMPORT_REPORT_SOURCE = "Sổ đăng ký: {name}"
BOOKS_IMPORT_REPORT_SHEET = ", trang “{sheet}”"
BOOKS_IMPORT_REPORT_HEADER_ROW = ", dòng tiêu đề: {row}"
BOOKS_IMPORT_REPORT_ROWS = "Dòng sách: {good} đúng, {bad} lỗi."
BOOKS_IMPORT_REPORT_TITLES = "Đầu sách: {new} mới, {updated} cập nhật, {unchanged} không đổi"
BOOKS_IMPORT_REPORT_TITLES_REMOVED = ", {removed} bị xoá vì không còn bản nào"
BOOKS_IMPORT_REPORT_COPIES = "Bản sách: {new} mới, {updated} cập nhật, {unchanged} không đổi."
BOOKS_IMPORT_REPORT_WRITTEN = "✅ Đã ghi vào cơ sở dữ liệu."
BOOKS_IMPORT_REPORT_UNCHANGED = "✅ Cơ sở dữ liệu đã khớp với sổ, không có gì thay đổi."
BOOKS_IMPORT_REPORT_DRY_RUN = (
    "Chạy thử (--dry-run): chưa ghi gì; các con số trên là những gì sẽ thay đổi."
)
BOOKS_IMPORT_REPORT_FAILED = "❌ Không nhập được."
BOOKS_IMPORT_REPORT_REJECTED = (
    "❌ Không ghi gì vì có {count} dòng lỗi. Sửa các dòng dưới đây rồi nhập lại, "
    "hoặc thêm --allow-errors để chỉ nhập các dòng đúng:"
)
BOOKS_IMPORT_REPORT_REJECTED_DRY_RUN = (
    "❌ Chạy thử (--dry-run): sổ này sẽ không được ghi vì có {count} dòng lỗi. "
    "Sửa các dòng dưới đây, hoặc thêm --allow-errors để chỉ nhập các dòng đúng:"
)
BOOKS_IMPORT_REPORT_SKIPPED = "⚠️ Bỏ qua {count} dòng lỗi (--allow-errors):"
BOOKS_IMPORT_REPORT_MORE_ERRORS = "… và {count} lỗi khác."

# Danh sách lớp, danh sách cán bộ (thuvien import-readers): lỗi từng dòng
CLASS_LIST_SHEET_ROW_PROBLEM = "Trang “{sheet}”, dòng {row}: {reason}"
CLASS_LIST_MISSING_STUDENT_CODE = "thiếu mã học sinh"
CLASS_LIST_MISSING_STAFF_CODE = "thiếu mã cán bộ, giáo viên"
CLASS_LIST_MISSING_NAME = "thiếu họ và tên"
CLASS_LIST_NOT_A_NAME = "họ và tên “{value}” không có chữ cái nào"
CLASS_LIST_DUPLICATE_CODE = "mã {code} trùng với dòng {first}"
CLASS_LIST_DUPLICATE_CODE_ELSEWHERE = "mã {code} trùng với dòng {first} của trang “{sheet}”"
CLASS_LIST_BAD_BIRTH_DATE = (
    "ngày sinh “{value}” không đọc được (cần dạng ngày/tháng/năm, ví dụ 25/01/2015)"
)
CLASS_LIST_FUTURE_BIRTH_DATE = "ngày sinh “{value}” ở sau ngày hôm nay"
CLASS_LIST_BAD_CLASS = "lớp “{value}” không phải tên lớp (ví dụ 6A, 6A1 hoặc Lớp 6A)"
CLASS_LIST_MISSING_CLASS = "thiếu lớp"
CLASS_LIST_BAD_HOMEROOM = "lớp chủ nhiệm “{value}” không phải tên lớp (ví dụ 6A)"
CLASS_LIST_BAD_GENDER = "giới tính “{value}” không đọc được (cần Nam hoặc Nữ)"
CLASS_LIST_BAD_FEMALE_MARK = "cột Nữ ghi “{value}” (đánh dấu x cho nữ, để trống cho nam)"
CLASS_LIST_NO_CODE_COLUMN_STUDENTS = (
    "dòng tiêu đề thiếu cột mã học sinh (ví dụ “Mã học sinh”, “Mã HS”, “Mã định danh”): "
    "mã là thứ gắn thẻ bạn đọc với học sinh, không nhập được danh sách không có mã."
)
CLASS_LIST_NO_CODE_COLUMN_STAFF = (
    "dòng tiêu đề thiếu cột mã cán bộ, giáo viên (ví dụ “Mã”, “Mã giáo viên”, “Mã cán bộ”)."
)
CLASS_LIST_NO_CLASS_ANYWHERE = (
    "không biết học sinh ở lớp nào: thêm cột “Lớp”, hoặc ghi lớp ở dòng tên danh sách "
    "(ví dụ “DANH SÁCH HỌC SINH LỚP 6A”), hoặc đặt tên trang là tên lớp (ví dụ 6A)."
)
CLASS_LIST_NO_HEADER = (
    "Không tìm thấy dòng tiêu đề của danh sách trong {rows} dòng đầu. "
    "Danh sách học sinh cần các cột “Mã học sinh”, “Họ và tên” và “Lớp” "
    "(có thể thêm “Ngày sinh”, “Giới tính”, “Hoàn cảnh khó khăn”); danh sách cán bộ, "
    "giáo viên cần “Mã”, “Họ và tên” và “Chức vụ” hoặc “Môn dạy” (có thể thêm “Chủ nhiệm lớp”)."
)
CLASS_LIST_HEADER_LACKS_NAME = (
    "Dòng {row} trông như dòng tiêu đề nhưng thiếu cột họ và tên "
    "(ví dụ “Họ và tên”, hoặc hai cột “Họ đệm” và “Tên”)."
)

# Nhập danh sách bạn đọc: tệp và bản tóm tắt
READERS_IMPORT_WRONG_EXTENSION = (
    "Tệp {name} không phải danh sách dạng .xlsx hoặc .csv. "
    "Hãy mở danh sách bằng Excel và lưu lại dạng “Excel Workbook (.xlsx)”."
)
READERS_IMPORT_NO_READER_ROWS = "Danh sách không có dòng nào dưới dòng tiêu đề."
READERS_IMPORT_CATEGORY_CLASH = (
    "mã {code} đã là mã của {name} ({was}) trong cơ sở dữ liệu; "
    "học sinh và cán bộ, giáo viên không được dùng chung mã"
)
READERS_IMPORT_CATEGORY_LABELS = {
    "student": "Học sinh",
    "teacher": "Giáo viên",
    "staff": "Nhân viên",
}
READERS_IMPORT_WHAT_STUDENTS = "danh sách học sinh"
READERS_IMPORT_WHAT_CLASS = "danh sách học sinh lớp {class_name}"
READERS_IMPORT_WHAT_STAFF = "danh sách cán bộ, giáo viên"
READERS_IMPORT_REPORT_SOURCE = "Danh sách: {name}"
READERS_IMPORT_REPORT_SHEET = "Trang “{sheet}”: {what}, dòng tiêu đề {row}, {count} dòng đúng."
READERS_IMPORT_REPORT_ONLY_SHEET = "{what}, dòng tiêu đề {row}."
READERS_IMPORT_REPORT_ROWS = "Dòng: {good} đúng, {bad} lỗi."
READERS_IMPORT_REPORT_CATEGORY = "{label}: {new} mới, {updated} cập nhật, {unchanged} không đổi."
READERS_IMPORT_REPORT_KEPT = (
    "ℹ️ {count} học sinh lớp {classes} có trong cơ sở dữ liệu nhưng không có trong danh sách "
    "này: vẫn giữ nguyên (có thể đã chuyển lớp hoặc chuyển trường)."
)
READERS_IMPORT_REPORT_UNCHANGED = "✅ Cơ sở dữ liệu đã khớp với danh sách, không có gì thay đổi."

# Dữ liệu cá nhân: sự đồng ý của phụ huynh, dữ liệu của tôi, xóa dữ liệu, nhật ký truy cập
READERS_IMPORT_REPORT_CONSENTS = "🔒 Phụ huynh đồng ý: ghi nhận mới cho {count} học sinh."
CONSENT_USAGE = (
    "Gõ /dongy và mã học sinh, ví dụ: /dongy HS26001 — khi phụ huynh đã đồng ý"
    " (ký giấy, nhắn tin hoặc gọi điện) cho em dùng Telegram với thư viện."
)
WITHDRAW_USAGE = (
    "Gõ /rutdongy và mã học sinh, ví dụ: /rutdongy HS26001 — khi phụ huynh xin rút lại sự đồng ý."
)
CONSENT_NOT_A_STUDENT = (
    "{name} không phải học sinh: thầy cô, nhân viên không cần phụ huynh đồng ý."
)
CONSENT_OTHER_CLASS = (
    "Thầy cô chỉ ghi nhận được cho học sinh lớp thầy cô chủ nhiệm ({homeroom});"
    " {name} học lớp {class_name}. Cán bộ thư viện ghi nhận được cho mọi lớp."
)
CONSENT_CONFIRM = (
    "Ghi nhận phụ huynh của <b>{name}</b>{class_part} đã đồng ý cho em liên kết tài khoản"
    " Telegram với thư viện?\n\nChỉ xác nhận khi phụ huynh đã trực tiếp đồng ý. Việc ghi nhận"
    " lưu tên thầy cô, ngày giờ và cách ghi."
)
BUTTON_CONSENT_YES = "✅ Phụ huynh đã đồng ý"
CONSENT_RECORDED = (
    "✅ Đã ghi nhận phụ huynh của {name} đồng ý ngày {day}. Em có thể quét mã QR trên thẻ"
    " bạn đọc để liên kết."
)
CONSENT_ALREADY = "Phụ huynh của {name} đã đồng ý từ trước, không cần ghi lại."
WITHDRAW_CONFIRM = (
    "Phụ huynh của <b>{name}</b>{class_part} rút lại sự đồng ý?\n\nTài khoản Telegram của em"
    " sẽ bị hủy liên kết ngay và thư viện ngừng gửi tin cho em. Em vẫn tìm sách và mượn tại"
    " quầy được."
)
BUTTON_WITHDRAW_YES = "🚫 Rút đồng ý"
WITHDRAWN = "Đã ghi nhận phụ huynh của {name} rút lại sự đồng ý."
WITHDRAWN_UNLINKED = " Tài khoản Telegram của em đã được hủy liên kết."
WITHDRAWN_CANCELLED = " {count} tin đang chờ gửi cho em đã được hủy."
WITHDRAW_NONE = "Chưa có sự đồng ý nào của phụ huynh {name} để rút lại."
PRIVACY_CANCELLED = "Đã hủy, không có gì thay đổi."
MY_DATA_NOT_LINKED = (
    "Tài khoản này chưa liên kết với thẻ bạn đọc nào, nên thư viện không lưu gì"
    " ngoài tên Telegram của tài khoản. Nếu đã có thẻ, hãy quét mã QR trên thẻ."
)
MY_DATA_AS_FILE = "Dữ liệu dài nên thư viện gửi thành tệp."
READER_DATA_USAGE = (
    "Gõ /dulieu và mã bạn đọc, ví dụ: /dulieu HS26001 — thư viện gửi tệp dữ liệu đang lưu"
    " về bạn đọc đó để trả lời yêu cầu của phụ huynh."
)
READER_DATA_CAPTION = (
    "Dữ liệu thư viện lưu về {name} ({code}). Lần xem này đã được ghi vào nhật ký."
)
FORGET_USAGE = "Gõ /xoadulieu và mã bạn đọc, ví dụ: /xoadulieu HS26001."
FORGET_CONFIRM = (
    "Xóa vĩnh viễn dữ liệu cá nhân của <b>{name}</b> ({code}{class_part})?\n\nHọ tên, ngày"
    " sinh, giới tính, tài khoản Telegram, mã liên kết, sự đồng ý, đề xuất và ghi chú sẽ bị"
    " xóa; lịch sử mượn chỉ còn là thống kê dưới một mã ẩn danh. Không thể hoàn tác."
)
BUTTON_FORGET_YES = "🗑 Xóa vĩnh viễn"
FORGET_OPEN_LOANS = (
    "{name} còn {count} cuốn đang mượn hoặc đang giữ chỗ: hãy nhận trả (hoặc ghi mất) trước"
    " rồi mới xóa dữ liệu."
)
FORGET_DONE = "🗑 Đã xóa dữ liệu cá nhân; bạn đọc nay chỉ còn là mã ẩn danh {code}."
FORGET_ALREADY = "Dữ liệu của bạn đọc này đã được xóa, nay là mã ẩn danh {code}."
FORGET_CLI_ASK = (
    "Xóa vĩnh viễn dữ liệu cá nhân của {name} ({code})? Không thể hoàn tác.\n"
    "Gõ «xoa» để xác nhận: "
)
FORGET_NOT_COMPACTED = (
    "Lưu ý: dữ liệu đã xóa nhưng tệp cơ sở dữ liệu đang bận (bot đang chạy) nên chưa dọn"
    " hết dấu vết: hãy chạy lại lệnh này khi bot dừng để dọn nốt."
)
FORGET_CLI_NOT_CONFIRMED = "Chưa xác nhận, không xóa gì. (Thêm --yes để không phải hỏi.)"
READER_CODE_UNKNOWN = "Không có bạn đọc nào mã «{code}»."
READER_DATA_WRITTEN = "Đã ghi dữ liệu lưu về {name} vào {path}"
POSTPONE_USAGE = (
    "Gõ /hoanxoa, mã bạn đọc và lý do, ví dụ: /hoanxoa HS26001 còn nợ sách thư viện huyện."
    " Việc tự động xóa dữ liệu được hoãn {days} ngày."
)
POSTPONE_NOT_LEAVER = (
    "{name} vẫn đang học ở trường: chỉ dữ liệu của người đã rời trường mới tự động xóa."
)
POSTPONE_DONE = "Đã hoãn xóa dữ liệu của {name} đến {day}. Lý do đã ghi: {reason}"
FORGET_NOTICE_HEADER = (
    "🔒 <b>Sắp ẩn danh dữ liệu bạn đọc đã rời trường</b>\nSau {days} ngày kể từ lần trả sách"
    " cuối, thư viện xóa họ tên, ngày sinh, tài khoản của:"
)
FORGET_NOTICE_LINE = "• {name} ({code}{class_part}) — ngày {day}"
FORGET_NOTICE_FOOTER = (
    "Lịch sử mượn vẫn còn trong thống kê, dưới mã ẩn danh. Cần giữ lâu hơn thì gõ"
    " /hoanxoa &lt;mã&gt; &lt;lý do&gt; (hoãn {postpone} ngày)."
)
AUDIT_HEADER = "🔎 <b>Ai đã xem, xuất dữ liệu cá nhân</b> — {days} ngày qua: {count} lần."
AUDIT_EMPTY = "🔎 {days} ngày qua không ai xem hay xuất dữ liệu cá nhân của người khác."
AUDIT_LINE = "{at} — {who}: {what}"
AUDIT_MORE = "… và {count} lần khác, xem trong tệp đính kèm."
AUDIT_CAPTION = "Nhật ký truy cập dữ liệu cá nhân, {days} ngày qua."
AUDIT_COLUMNS = ("Thời điểm", "Người thực hiện", "Cách", "Việc", "Bạn đọc")
AUDIT_VIA = {"telegram": "Telegram", "cli": "dòng lệnh", "system": "tự động"}
AUDIT_SYSTEM = "Bot (tự động)"
AUDIT_CLI = "Máy chủ ({actor})"
AUDIT_UNKNOWN_USER = "tài khoản {user}"
AUDIT_ACTIONS = {
    "register": "xuất sổ {detail}",
    "reader_data": "xem dữ liệu của {reader}",
    "forget_reader": "xóa dữ liệu của {reader}",
    "cards": "in thẻ bạn đọc {detail}",
    "overdue_list": "nhận danh sách quá hạn lớp {detail}",
    "recall_list": "xem danh sách sách giáo khoa cần thu hồi",
    "report": "nhận báo cáo {detail} (có tên bạn đọc tích cực)",
}
DATA_TITLE = "Dữ liệu thư viện đang lưu về {name}"
DATA_MADE = "Lập ngày {day}. Thư viện không lưu gì khác về bạn đọc này."
DATA_FIELDS = {
    "code": "Mã bạn đọc",
    "full_name": "Họ và tên",
    "category": "Loại bạn đọc",
    "class_name": "Lớp",
    "birth_date": "Ngày sinh",
    "gender": "Giới tính",
    "disadvantaged": "Hoàn cảnh khó khăn (mượn sách giáo khoa cả năm)",
    "subject": "Môn dạy",
    "position": "Chức vụ",
    "homeroom_class": "Chủ nhiệm lớp",
    "left_on": "Rời trường ngày",
    "created_at": "Có trong danh sách thư viện từ",
    "forgotten_on": "Dữ liệu cá nhân đã xóa ngày",
}
DATA_CATEGORIES = {"student": "học sinh", "teacher": "giáo viên", "staff": "nhân viên"}
DATA_YES = "có"
DATA_ACCOUNT = "Tài khoản Telegram: «{name}», liên kết ngày {day}"
DATA_NO_ACCOUNT = "Tài khoản Telegram: chưa liên kết"
DATA_ROLES = "Quyền thêm: {roles}"
DATA_CURRENT = "Sách đang mượn, đang giữ chỗ ({count})"
DATA_PAST = "Sách đã mượn trước đây ({count})"
DATA_LOAN = "{title} — ĐKCB {accession}, {state}{lent}{due}{back}{note}"
DATA_NOTE = "; ghi chú: {note}"
DATA_LENT = ", mượn {day}"
DATA_DUE = ", hạn {day}"
DATA_BACK = ", trả {day}"
DATA_LOAN_STATES = {
    "held": "đang giữ chỗ",
    "open": "đang mượn",
    "returned": "đã trả",
    "expired": "giữ chỗ hết hạn",
    "cancelled": "đã hủy",
    "lost": "báo mất",
}
DATA_REQUESTS = "Đăng ký mượn, hàng chờ ({count})"
DATA_REQUEST = "{title} — {status}, {day}"
DATA_REQUEST_STATES = {
    "pending": "chờ duyệt",
    "waiting": "đang xếp hàng",
    "held": "đang giữ sách",
    "fulfilled": "đã mượn",
    "refused": "bị từ chối",
    "cancelled": "đã hủy",
    "expired": "hết hạn",
}
DATA_SUGGESTIONS = "Sách đã đề xuất ({count})"
DATA_SUGGESTION = "{title}{reason} — {day}"
DATA_DONATIONS = "Sách đã tặng thư viện: {count} cuốn"
DATA_VISITS = "Lượt đến thư viện đã ghi: {count}"
DATA_CONSENTS = "Sự đồng ý của phụ huynh"
DATA_NO_CONSENT = "chưa có"
DATA_CONSENT = "Đồng ý ngày {day} — {source}{by}, ghi lúc {at}{withdrawn}"
DATA_CONSENT_BY = " ({name})"
DATA_CONSENT_WITHDRAWN = "; đã rút lại lúc {at}"
DATA_CONSENT_SOURCES = {
    "class_list": "theo danh sách lớp",
    "librarian": "cán bộ thư viện ghi",
    "homeroom": "giáo viên chủ nhiệm ghi",
}
DATA_NONE = "không có"
DATA_RIGHTS = (
    "Phụ huynh có quyền xem, sửa dữ liệu này, rút lại sự đồng ý hoặc yêu cầu xóa: hãy"
    " liên hệ cán bộ thư viện hoặc giáo viên chủ nhiệm. Nhà trường trả lời trong 2 ngày"
    " làm việc."
)
