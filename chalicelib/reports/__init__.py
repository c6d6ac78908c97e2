"""Reports: the business's figures, their exports and the morning summary (issue 16).

Built on customers (and so on everything under it); nothing imports it. The morning summary
(`*/summar*.py`): the owner, and the recipients a manager adds, get yesterday's figures by
e-mail at the hour they chose in the business's zone; a run every quarter of an hour reads
only the tenants due then (one Query of the platform table), never every tenant.
"""
