"""Invoices and credit notes (issue 14): numbered per series and year without a gap,
immutable once issued, drawn from an order's bill, kept as PDF files in the business's
language (English or Chinese, the font embedded) and handed out through links that expire."""
