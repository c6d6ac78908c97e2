"""Taking a card in the browser on the local stack: the piece localstripe's Stripe.js lacks.

Real Stripe.js confirms a PaymentIntent from the browser with the card the customer typed.
localstripe's stand-in of Stripe.js only authenticates (3-D Secure) an intent that already has
a card, and its API cannot confirm an intent with a new one. So the Connect stand-in
(local/stripe_connect.py) serves Stripe.js itself: localstripe's script, still talking to
localstripe, with `confirmCardPayment` completed: the card's fields go to the stand-in's
`POST /v1/payment_intents/{id}/_pay` (with the intent's client secret, as Stripe.js sends it),
which makes the payment method on localstripe, attaches it and confirms the intent, then
3-D Secure runs as localstripe's script runs it. Stripe's test cards behave as on Stripe
(`4242...` pays, `4000002500003155` asks for authentication, `4000000000000002`,
`...0341` and `...9995` are declined and the intent waits for another card), and localstripe
sends its events as for any payment (none for a decline here). Never deployed: on AWS the
widget loads Stripe.js from Stripe.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from local.resources import LOCAL_STRIPE_SECRET_KEY

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
# Stripe's test cards that are declined, by decline code.
DECLINES = {
    "4000000000000002": "generic_decline",
    "4000000000000341": "generic_decline",
    "4000000000009995": "insufficient_funds",
}

# Appended to localstripe's script: `front` is the stand-in's address.
SHIM = """
;(function () {
  var make = Stripe, PAY = %(pay)s;
  Stripe = function (key, options) {
    var stripe = make(key, options), authenticate = stripe.confirmCardPayment;
    stripe.confirmCardPayment = async function (secret, data) {
      var card = data && data.payment_method && data.payment_method.card;
      if (card && card._inputs) {
        var id = secret.match(/^(pi_\\w+)_secret_/)[1], f = card._inputs;
        var answer = await fetch(PAY + id + "/_pay", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ client_secret: secret, card: {
            number: f.number.value, exp_month: f.exp_month.value,
            exp_year: f.exp_year.value, cvc: f.cvc.value } }),
        });
        var intent = await answer.json();
        if (!answer.ok || intent.error) return { error: intent.error || { message: "declined" } };
        if (intent.status !== "requires_action") return { paymentIntent: intent };
      }
      return authenticate.call(this, secret, data);
    };
    return stripe;
  };
})();
"""


def _call(upstream: str, method: str, path: str, form: dict[str, str] | None = None) -> Any:
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(
        upstream + path,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {LOCAL_STRIPE_SECRET_KEY}"},
    )
    try:
        with _NO_PROXY.open(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def stripe_js(upstream: str, front: str) -> bytes:
    """localstripe's Stripe.js, still talking to localstripe, with the card confirmation."""
    with _NO_PROXY.open(f"{upstream}/js.stripe.com/v3/", timeout=30) as response:
        script = response.read().decode()
    script = script.replace(
        "document.currentScript.src", json.dumps(f"{upstream}/js.stripe.com/v3/")
    )
    return (script + SHIM % {"pay": json.dumps(f"{front}/v1/payment_intents/")}).encode()


def pay(upstream: str, intent_id: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Confirm intent `intent_id` with the card in `body`, if `body` has its client secret."""
    card = body.get("card") if isinstance(body.get("card"), dict) else None
    if not intent_id.startswith("pi_") or card is None:
        return 400, {"error": {"type": "invalid_request_error", "message": "Bad request"}}
    status, intent = _call(upstream, "GET", f"/v1/payment_intents/{intent_id}")
    if status != 200 or intent.get("client_secret") != body.get("client_secret"):
        return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing"}}
    if intent.get("status") in ("succeeded", "processing", "requires_capture", "canceled"):
        # As Stripe answers a second confirmation (a Pay tapped again after its answer was
        # lost): localstripe's update refused it as a bare "Bad request".
        message = f"This PaymentIntent's status is {intent.get('status')}: it cannot be confirmed."
        error = {"type": "invalid_request_error", "code": "payment_intent_unexpected_state"}
        return 400, {"error": {**error, "message": message, "payment_intent": intent}}
    declined = DECLINES.get(str(card.get("number", "")))
    if declined:
        # As Stripe answers: the intent keeps waiting for a card (localstripe's own decline
        # would leave it unable to take another).
        message = (
            "Your card has insufficient funds."
            if declined == "insufficient_funds"
            else ("Your card was declined.")
        )
        error = {"type": "card_error", "code": "card_declined", "decline_code": declined}
        return 402, {"error": {**error, "message": message, "payment_intent": intent}}
    fields = {f"card[{k}]": str(card.get(k, "")) for k in ("number", "exp_month", "exp_year")}
    fields["card[cvc]"] = str(card.get("cvc", ""))
    status, method = _call(upstream, "POST", "/v1/payment_methods", {"type": "card", **fields})
    if status != 200:
        return 402, {"error": {"type": "card_error", "message": "Your card number is incorrect."}}
    path = f"/v1/payment_intents/{intent_id}"
    status, _ = _call(upstream, "POST", path, {"payment_method": method["id"]})
    if status != 200:
        return status, {"error": {"type": "invalid_request_error", "message": "Bad request"}}
    status, confirmed = _call(upstream, "POST", f"{path}/confirm", {})
    if status != 200:
        return status, confirmed
    if confirmed.get("last_payment_error"):
        return 402, {"error": confirmed["last_payment_error"]}
    return 200, confirmed
