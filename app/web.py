"""The app server: Streamlit (``app/main.py``) plus the route that sets and deletes the "stay signed in"
cookie (``app/services/devices.py``). Run with ``streamlit run app/web.py``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run app/web.py` from anywhere
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

from app.config import settings  # noqa: E402
from app.services import devices  # noqa: E402

MAX_BODY_BYTES = 1024  # a ticket is about 130 characters


async def _read_small_body(request: Request) -> bytes | None:
    """The request body, or None when it is longer than MAX_BODY_BYTES: refused by its declared
    Content-Length before reading anything, or while streaming it (chunked, or a false length)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    return bytes(body)


async def device_cookie(request: Request) -> JSONResponse:
    """POST {"ticket": ...}: set the HttpOnly cookie with the ticket's token; DELETE: remove it. Only with
    the header ``X-Stemdag: device``, which another site cannot send (no CORS here)."""
    if request.headers.get("x-stemdag") != "device":
        return JSONResponse({"ok": False}, status_code=403)
    response = JSONResponse({"ok": True})
    if request.method == "DELETE":
        response.delete_cookie(devices.COOKIE, path="/")
        return response
    raw = await _read_small_body(request)
    if raw is None:  # the route is open to anyone: never read (or buffer) more than a ticket needs
        return JSONResponse({"ok": False}, status_code=413)
    try:
        body = json.loads(raw)
    except ValueError:  # also UnicodeDecodeError
        return JSONResponse({"ok": False}, status_code=400)
    ticket = body.get("ticket") if isinstance(body, dict) else None
    token = devices.open_ticket(ticket) if isinstance(ticket, str) else None
    if token is None:
        return JSONResponse({"ok": False}, status_code=400)
    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
    response.set_cookie(
        devices.COOKIE,
        token,
        max_age=settings().session_minutes * 60,
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure,
    )
    return response


app = st.App(
    str(Path(__file__).with_name("main.py")),
    routes=[Route(devices.ROUTE, device_cookie, methods=["POST", "DELETE"])],
)
