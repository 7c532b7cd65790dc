"""The web app's guards against hostile uploads and cross-site requests (OWASP rules).

- `BodyLimitMiddleware` counts request-body bytes as they stream in and answers
  413 past the limit, whatever Content-Length said (or whether it was sent);
  408 when the body trickles in slower than a floor rate (30 connections at
  1 byte/s must not hold the server); 503 past a cap of bodies in flight; a
  client that goes away mid-upload is one log line, not a traceback.
- `json_island` writes JSON for a `<script type="application/json">` element
  with every `<`, `>` and `&` escaped: a clause holding `<!--<script>` or
  `</script>` stays data.
- `sniff_kind` trusts a file's first bytes only, never its name or Content-Type.
- CSRF: a signed double-submit cookie. The cookie holds a random value; every
  form carries HMAC(secret, value). A forged cross-site form cannot read the
  cookie, so it cannot compute the token. The secret lives in a file beside the
  store (mode 0600), so a restart does not expire every open form.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from pathlib import Path
from typing import Any, Optional

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "BodyLimitMiddleware", "BodyTooLarge", "CSRF_COOKIE", "CSRF_FIELD", "CSRF_HEADER", "CsrfSigner",
    "SECURITY_HEADERS", "SecurityHeadersMiddleware", "describe_content", "json_island", "sniff_kind",
]

log = logging.getLogger("nqgraph.web")

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


# JSON escapes for characters an HTML parser reads inside <script>: "<!--" and "</script>"
# end or bend the element; U+2028/2029 end a line in older script parsers.
_ISLAND_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                                 "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_island(value: Any) -> str:
    """JSON safe inside `<script type="application/json">…</script>` (mark it `|safe`).

    >>> json_island({"text": "<!--<script>"})
    '{"text": "\\\\u003c!--\\\\u003cscript\\\\u003e"}'
    """
    return json.dumps(value, ensure_ascii=False).translate(_ISLAND_ESCAPES)


# What a refused file really is, from its first bytes, to tell staff in plain words.
_OTHER_KINDS = ((b"\xd0\xcf\x11\xe0", "an old-style Word or Excel file (.doc/.xls)"), (b"{\\rtf", "an RTF document"),
                (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
                (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"Rar!", "a RAR archive"),
                (b"7z\xbc\xaf", "a 7-Zip archive"), (b"\x1f\x8b", "a gzip archive"))


def describe_content(head: bytes) -> str:
    """What a file that is neither PDF nor DOCX is, from its first bytes (512 are plenty).

    >>> describe_content("Nghị quyết số 5".encode()), describe_content(b"<!DOCTYPE html><p>"), describe_content(b"")
    ('plain text', 'a web page (HTML)', 'an empty file')
    """
    if not head:
        return "an empty file"
    for magic, what in _OTHER_KINDS:
        if head.startswith(magic):
            return what
    try:
        text = head.decode("utf-8") if not head.startswith((b"\xff\xfe", b"\xfe\xff")) else head.decode("utf-16")
    except UnicodeDecodeError:
        # a cut in the middle of a multi-byte character at the end of the sample is still text
        text = head[:-3].decode("utf-8", "ignore") if b"\x00" not in head else ""
    if text and not any(ord(ch) < 9 for ch in text):
        return "a web page (HTML)" if text.lstrip().lower().startswith(("<!doctype html", "<html")) else "plain text"
    return "a file of an unknown kind"


class BodyTooLarge(HTTPException):
    """Raised from inside `receive` when the body passes the limit."""

    def __init__(self, limit: int):
        super().__init__(413, f"The upload is larger than {limit // (1024 * 1024)} MB. "
                              "Send fewer or smaller files at a time.")


class BodyTooSlow(HTTPException):
    """Raised from inside `receive` when the body falls behind the floor rate."""

    def __init__(self):
        super().__init__(408, "The upload arrived too slowly and was stopped. Check the connection and try again.")


def _has_body(scope: Scope) -> bool:
    headers = dict(scope.get("headers") or [])
    return headers.get(b"content-length", b"0") not in (b"0", b"") or b"transfer-encoding" in headers


class BodyLimitMiddleware:
    """ASGI middleware guarding request bodies: size, pace, how many at once, clients that leave.

    The declared Content-Length is checked first (cheap refusal), then every
    chunk is counted, so a missing or lying header changes nothing. After
    `grace` seconds the body must keep up `min_rate` bytes a second on average
    (a 50 MB upload over a slow office line passes; a 1 byte/s trickle is cut
    off with 408). At most `max_concurrent` bodies are read at once; more get
    503 at once, so trickling clients cannot hold every worker.

    >>> app = BodyLimitMiddleware(inner_app, limit=50 * 1024 * 1024)   # doctest: +SKIP
    """

    def __init__(self, app: ASGIApp, limit: int, *, grace: float = 30.0, min_rate: float = 16 * 1024,
                 max_concurrent: int = 4):
        self.app = app
        self.limit = limit
        self.grace = grace
        self.min_rate = min_rate
        self.max_concurrent = max_concurrent
        self.active = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _has_body(scope):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send, 413, BodyTooLarge(self.limit).detail)
            return
        if self.active >= self.max_concurrent:
            await self._refuse(send, 503, f"{self.active} uploads are already being received; "
                                          "try again in a minute.", retry_after=30)
            return
        self.active += 1
        try:
            await self._guarded(scope, receive, send)
        finally:
            self.active -= 1

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        seen, started, began = 0, False, time.monotonic()

        async def counting_receive() -> Message:
            nonlocal seen
            allowed = began + self.grace + seen / self.min_rate - time.monotonic()
            try:
                message = await asyncio.wait_for(receive(), max(allowed, 0.001))
            except asyncio.TimeoutError:
                raise BodyTooSlow() from None
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
        except (BodyTooLarge, BodyTooSlow) as error:
            log.warning("%s %s: %s (%d bytes received)", scope.get("method"), scope.get("path"),
                        error.detail, seen)
            if not started:
                await self._refuse(send, error.status_code, error.detail)
        except ClientDisconnect:
            log.warning("%s %s: the client went away after %d bytes; nothing was stored",
                        scope.get("method"), scope.get("path"), seen)

    @staticmethod
    async def _refuse(send: Send, status: int, detail: str, retry_after: Optional[int] = None) -> None:
        body = detail.encode()
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")]
        if retry_after:
            headers.append((b"retry-after", str(retry_after).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
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

    @classmethod
    def kept_in(cls, path: Path) -> "CsrfSigner":
        """A signer whose secret is read from `path`, written there (0600) the first time.

        >>> CsrfSigner.kept_in(folder / "csrf.key").secret == CsrfSigner.kept_in(folder / "csrf.key").secret  # doctest: +SKIP
        True
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            secret = path.read_bytes()
            if len(secret) == 32:
                return cls(secret)
        except FileNotFoundError:
            pass
        secret = secrets.token_bytes(32)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secret)
        os.replace(partial, path)  # whole or absent, never half a key
        return cls(path.read_bytes())  # two servers starting at once agree on the last one written

    @staticmethod
    def new_cookie() -> str:
        return secrets.token_urlsafe(24)

    def token(self, cookie: str) -> str:
        return hmac.new(self.secret, cookie.encode(), hashlib.sha256).hexdigest()

    def check(self, cookie: Optional[str], token: Optional[str]) -> bool:
        if not cookie or not token:
            return False
        return hmac.compare_digest(self.token(cookie), token)
