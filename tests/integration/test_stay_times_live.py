"""A hotel's check-in and check-out times in DynamoDB Local: they are kept in the tenant item's
`settings.business` map as minutes and read back; a tenant item written before they existed
(a `business` map without them) reads 15:00 and 11:00, with nothing migrated."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.kernel.domain.business import BusinessDetails
from tests.integration.test_dynamo_adapters import a_tenant, repo  # noqa: F401 (fixture)


def test_the_stay_times_round_trip_through_the_tenant_item(repo, stack):  # noqa: F811
    tenant = a_tenant()
    repo.create_tenant(tenant, [])
    business = BusinessDetails(legal_name="Harbour Inn", check_in=14 * 60 + 30, check_out=600)
    chosen = replace(tenant.activated(), settings=replace(tenant.settings, business=business))
    repo.save_tenant(chosen)
    read = repo.get_tenant(tenant.id).settings.business
    assert (read.check_in, read.check_out, read.legal_name) == (870, 600, "Harbour Inn")
    raw = stack.client("dynamodb").get_item(
        TableName=stack.resources.platform_table,
        Key={"pk": {"S": f"TEN#{tenant.id}"}, "sk": {"S": "META"}},
        ConsistentRead=True,
    )["Item"]
    stored = raw["settings"]["M"]["business"]["M"]
    assert (stored["check_in"], stored["check_out"]) == ({"N": "870"}, {"N": "600"})


def test_a_business_map_written_before_stay_times_existed_reads_the_defaults(
    repo,  # noqa: F811
    stack,
):
    tenant = a_tenant()
    repo.create_tenant(tenant, [])
    business = BusinessDetails(legal_name="Old Inn", check_in=14 * 60)
    repo.save_tenant(
        replace(tenant.activated(), settings=replace(tenant.settings, business=business))
    )
    # As an item written before: the business map without the two attributes.
    stack.client("dynamodb").update_item(
        TableName=stack.resources.platform_table,
        Key={"pk": {"S": f"TEN#{tenant.id}"}, "sk": {"S": "META"}},
        UpdateExpression="REMOVE settings.business.check_in, settings.business.check_out",
    )
    read = repo.get_tenant(tenant.id).settings.business
    assert (read.check_in, read.check_out, read.legal_name) == (900, 660, "Old Inn")
