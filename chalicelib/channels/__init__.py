"""Channels (issue 17): the tenant's partners, who sell through the same engine as its own
website. Connections (`domain/connections.py`): who the partner is, its key or HMAC secret,
its mapping of products and room types to the tenant's offerings and resources, its commission
and the updates it wants; partners' orders carry a `PartnerRef` (booking/domain/partner_refs.py)
and are found by the partner's reference; monthly statements list what each partner sold.
Built on customers and webhooks; nothing imports it but app.py, the composition root and the
pipeline."""
