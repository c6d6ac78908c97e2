"""Reports (issue 16): the daily figures kept from events, the report API over them and
their rebuild; exports and the morning summary."""
