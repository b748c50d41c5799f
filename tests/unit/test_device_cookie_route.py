"""The cookie route (``app/web.py``, ``POST /_stemdag/device``) is open to anyone: it refuses a ticket
that is not a string with 400 (not a 500 from an AttributeError) and a body over 1 KB with 413, without
reading more than that; a good ticket still gets its HttpOnly cookie. No database: a ticket is signed,
not stored."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import secrets
import warnings

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route

from app import web
from app.services import devices

with warnings.catch_warnings():  # "install httpx2": the test client works with the httpx installed
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient
HEADERS = {"X-Stemdag": "device", "Content-Type": "application/json"}


@pytest.fixture
def client():
    app = Starlette(routes=[Route(devices.ROUTE, web.device_cookie, methods=["POST", "DELETE"])])
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _ticket() -> str:
    return devices.ticket(secrets.token_urlsafe(32))


def test_a_good_ticket_sets_the_httponly_cookie(client):
    response = client.post(devices.ROUTE, headers=HEADERS, content=json.dumps({"ticket": _ticket()}))
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{devices.COOKIE}=") and "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()


@pytest.mark.parametrize("ticket", [12345, 1.5, ["a", "b"], {"x": 1}, True, None])
def test_a_ticket_that_is_not_a_string_is_a_bad_request(client, ticket):
    response = client.post(devices.ROUTE, headers=HEADERS, content=json.dumps({"ticket": ticket}))
    assert response.status_code == 400 and "set-cookie" not in response.headers


@pytest.mark.parametrize("body", [b"[1, 2]", b'"ticket"', b"\xff\xfe", b"{", b""])
def test_a_body_that_is_not_a_json_object_is_a_bad_request(client, body):
    assert client.post(devices.ROUTE, headers=HEADERS, content=body).status_code == 400


def test_a_body_over_a_kilobyte_is_refused_even_with_a_good_ticket(client):
    body = json.dumps({"ticket": _ticket(), "padding": "x" * 2000})
    response = client.post(devices.ROUTE, headers=HEADERS, content=body)
    assert response.status_code == 413 and "set-cookie" not in response.headers


def test_a_long_body_without_a_length_is_cut_off_while_streaming():
    """Chunked (no Content-Length): the route stops reading after the first kilobyte or two."""
    received = []

    async def receive():
        received.append(1)
        return {"type": "http.request", "body": b" " * 512, "more_body": len(received) < 2000}

    scope = {
        "type": "http",
        "method": "POST",
        "path": devices.ROUTE,
        "headers": [(b"x-stemdag", b"device"), (b"content-type", b"application/json")],
        "query_string": b"",
    }
    # in a thread of its own: the browser tests' Playwright may keep an event loop in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        response = pool.submit(asyncio.run, web.device_cookie(Request(scope, receive))).result()
    assert response.status_code == 413
    assert len(received) <= 3  # of 2000 chunks (1 MB) on offer


def test_a_declared_length_over_a_kilobyte_is_refused_before_reading(client):
    response = client.post(devices.ROUTE, headers={**HEADERS, "Content-Length": "5000000"}, content=b"{}")
    assert response.status_code == 413


def test_without_the_header_nothing_is_read_or_set(client):
    response = client.post(devices.ROUTE, content=json.dumps({"ticket": _ticket()}))
    assert response.status_code == 403 and "set-cookie" not in response.headers
