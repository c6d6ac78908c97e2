"""Notifications to customers: e-mail (with an .ics for confirmations) and SMS, in the
customer's language, from built-in templates a tenant may replace (rendered in a sandbox)."""
