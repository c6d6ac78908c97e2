"""The reasons a credit note states when the system issues it (a cancellation, a no-show, a
charge, a move, a refund, a reissue at check-out), in the languages a document is drawn in.
Stored in English, as issued; the Chinese PDF said them in English in the middle of a Chinese
document, so it says each of these in its own words (a reason staff typed is theirs, as typed).
"""

from __future__ import annotations

CANCELLED = "Booking cancelled"
CANCELLED_FEE_KEPT = "Booking cancelled; the cancellation fee is kept"
NO_SHOW = "Not attended: only the no-show fee is billed"
CHARGE_ADDED = "Charge added"
CHARGE_REMOVED = "Charge removed"
CHANGED = "Booking changed"
REFUND = "Refund"
REISSUED = "reissued at check-out"
DISCOUNT = "Discount: "  # followed by the discount's own label

_ZH = {
    CANCELLED: "预订已取消",
    CANCELLED_FEE_KEPT: "预订已取消；保留取消费",
    NO_SHOW: "未到店：仅收取未到店费用",
    CHARGE_ADDED: "新增费用",
    CHARGE_REMOVED: "费用已撤销",
    CHANGED: "预订已更改",
    REFUND: "退款",
    REISSUED: "退房时重新开具",
}


def said(reason: str, lang: str) -> str:
    """The reason as the document's language says it."""
    if not lang.startswith("zh"):
        return reason
    if reason.startswith(DISCOUNT):
        return f"折扣：{reason.removeprefix(DISCOUNT)}"
    return _ZH.get(reason, reason)
