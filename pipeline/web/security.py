"""The web app's guards against hostile uploads and cross-site requests (OWASP rules).

- `BodyLimitMiddleware` counts request-body bytes as they stream in and answers
  413 past the limit, whatever Content-Length said (or whether it was sent).
- `sniff_kind` trusts a file's first bytes only, never its name or Content-Type.
- CSRF: a signed double-submit cookie. The cookie holds a random value; every
  form carries HMAC(secret, value). A forged cross-site form cannot read the
  cookie, so it cannot compute the token; the secret lives only in the server.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Optional

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "BodyLimitMiddleware", "BodyTooLarge", "CSRF_COOKIE", "CSRF_FIELD", "CSRF_HEADER", "CsrfSigner",
    "SECURITY_HEADERS", "SecurityHeadersMiddleware", "sniff_kind",
]

CSRF_COOKIE = "nqgraph_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

# Magic numbers of the two accepted formats. A DOCX is a zip (Office Open XML);
# whether the zip really holds a Word document is the parser's business, in its sandbox.
MAGIC = ((b"%PDF-", "pdf"), (b"PK\x03\x04", "docx"))

# Scripts only from our own static files (no inline script): an injected
# <script> in a document's text cannot run even if escaping ever failed.
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
     b" object-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"),
)


def sniff_kind(head: bytes) -> Optional[str]:
    """"pdf" or "docx" from a file's first bytes, None for anything else.

    >>> sniff_kind(b"%PDF-1.7\\n"), sniff_kind(b"PK\\x03\\x04..."), sniff_kind(b"Nghi quyet")
    ('pdf', 'docx', None)
    """
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    return None


class BodyTooLarge(HTTPException):
    """Raised from inside `receive` when the body passes the limit."""

    def __init__(self, limit: int):
        super().__init__(413, f"The upload is larger than {limit // (1024 * 1024)} MB. "
                              "Send fewer or smaller files at a time.")


class BodyLimitMiddleware:
    """ASGI middleware: refuse request bodies over `limit` bytes with 413.

    The declared Content-Length is checked first (cheap refusal), then every
    chunk is counted, so a missing or lying header changes nothing.

    >>> app = BodyLimitMiddleware(inner_app, limit=50 * 1024 * 1024)   # doctest: +SKIP
    """

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = BodyTooLarge(self.limit).detail.encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """Adds `SECURITY_HEADERS` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in SECURITY_HEADERS if name not in present]
            await send(message)

        await self.app(scope, receive, with_headers)


class CsrfSigner:
    """Issues and checks signed double-submit CSRF tokens.

    >>> signer = CsrfSigner(b"k" * 32)
    >>> cookie = signer.new_cookie()
    >>> signer.check(cookie, signer.token(cookie)), signer.check(cookie, "forged")
    (True, False)
    """

    def __init__(self, secret: Optional[bytes] = None):
        self.secret = secret or secrets.token_bytes(32)

    @staticmethod
    def new_cookie() -> str:
        return secrets.token_urlsafe(24)

    def token(self, cookie: str) -> str:
        return hmac.new(self.secret, cookie.encode(), hashlib.sha256).hexdigest()

    def check(self, cookie: Optional[str], token: Optional[str]) -> bool:
        if not cookie or not token:
            return False
        return hmac.compare_digest(self.token(cookie), token)
