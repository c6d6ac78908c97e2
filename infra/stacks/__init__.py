"""The stack and the small builders it is made of, one concern per module."""
