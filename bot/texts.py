"""Every text a person reads, in Vietnamese, in one place (HTML for Telegram's parse_mode)."""

from datetime import date

GREETING = (
    "Chào {name}! Mình là <b>{library}</b> 📚\n"
    "Mình giúp bạn tìm sách, xem sách còn trên giá hay không và mượn sách ngay trên điện thoại.\n\n"
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

SEARCH_ASK = "Bạn muốn tìm sách gì? Gõ <code>/tim</code> kèm tên sách hoặc tác giả, ví dụ: <code>/tim dac nhan tam</code>"
SEARCH_EMPTY_QUERY = "Mình chưa thấy từ khóa nào để tìm. Hãy gõ tên sách hoặc tác giả bằng chữ hoặc số nhé."
SEARCH_NOTHING = "Không tìm thấy sách nào với «{query}». Bạn thử gõ ngắn hơn hoặc kiểm tra chính tả nhé."
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
UNKNOWN_START = "Đường dẫn này không còn dùng được. Gõ tên sách để tìm, hoặc /huongdan để xem hướng dẫn."
ERROR = (
    "Xin lỗi, mình gặp trục trặc khi xử lý yêu cầu này 😔 "
    "Bạn thử lại sau ít phút nhé; cán bộ thư viện đã được ghi nhận lỗi."
)
BUTTON_EXPIRED = "Nút này không còn dùng được."


def format_date(day: date) -> str:
    """Show a date as dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")
