"""Channels: partners who sell the tenant's inventory (resellers, agents, channel managers)."""
