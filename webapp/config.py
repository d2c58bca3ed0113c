"""Settings read from the environment, with safe defaults for a local demo."""

import os
import secrets
from pathlib import Path

from webapp import crypto


def _flag(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() not in {"0", "false", "no", "off", ""}


def _secret_key(instance_path, name="SECRET_KEY", filename="secret_key"):
    """Return a key from the environment, or one generated once and kept on disk,
    readable by the service user only."""
    if os.environ.get(name):
        return os.environ[name]
    key_file = Path(instance_path) / filename
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _oidc(prefix, scopes):
    """An OpenID provider's settings: PREFIX_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _SCOPES."""
    return {f"{prefix}_{name}": os.environ.get(f"{prefix}_{name}", default).strip()
            for name, default in (("ISSUER", ""), ("CLIENT_ID", ""), ("CLIENT_SECRET", ""),
                                  ("SCOPES", scopes), ("ACR_VALUES", "eidas1"))}


def _read_if_exists(path):
    return path.read_text() if path.exists() else ""


def from_environment(instance_path):
    """Build the configuration dict for create_app."""
    instance = Path(instance_path)
    secure = _flag("WEBAPP_SECURE_COOKIES", True)
    return {
        "SECRET_KEY": _secret_key(instance),
        # keys the access log's MACs: kept out of the database, so that a copy of the
        # database cannot rewrite the log without being seen
        "AUDIT_KEY": _secret_key(instance, "AUDIT_KEY", "audit_key"),
        # the log's later keys, "id:secret" the first one current, older ones kept to
        # verify; set by rotate-audit-key in instance/audit_keys (see webapp/audit/keys.py)
        "AUDIT_KEYS": os.environ.get("AUDIT_KEYS") or _read_if_exists(instance / "audit_keys"),
        # the access log's signed checkpoints, appended outside the database (default:
        # instance/log-checkpoints.jsonl; in production, another volume or machine)
        "AUDIT_CHECKPOINTS": os.environ.get("AUDIT_CHECKPOINTS", ""),
        # master keys of encryption at rest, "id:base64,…", the first one current (files'
        # data keys, TOTP secrets, the outbox); see webapp/crypto.py and rotate-keys
        "DATA_KEYS": os.environ.get("DATA_KEYS") or crypto.keys_from_instance(instance),
        "DATABASE_URL": (os.environ.get("DATABASE_URL")
                         or f"sqlite:///{instance / 'webapp.sqlite3'}"),
        # PostgreSQL connections kept open and reused, per server process
        "DATABASE_POOL_SIZE": int(os.environ.get("DATABASE_POOL_SIZE", "10")),
        "DATABASE_POOL_WAIT": int(os.environ.get("DATABASE_POOL_WAIT", "10")),
        "DATABASE_POOL_RECYCLE": int(os.environ.get("DATABASE_POOL_RECYCLE", "300")),
        "STORAGE_PATH": os.environ.get("WEBAPP_STORAGE_PATH") or str(instance / "storage"),
        # files in an S3-compatible object store instead (webapp/storage/s3.py):
        # s3://bucket/prefix, the endpoint of a store other than AWS, its region;
        # credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or a role)
        "STORAGE_URL": os.environ.get("STORAGE_URL", ""),
        "S3_ENDPOINT_URL": os.environ.get("S3_ENDPOINT_URL", ""),
        "S3_REGION": os.environ.get("S3_REGION") or os.environ.get("AWS_REGION", ""),
        "SECURE_COOKIES": secure,
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "__Host-session" if secure else "session",
        "WTF_CSRF_TIME_LIMIT": None,  # valid for the whole session: no silent time-out
        "WTF_CSRF_SSL_STRICT": secure,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # how many reverse proxies in front of the app set X-Forwarded-For (and -Proto,
        # -Host): the client's address, which rate limits count by, comes from them
        "PROXY_HOPS": int(os.environ.get("PROXY_HOPS", "0")),
        "RATELIMIT_ENABLED": _flag("WEBAPP_RATELIMIT", True),
        "ARGON2_PROFILE": os.environ.get("WEBAPP_ARGON2_PROFILE", "rfc_9106_low_memory"),
        "MAIL_TRANSPORT": os.environ.get("WEBAPP_MAIL_TRANSPORT", "console"),
        "SMTP_HOST": os.environ.get("SMTP_HOST", "127.0.0.1"),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "25")),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS", False),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Mon espace santé <ne-pas-repondre@example.org>"),
        "BASE_URL": os.environ.get("WEBAPP_BASE_URL", "http://127.0.0.1:5000"),
        # National sign-in (webapp/national_signin, docs/national-signin.md): each provider
        # is on only when its issuer, client id and secret are all set
        **_oidc("FRANCECONNECT", "openid given_name family_name birthdate gender birthplace "
                "birthcountry"),
        **_oidc("PRO_SANTE_CONNECT", "openid scope_all"),
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "LANGUAGES": ["fr", "en"],
        # Files are refused above 5 MB by the forms, with the typed values kept; requests
        # up to 10 MB reach them. Beyond, the 413 page explains the limit.
        "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
        "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/javascript",
                               "application/javascript", "application/json", "image/svg+xml",
                               "text/calendar"],
        "COMPRESS_MIN_SIZE": 500,
        # static files are sent as streams; compress them for browsers that ask only gzip
        "COMPRESS_ALGORITHM_STREAMING": ["zstd", "br", "gzip", "deflate"],
    }
