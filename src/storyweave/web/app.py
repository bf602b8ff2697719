"""The server: one FastAPI app over one store, the JSON API under /api/v1 and the web pages beside it.

Reads are open; writes (POST) need the bearer token the server was started with, and are off when it
has none. Every refusal is a 4xx answer with one line of JSON, ``{"error": "..."}``, never a traceback.
Every page is sent with a strict Content-Security-Policy: scripts and styles only from the server itself,
no inline script or handler, no frames, nothing from any other origin.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyweave.defaults import QUIET_DAYS, SUMMARY_SENTENCES
from storyweave.ingest.netpolicy import Network
from storyweave.web.auth import load_token
from storyweave.web.intake import BadRequest

__all__ = ["ApiError", "Context", "Settings", "create_app", "load_token"]

STATIC = Path(__file__).parent / "static"
# 20 MB: the CLI's file size cap (storyweave.ingest.MAX_FILE_BYTES) plus room for a multipart envelope.
DEFAULT_MAX_BODY = 21 * 2**20
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ApiError(Exception):
    """A refusal with its HTTP status and one-line reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class Settings:
    """How the server was started (``storyweave serve`` options)."""

    db: str = "sqlite:///storyweave.db"
    token: str | None = None  # no token: writes are off
    allow_private_urls: bool = False  # URL fetches follow the CLI's rules (storyweave.ingest.netpolicy)
    allowed_networks: tuple[Network, ...] = ()  # fetchable despite being non-public (tests, an intranet)
    max_body_bytes: int = DEFAULT_MAX_BODY
    max_urls: int = 20  # URLs one POST /ingest may name
    poll_seconds: float = 5.0  # how often an open story page asks whether its story grew
    quiet_days: int = QUIET_DAYS
    summary_sentences: int = SUMMARY_SENTENCES


class Context:
    """What every request handler shares: the settings, the store, its queries, the one writer."""

    def __init__(self, settings: Settings) -> None:
        from storyweave.store import open_store
        from storyweave.store.queries import StoryQueries
        from storyweave.web.intake import Writer

        self.settings = settings
        self.store = open_store(settings.db)
        self.queries = StoryQueries(self.store)
        self.writer = Writer(settings.db, settings.quiet_days, settings.summary_sentences)
        self.page_cache: dict[tuple[str, str], str] = {}

    def check_token(self, request: Request) -> None:
        """Refuse a write without the right bearer token (403 when the server takes no writes)."""
        token = self.settings.token
        if token is None:
            raise ApiError(403, "writes are off: start the server with --token-file or STORYWEAVE_TOKEN")
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise ApiError(401, "a write needs the header 'Authorization: Bearer <token>'")
        if not hmac.compare_digest(value.strip().encode(), token.encode()):
            raise ApiError(401, "wrong token")

    def warm(self) -> None:
        try:
            self.queries.refresh()
        except Exception:  # noqa: BLE001 - a failed warm-up only means the first request digests
            return

    def close(self) -> None:
        self.store.close()


def _error(status: int, reason: str) -> JSONResponse:
    return JSONResponse({"error": " ".join(reason.split())}, status_code=status)


def _validation_reason(error: RequestValidationError) -> str:
    first = next(iter(error.errors()), None)
    if not first:
        return "invalid request"
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body"))
    message = str(first.get("msg", "invalid"))
    return f"{where}: {message}" if where else message


class BodyLimit:
    """Refuse request bodies over the limit (413), by their declared length or as they stream in."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        reason = f"request body larger than {self.max_bytes} bytes"
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                await _error(400, "invalid Content-Length")(scope, receive, send)
                return
            if too_big:
                await _error(413, reason)(scope, receive, send)
                return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message.get("type") == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise StarletteHTTPException(413, reason)
            return message

        await self.app(scope, limited, send)


class SecurityHeaders:
    """Add the policy headers to every response (plain ASGI: no task group between the app and its body)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message.get("type") == "http.response.start":
                present = {bytes(k).lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in present
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(settings: Settings) -> FastAPI:
    """The app for one store; its Context is ``app.state.ctx``."""
    from storyweave import __version__
    from storyweave.web.api import router as api_router
    from storyweave.web.pages import render_error
    from storyweave.web.pages import router as page_router

    ctx = Context(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Digest the stored stories in the background, so the first list or search need not wait.
        threading.Thread(target=ctx.warm, name="storyweave-digest", daemon=True).start()
        yield
        ctx.close()

    app = FastAPI(
        lifespan=lifespan,
        title="storyweave",
        version=__version__,
        description="Stories grouped from news reports, each with a cited account of what outlets agree on "
        "and where they differ. Reads are open; writes need a bearer token.",
        docs_url=None,  # /docs is our own page: Swagger UI would load its script from a CDN
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.ctx = ctx

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Any:
        if wants_json(request):
            return _error(exc.status, exc.reason)
        return render_error(exc.status, exc.reason)

    @app.exception_handler(BadRequest)
    async def _bad_request(request: Request, exc: BadRequest) -> Any:
        return _error(exc.status, exc.reason) if wants_json(request) else render_error(exc.status, exc.reason)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Any:
        reason = _validation_reason(exc)
        return _error(422, reason) if wants_json(request) else render_error(400, reason)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Any:
        reason = str(exc.detail)
        if exc.status_code == 404 and reason == "Not Found":
            reason = f"not found: {request.url.path}"
        elif exc.status_code == 405:
            reason = f"method {request.method} not allowed on {request.url.path}"
        return (
            _error(exc.status_code, reason) if wants_json(request) else render_error(exc.status_code, reason)
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Any:
        reason = f"internal error: {type(exc).__name__}"
        return _error(500, reason) if wants_json(request) else render_error(500, reason)

    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.include_router(api_router, prefix="/api/v1")
    app.include_router(page_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    return app
