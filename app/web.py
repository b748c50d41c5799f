"""The app server: Streamlit (``app/main.py``) plus the route that sets and deletes the "stay signed in"
cookie (``app/services/devices.py``). Run with ``streamlit run app/web.py``."""

from __future__ import annotations

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


async def device_cookie(request: Request) -> JSONResponse:
    """POST {"ticket": ...}: set the HttpOnly cookie with the ticket's token; DELETE: remove it. Only with
    the header ``X-Stemdag: device``, which another site cannot send (no CORS here)."""
    if request.headers.get("x-stemdag") != "device":
        return JSONResponse({"ok": False}, status_code=403)
    response = JSONResponse({"ok": True})
    if request.method == "DELETE":
        response.delete_cookie(devices.COOKIE, path="/")
        return response
    try:
        body = await request.json()
    except ValueError:
        return JSONResponse({"ok": False}, status_code=400)
    token = devices.open_ticket(body.get("ticket") if isinstance(body, dict) else None)
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
