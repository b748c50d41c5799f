"""Settings of the app: read from the environment and .streamlit/secrets.toml.

Every setting has a default that works on a bare machine. Environment variables win over secrets.toml.

Other places read configuration too: ``app/storage/db.py`` takes ``DATABASE_URL`` from the environment
before these settings; ``app/ui/oidc.py`` reads the ``[auth]`` section through ``st.secrets`` (as
Streamlit's ``st.login`` does); Uvicorn, the app server, reads ``FORWARDED_ALLOW_IPS``. The tests
(``TEST_DATABASE_URL``, ``STEMDAG_CHROMIUM``) and the benchmarks (``BENCH_DATABASE_URL``,
``LOAD_DATABASE_URL``, ``LOAD_STATIONS``, ``DATABASE_URL``, ``TEST_DATABASE_URL``,
``STEMDAG_CHROMIUM``) read the environment only.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _secrets() -> dict:
    path = ROOT / ".streamlit" / "secrets.toml"
    if path.exists():
        with path.open("rb") as fh:
            return tomllib.load(fh)
    return {}


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    #: the analysis's reads (a read replica); None: the app's own database
    analysis_database_url: str | None
    data_dir: Path
    secret_key: str
    server_address: str
    server_port: int
    refresh_seconds: int
    silent_minutes: int
    session_minutes: int
    max_failed_sign_ins: int
    lockout_minutes: int
    simulate: bool
    simulate_day_minutes: int

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pgdata"


def _get(name: str, default: str, secrets: dict) -> str:
    if name in os.environ:
        return os.environ[name]
    key = name.lower().removeprefix("stemdag_")
    value = secrets.get(name, secrets.get(key, default))
    return str(value)


@lru_cache(maxsize=1)
def settings() -> Settings:
    s = _secrets()
    url = os.environ.get("DATABASE_URL") or s.get("DATABASE_URL") or None
    return Settings(
        database_url=url,
        analysis_database_url=_get("STEMDAG_ANALYSIS_DATABASE_URL", "", s) or None,
        data_dir=Path(_get("STEMDAG_DATA_DIR", str(ROOT / ".stemdag"), s)),
        # Signs (HMAC) the short-lived ticket that carries a "stay signed in" token to the cookie route
        # (app/services/devices.py); links and cookies are random tokens stored as SHA-256, not signed.
        # The default is for development only; set it in production.
        secret_key=_get("STEMDAG_SECRET_KEY", "stemdag-development-key-change-me", s),
        server_address=_get("STEMDAG_ADDRESS", "localhost", s),
        server_port=int(_get("STEMDAG_PORT", "8501", s)),
        refresh_seconds=int(_get("STEMDAG_REFRESH_SECONDS", "3", s)),
        silent_minutes=int(_get("STEMDAG_SILENT_MINUTES", "30", s)),
        session_minutes=int(_get("STEMDAG_SESSION_MINUTES", "720", s)),
        max_failed_sign_ins=int(_get("STEMDAG_MAX_FAILED_SIGN_INS", "5", s)),
        lockout_minutes=int(_get("STEMDAG_LOCKOUT_MINUTES", "15", s)),
        simulate=_get("STEMDAG_SIMULATE", "1", s) not in ("0", "false", "no", ""),
        simulate_day_minutes=int(_get("STEMDAG_SIMULATE_DAY_MINUTES", "15", s)),
    )


def reset_settings() -> None:
    """Forget cached settings (tests change the environment)."""
    settings.cache_clear()


def pgbouncer_setting() -> bool:
    """``STEMDAG_PGBOUNCER=1`` (environment or secrets.toml): the app's database connections go through
    PgBouncer in transaction pooling mode (read when an engine is made, so not cached)."""
    return _get("STEMDAG_PGBOUNCER", "0", _secrets()) in ("1", "true", "yes")
