"""Gift cards in a tenant's table (kernel/adapters/schema.py lists the access patterns):

- card ........... pk=GIFT#<card id>  sk=META: `balance` (minor units), `status`, `expires_on`
                   (absent: never), who bought it for whom, `version`; gsi1pk=GIFTS,
                   gsi1sk=<sold at>#<card id> (the cards, newest first: one Query);
- ledger entry ... pk=GIFT#<card id>  sk=L#<at>#<entry id> (the card's movements in order);
- code ........... pk=GIFTCODE#<SHA-256 of the code>  sk=META: `card_id` (the code itself is
                   never stored);
- settings ....... pk=GIFTCONF  sk=META: `valid_months`, `online_min`, `online_max`;
- customer link .. pk=CUS#<customer id>  sk=GIFT#<card id>#<buyer|recipient> (an erase of the
                   customer finds the cards holding their name and address by key).

`GIFT_CARD_ITEMS` encodes the gift cards' transaction items for the unit of work's writer
(handed over by the composition root): a spend is `SET balance = balance - :n` on condition
`status = active AND balance >= :n AND (no expiry OR expires_on >= :today)`, where :n is the
amount (DynamoDB conditions cannot do arithmetic; the comparison against the amount is all
the rule needs).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.customers.domain.gift_cards import (
    CardMoveKind,
    CardMovement,
    CardStatus,
    GiftCard,
    GiftCardBalanceLow,
    GiftCardIsDisabled,
    GiftCardSettings,
    Person,
)
from chalicelib.customers.domain.privacy import ERASED_NAME
from chalicelib.customers.services.gift_card_ports import (
    CardCredit,
    CardDebit,
    CardDisable,
    CardLink,
    CardMovementPut,
    CardPut,
    CodePut,
    GiftCardStore,
)
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.paged_reads import query_up_to
from chalicelib.kernel.domain.errors import Conflict, DomainError
from chalicelib.kernel.services.transaction_ports import TransactionItem

LIST_PK = "GIFTS"
ROLES = ("buyer", "recipient")
SETTINGS_KEY = {"pk": {"S": "GIFTCONF"}, "sk": {"S": "META"}}


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def card_key(card_id: str) -> dict[str, Any]:
    return {"pk": _s(f"GIFT#{card_id}"), "sk": _s("META")}


def _card_item(card: GiftCard) -> dict[str, Any]:
    item = {
        **card_key(card.id),
        "type": _s("gift_card"),
        "id": _s(card.id),
        "currency": _s(card.currency),
        "initial": _n(card.initial),
        "balance": _n(card.balance),
        "status": _s(card.status.value),
        "code_last4": _s(card.code_last4),
        "buyer_name": _s(card.buyer.name),
        "buyer_email": _s(card.buyer.email),
        "recipient_name": _s(card.recipient.name),
        "recipient_email": _s(card.recipient.email),
        "message": _s(card.message),
        "sold_at": _s(card.sold_at),
        "sold_by": _s(card.sold_by),
        "paid_with": _s(card.paid_with),
        "payment_ref": _s(card.payment_ref),
        "lang": _s(card.lang),
        "version": _n(1),
        "gsi1pk": _s(LIST_PK),
        "gsi1sk": _s(f"{card.sold_at}#{card.id}"),
    }
    if card.expires_on:
        item["expires_on"] = _s(card.expires_on)
    return item


def card_of(item: dict[str, Any]) -> GiftCard:
    def s(name: str) -> str:
        return str(item.get(name, {"S": ""})["S"])

    return GiftCard(
        id=s("id"),
        currency=s("currency"),
        initial=int(item["initial"]["N"]),
        balance=int(item["balance"]["N"]),
        status=CardStatus(s("status")),
        code_last4=s("code_last4"),
        buyer=Person(s("buyer_name"), s("buyer_email")),
        recipient=Person(s("recipient_name"), s("recipient_email")),
        message=s("message"),
        sold_at=s("sold_at"),
        sold_by=s("sold_by"),
        paid_with=s("paid_with"),
        expires_on=s("expires_on") or None,
        payment_ref=s("payment_ref"),
        disabled_at=s("disabled_at") or None,
        disabled_by=s("disabled_by"),
        lang=s("lang") or "en",
    )


def entry_of(item: dict[str, Any]) -> CardMovement:
    def s(name: str) -> str:
        return str(item.get(name, {"S": ""})["S"])

    return CardMovement(
        id=s("id"),
        card_id=item["pk"]["S"].removeprefix("GIFT#"),
        at=s("at"),
        movement=CardMoveKind(s("movement")),
        amount=int(item["amount"]["N"]),
        order_id=s("order_id"),
        record_id=s("record_id"),
        by=s("by"),
        note=s("note"),
    )


def _put_new(table: str, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "Put": {"TableName": table, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}
    }


def _update(table: str, card_id: str, expression: str, condition: str, **values: Any) -> Any:
    update: dict[str, Any] = {
        "TableName": table,
        "Key": card_key(card_id),
        "UpdateExpression": expression,
        "ConditionExpression": condition,
        "ExpressionAttributeValues": {f":{k}": v for k, v in values.items()},
    }
    if "#st" in expression + condition:
        update["ExpressionAttributeNames"] = {"#st": "status"}
    return {"Update": update}


def _debit(table: str, item: CardDebit) -> dict[str, Any]:
    return _update(
        table,
        item.card_id,
        "SET balance = balance - :n ADD version :one",
        "#st = :active AND balance >= :n"
        " AND (attribute_not_exists(expires_on) OR expires_on >= :today)",
        n=_n(item.amount),
        one=_n(1),
        active=_s(CardStatus.ACTIVE.value),
        today=_s(item.today),
    )


def _credit(table: str, item: CardCredit) -> dict[str, Any]:
    return _update(
        table,
        item.card_id,
        "SET balance = balance + :n ADD version :one",
        "#st = :active",  # a card disabled meanwhile takes no refund (it could never be spent)
        n=_n(item.amount),
        one=_n(1),
        active=_s(CardStatus.ACTIVE.value),
    )


def _disable(table: str, item: CardDisable) -> dict[str, Any]:
    return _update(
        table,
        item.card_id,
        "SET #st = :disabled, disabled_at = :at, disabled_by = :by ADD version :one",
        "#st = :active",
        disabled=_s(CardStatus.DISABLED.value),
        active=_s(CardStatus.ACTIVE.value),
        at=_s(item.at),
        by=_s(item.by),
        one=_n(1),
    )


def _code(table: str, item: CodePut) -> dict[str, Any]:
    key = {"pk": _s(f"GIFTCODE#{item.code_hash}"), "sk": _s("META")}
    return _put_new(table, {**key, "type": _s("gift_code"), "card_id": _s(item.card_id)})


def _link(table: str, item: CardLink) -> dict[str, Any]:
    key = {"pk": _s(f"CUS#{item.customer_id}"), "sk": _s(f"GIFT#{item.card_id}#{item.role}")}
    item_ = {**key, "type": _s("gift_card_link"), "card_id": _s(item.card_id)}
    return {"Put": {"TableName": table, "Item": item_}}


# Each kind of item and its write (a card, its code, a spend, a credit, a disable, a movement,
# a customer's link to the card).
WRITES: dict[type, Any] = {
    CardPut: lambda table, item: _put_new(table, _card_item(item.card)),
    CodePut: _code,
    CardDebit: _debit,
    CardCredit: _credit,
    CardDisable: _disable,
    CardMovementPut: lambda table, item: _put_new(table, _ledger_item(item.entry)),
    CardLink: _link,
}


def gift_card_write(table: str, item: TransactionItem) -> dict[str, Any] | None:
    write = WRITES.get(type(item))
    return None if write is None else dict(write(table, item))


def _ledger_item(e: CardMovement) -> dict[str, Any]:
    return {
        "pk": _s(f"GIFT#{e.card_id}"),
        "sk": _s(f"L#{e.at}#{e.id}"),
        "type": _s("gift_ledger"),
        "id": _s(e.id),
        "at": _s(e.at),
        "movement": _s(e.movement.value),
        "amount": _n(e.amount),
        "order_id": _s(e.order_id),
        "record_id": _s(e.record_id),
        "by": _s(e.by),
        "note": _s(e.note),
    }


def gift_card_refusal(item: TransactionItem) -> DomainError | None:
    if isinstance(item, CardDebit):
        # No balance here (the condition's item is not read back): the spend's use case asks
        # the tender why (GiftCardTender.refused), which answers with the card as it is now.
        return GiftCardBalanceLow(
            "The gift card no longer holds that much (another payment spent it just now), or"
            " it was disabled or has expired.",
            asked=item.amount,
        )
    if isinstance(item, CardCredit):  # gone, or disabled since it was read
        return GiftCardIsDisabled("The gift card was disabled just now.", card_id=item.card_id)
    if isinstance(item, CardDisable):
        return Conflict("The gift card changed.", code="gift_card_changed")
    if isinstance(item, CardPut | CodePut):
        return Conflict("The gift card exists.", code="gift_card_exists")
    if isinstance(item, CardMovementPut):
        return Conflict("The movement is recorded already.", code="gift_card_changed")
    return None


class GiftCardItems:
    """The gift cards' `ItemCodec` for the unit of work's writer."""

    def write(self, table: str, item: TransactionItem) -> dict[str, Any] | None:
        return gift_card_write(table, item)

    def refusal(self, item: TransactionItem) -> DomainError | None:
        return gift_card_refusal(item)


GIFT_CARD_ITEMS = GiftCardItems()


class DynamoGiftCards(GiftCardStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        try:
            item: dict[str, Any] | None = self._client.get_item(
                TableName=self._table, Key=key, ConsistentRead=True
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return item

    def get(self, card_id: str) -> GiftCard | None:
        item = self._get(card_key(card_id))
        return card_of(item) if item else None

    def card_of_code(self, code_hash: str) -> str | None:
        item = self._get({"pk": _s(f"GIFTCODE#{code_hash}"), "sk": _s("META")})
        return item["card_id"]["S"] if item else None

    def ledger(self, card_id: str, *, limit: int) -> list[CardMovement]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :l)",
            ExpressionAttributeValues={":pk": _s(f"GIFT#{card_id}"), ":l": _s("L#")},
            ConsistentRead=True,
            Limit=limit,
        )
        return [entry_of(i) for i in items[:limit]]

    def cards(self, *, limit: int, after: str | None) -> tuple[list[GiftCard], str | None]:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": {":pk": _s(LIST_PK)},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if after:  # `<sold at>~<card id>`: a cursor that needs no escaping in a query
            sold_at, _, card_id = after.rpartition("~")
            kwargs["ExclusiveStartKey"] = {
                **card_key(card_id),
                "gsi1pk": _s(LIST_PK),
                "gsi1sk": _s(f"{sold_at}#{card_id}"),
            }
        try:
            page = self._client.query(**kwargs)
        except ClientError as exc:
            reraise(exc)
        found = [card_of(i) for i in page["Items"]]
        more = page.get("LastEvaluatedKey")
        return found, (more["gsi1sk"]["S"].replace("#", "~") if more else None)

    def cards_of(self, customer_id: str) -> list[tuple[str, str]]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :g)",
            ExpressionAttributeValues={":pk": _s(f"CUS#{customer_id}"), ":g": _s("GIFT#")},
            ConsistentRead=True,
        )
        found = []
        for item in items:
            _, card_id, role = item["sk"]["S"].split("#", 2)
            found.append((card_id, role))
        return found

    def forget(self, card_id: str, role: str, at: str) -> None:
        if role not in ROLES:
            raise ValueError(role)
        try:
            self._client.update_item(
                TableName=self._table,
                Key=card_key(card_id),
                UpdateExpression=f"SET {role}_name = :name, {role}_email = :empty,"
                " message = :empty, forgotten_at = :at",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={
                    ":name": _s(ERASED_NAME),  # as the erased customer's orders name them
                    ":empty": _s(""),
                    ":at": _s(at),
                },
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                reraise(exc)

    def settings(self) -> GiftCardSettings:
        item = self._get(SETTINGS_KEY)
        if not item:
            return GiftCardSettings()
        return GiftCardSettings(
            valid_months=int(item["valid_months"]["N"]),
            online_min=int(item.get("online_min", {}).get("N", 0)),
            online_max=int(item.get("online_max", {}).get("N", 0)),
        )

    def save_settings(self, settings: GiftCardSettings, at: str) -> None:
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    **SETTINGS_KEY,
                    "type": _s("gift_card_settings"),
                    "valid_months": _n(settings.valid_months),
                    "online_min": _n(settings.online_min),
                    "online_max": _n(settings.online_max),
                    "updated_at": _s(at),
                },
            )
        except ClientError as exc:
            reraise(exc)
