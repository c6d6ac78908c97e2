"""Reports: the business's figures, their exports and the morning summary (issue 16).

Built on customers (and so on everything under it): it reads orders, payments and customer
records through their capabilities' use cases and stores, and nothing imports it.
- The daily figures (`*/figures*.py`, `report*.py`, `rebuild*.py`): kept from the order events
  by a bookkeeping consumer, per local day and basis (booked, service, paid); the report API
  reads them with one Query whose cost follows the days; a rebuild recomputes them from the
  orders.
- The exports (`*/export*.py`): a tenant's orders, payments, customers or figures as CSV or
  XLSX files written in the background, one SQS job each, with a link that stops working
  after 15 minutes.
- The morning summary (`*/summar*.py`): the owner, and the recipients a manager adds, get
  yesterday's figures by e-mail at the hour they chose in the business's zone; a run every
  quarter of an hour reads only the tenants due then (one Query of the platform table), never
  every tenant.
"""
