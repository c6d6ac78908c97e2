"""Reports: the business's figures and its exports (issue 16).

Built on customers (and so on everything under it): it reads orders, payments and customer
records through their capabilities' use cases and stores, and nothing imports it. The exports
(`*/export*.py`) write a tenant's orders, payments or customers as CSV or XLSX files in the
background, one SQS job each, and hand back a link that stops working after 15 minutes.
"""
