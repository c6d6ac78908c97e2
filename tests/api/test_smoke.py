def test_signup_then_keyed_get_tenant(api):
    tenant = api.signup("harbour-view")
    r = api.call("GET", "/v1/tenant", auth=tenant["secret_key"])
    assert r.status_code == 200, r.body
    assert r.data["status"] == "active"
    assert r.headers["X-Request-Id"]
