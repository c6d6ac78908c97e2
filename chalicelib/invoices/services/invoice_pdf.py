"""An invoice or credit note as a PDF file, in English or Simplified Chinese, drawn from the
issued snapshot alone (so the file says what was issued, whenever it is drawn) in the
embedded font (web/pdf_font.py): Chinese names and words come out as text on any reader.
Money is the minor units shown with the currency's decimals; tax rates as percentages.
"""

from __future__ import annotations

from chalicelib.booking.domain.bill import BillKind, BillLine
from chalicelib.invoices.domain import credit_reasons
from chalicelib.invoices.domain.invoices import DocKind, Invoice, Lang, Party
from chalicelib.kernel.domain.money import minor_units
from chalicelib.web.pdf import A4, MARGIN
from chalicelib.web.pdf_font import EmbeddedDocument, wrap

RIGHT = A4[0] - MARGIN
BOTTOM = A4[1] - MARGIN - 20
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "invoice": "Invoice",
        "credit_note": "Credit note",
        "receipt": "Receipt",
        "received": "Received with thanks: {amount}",
        "paid_on": "Paid",
        "paid_by": "By",
        "tip": "Tip",
        "with_tip": "Taken with the tip",
        "tender_online": "card, online",
        "tender_cash": "cash",
        "tender_card_terminal": "card terminal",
        "tender_bank_transfer": "bank transfer",
        "tender_gift_card": "gift card",
        "tender_other": "other",
        "reference": "Reference",
        "number": "Number",
        "date": "Date of issue",
        "order": "Order",
        "credits": "Credits invoice",
        "reason": "Reason",
        "seller": "From",
        "buyer": "Bill to",
        "tax_id": "Tax number: {id}",
        "item": "Description",
        "qty": "Qty",
        "unit": "Unit price",
        "rate": "Tax rate",
        "tax": "Tax",
        "amount": "Amount",
        "bands": "Tax by rate",
        "net": "Net",
        "total": "Total",
        "net_total": "Total before tax",
        "tax_total": "Total tax",
        "paid": "Paid",
        "due": "Balance due",
        "credit": "Credit",
        "discount": "Discount: {label}",
        "page": "Page {n} of {of}",
    },
    "zh-Hans": {
        "invoice": "发票",
        "credit_note": "贷项通知单",
        "receipt": "收据",
        "received": "已收到：{amount}",
        "paid_on": "付款日期",
        "paid_by": "付款方式",
        "tip": "小费",
        "with_tip": "连同小费共收",
        "tender_online": "在线刷卡",
        "tender_cash": "现金",
        "tender_card_terminal": "刷卡机",
        "tender_bank_transfer": "银行转账",
        "tender_gift_card": "礼品卡",
        "tender_other": "其他",
        "reference": "参考号",
        "number": "编号",
        "date": "开具日期",
        "order": "订单",
        "credits": "冲减发票",
        "reason": "原因",
        "seller": "开票方",
        "buyer": "购买方",
        "tax_id": "税号：{id}",
        "item": "项目",
        "qty": "数量",
        "unit": "单价",
        "rate": "税率",
        "tax": "税额",
        "amount": "金额",
        "bands": "按税率汇总",
        "net": "不含税金额",
        "total": "合计",
        "net_total": "不含税合计",
        "tax_total": "税额合计",
        "paid": "已付",
        "due": "应付余额",
        "credit": "冲减",
        "discount": "折扣：{label}",
        "page": "第 {n} 页，共 {of} 页",
    },
}
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# The lines' columns: left edges in points.
COLUMNS = (MARGIN, MARGIN + 215, MARGIN + 250, MARGIN + 320, MARGIN + 375, MARGIN + 430)


def money(amount: int, currency: str) -> str:
    places = minor_units(currency)
    sign = "-" if amount < 0 else ""
    whole, part = divmod(abs(amount), 10**places) if places else (abs(amount), 0)
    return f"{sign}{currency} {whole:,}" + (f".{part:0{places}d}" if places else "")


def rate(tax_bp: int) -> str:
    whole, part = divmod(tax_bp, 100)
    return f"{whole}.{part:02d}".rstrip("0").rstrip(".") + "%"


def day(iso: str, lang: Lang) -> str:
    year, month, d = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    return f"{year}年{month}月{d}日" if lang == "zh-Hans" else f"{d} {_MONTHS[month - 1]} {year}"


class _Flow:
    def __init__(self, title: str, lang: Lang) -> None:
        self.doc = EmbeddedDocument(title)
        self.words = WORDS[lang]
        self.top = MARGIN

    def say(self, key: str, **values: object) -> str:
        return self.words[key].format(**values)

    def room_for(self, height: float) -> None:
        if self.top + height > BOTTOM:
            self.doc.new_page()
            self.top = MARGIN

    def row(self, cells: list[tuple[float, str]], size: float = 9, bold: bool = False) -> None:
        edges = [left for left, _ in cells[1:]] + [RIGHT]
        wrapped = [
            wrap(text, size, edge - left - 6)
            for (left, text), edge in zip(cells, edges, strict=True)
        ]
        height = max(len(w) for w in wrapped) * size * 1.4
        self.room_for(height)
        for (left, _), lines in zip(cells, wrapped, strict=True):
            for n, text in enumerate(lines):
                self.doc.text(left, self.top + n * size * 1.4, text, size, bold)
        self.top += height

    def rule(self) -> None:
        self.room_for(8)
        self.doc.rule(self.top + 3)
        self.top += 8

    def finish(self) -> bytes:
        count = len(self.doc.pages)
        for n in range(count):
            self.doc.text(MARGIN, A4[1] - MARGIN, self.say("page", n=n + 1, of=count), 8, page=n)
        return self.doc.render()


