"""Reservoir infrastructure: the CDK app (see app.py) and its stacks."""
