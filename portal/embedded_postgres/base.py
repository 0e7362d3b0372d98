"""Django's PostgreSQL backend, with the server started on demand."""

from __future__ import annotations

import threading
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql import base as postgresql

_lock = threading.Lock()
_socket_dir: str | None = None


def ensure_server() -> str:
    """Start (or attach to) the embedded server once per process; return its socket folder."""
    global _socket_dir
    with _lock:
        if _socket_dir is None:
            # pgserver asks platformdirs for a runtime folder at import; with no
            # XDG_RUNTIME_DIR it warns on every command although /tmp works fine.
            warnings.filterwarnings("ignore", module="platformdirs")
            try:
                import pgserver
            except ImportError as exc:  # pragma: no cover - pgserver is in requirements.txt
                raise ImproperlyConfigured(
                    "DATABASE_URL is unset and the embedded PostgreSQL (pgserver) is not "
                    "installed: pip install -r requirements.txt, or set DATABASE_URL"
                ) from exc
            data_dir = Path(settings.EMBEDDED_POSTGRES_DIR)
            data_dir.mkdir(parents=True, exist_ok=True)
            # cleanup_mode=None leaves the server running, so the next command reuses it.
            server = pgserver.get_server(data_dir, cleanup_mode=None)
            query = parse_qs(urlsplit(server.get_uri()).query)
            _socket_dir = query["host"][0]
        return _socket_dir


class DatabaseWrapper(postgresql.DatabaseWrapper):
    def get_connection_params(self):
        self.settings_dict["HOST"] = ensure_server()
        return super().get_connection_params()