def _party(flow: _Flow, party: Party) -> list[str]:
    lines = [party.name, party.company, *party.address]
    if party.tax_id:
        lines.append(flow.say("tax_id", id=party.tax_id))
    lines += [party.email, party.phone]
    return [line for line in lines if line]


def _label(flow: _Flow, line: BillLine) -> str:
    if line.ref.startswith("credit@"):  # a part credit note's line per rate
        return flow.say("credit")
    if line.kind is BillKind.DISCOUNT:
        return flow.say("discount", label=line.label)
    if not line.local_date or line.local_date in line.label:  # a stay names its dates
        return line.label
    return f"{line.label} ({line.local_date})"


def render(doc: Invoice, lang: Lang) -> bytes:
    title = WORDS[lang][doc.kind.value]
    flow = _Flow(f"{title} {doc.number}", lang)
    flow.row([(MARGIN, title)], 18, bold=True)
    flow.top += 6
    facts = [("number", doc.number), ("date", day(doc.issue_date, lang)), ("order", doc.order_id)]
    if doc.kind is DocKind.CREDIT_NOTE:
        facts.append(("credits", doc.credits_number))
        if doc.reason:
            facts.append(("reason", credit_reasons.said(doc.reason, lang)))
    for key, text in facts:
        flow.row([(MARGIN, flow.say(key)), (MARGIN + 110, text)], 10)
    flow.top += 10
    seller, buyer = _party(flow, doc.seller), _party(flow, doc.buyer)
    half = MARGIN + (RIGHT - MARGIN) / 2
    flow.row([(MARGIN, flow.say("seller")), (half, flow.say("buyer"))], 10, bold=True)
    for n in range(max(len(seller), len(buyer))):
        left = seller[n] if n < len(seller) else ""
        right = buyer[n] if n < len(buyer) else ""
        flow.row([(MARGIN, left), (half, right)], 9)
    flow.top += 12
    if doc.kind is DocKind.RECEIPT:
        _receipt(flow, doc, lang)
        return flow.finish()
    heads = ("item", "qty", "unit", "rate", "tax", "amount")
    flow.row([(x, flow.say(h)) for x, h in zip(COLUMNS, heads, strict=True)], 9, bold=True)
    flow.rule()
    for line in doc.lines:
        cells = (
            _label(flow, line),
            str(line.quantity),
            money(line.unit_amount, doc.currency),
            rate(line.tax_bp),
            money(line.tax, doc.currency),
            money(line.total, doc.currency),
        )
        flow.row(list(zip(COLUMNS, cells, strict=True)), 9)
    flow.rule()
    _bands_and_totals(flow, doc)
    return flow.finish()


def _bands_and_totals(flow: _Flow, doc: Invoice) -> None:
    flow.row([(MARGIN, flow.say("bands"))], 9, bold=True)
    band_columns = (MARGIN, MARGIN + 110, MARGIN + 220, MARGIN + 330)
    heads = ("rate", "net", "tax", "total")
    flow.row([(x, flow.say(h)) for x, h in zip(band_columns, heads, strict=True)], 9)
    for band in doc.bands:
        cells = (
            rate(band.tax_bp),
            money(band.net, doc.currency),
            money(band.tax, doc.currency),
            money(band.total, doc.currency),
        )
        flow.row(list(zip(band_columns, cells, strict=True)), 9)
    flow.top += 8
    totals = [("net_total", doc.total - doc.tax), ("tax_total", doc.tax), ("total", doc.total)]
    if doc.kind is DocKind.INVOICE:
        totals += [("paid", doc.paid), ("due", doc.total - doc.paid)]
    for key, amount in totals:
        figure = [(RIGHT - 230, flow.say(key)), (RIGHT - 110, money(amount, doc.currency))]
        flow.row(figure, 10, bold=key in ("total", "due"))


def _receipt(flow: _Flow, doc: Invoice, lang: Lang) -> None:
    flow.row([(MARGIN, flow.say("received", amount=money(doc.total, doc.currency)))], 12, True)
    flow.top += 6
    facts = [("paid_on", day(doc.paid_on or doc.issue_date, lang))]
    facts.append(("paid_by", flow.say(f"tender_{doc.method or 'other'}")))
    if doc.reference:
        facts.append(("reference", doc.reference))
    if doc.tip:  # the staff's: said apart, never in what the order was paid
        facts.append(("tip", money(doc.tip, doc.currency)))
        facts.append(("with_tip", money(doc.total + doc.tip, doc.currency)))
    for key, text in facts:
        flow.row([(MARGIN, flow.say(key)), (MARGIN + 110, text)], 10)
