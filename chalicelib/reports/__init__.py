"""Reports (issue 16): the daily figures kept from events, the report API over them and
their rebuild; exports and the morning summary.

Built on customers (and so on everything under it): it reads orders, payments and customer
records through their capabilities' use cases and stores, and nothing imports it. The exports
(`*/export*.py`) write a tenant's orders, payments or customers as CSV or XLSX files in the
background, one SQS job each, and hand back a link that stops working after 15 minutes. The
morning summary (`*/summar*.py`): the owner, and the recipients a manager adds, get
yesterday's figures by e-mail at the hour they chose in the business's zone; a run every
quarter of an hour reads only the tenants due then (one Query of the platform table), never
every tenant.
"""
