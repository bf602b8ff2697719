"""The JSON API, /api/v1: stories, reports, articles, search, and the two writes (POST /articles, /ingest).

A story is served as stored: the same object as that story's entry in report.json, its JSON text sent
without being parsed and written again. Writes go through the CLI's readers and pipeline
(:mod:`storyweave.web.intake`), one at a time, and answer only when the story has been analysed again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from storyweave.store.queries import KINDS, SORTS, StoryFilter
from storyweave.web.app import ApiError, Context
from storyweave.web.intake import BadRequest, Intake, read_posted, read_upload

router = APIRouter()

StoryId = Annotated[str, Path(pattern=r"^s-[0-9a-f]{6,40}$", description="A story id (s-...).")]
ArticleId = Annotated[str, Path(pattern=r"^a-[0-9a-f]{6,40}$", description="An article id (a-...).")]
DAY = r"^\d{4}-\d{2}-\d{2}$"
_DAY = re.compile(DAY)


def ctx_of(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


def check_day(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    if not _DAY.match(value):
        raise ApiError(422, f"{name}: {value!r} is not a date (YYYY-MM-DD)")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None
    return value


def story_filter(
    q: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    min_outlets: int,
    sort: str,
    offset: int,
    limit: int,
) -> StoryFilter:
    if sort not in SORTS:
        raise ApiError(422, f"sort: {sort!r} is not one of {', '.join(SORTS)}")
    return StoryFilter(
        q=(q or "").strip() or None,
        outlet=(outlet or "").strip() or None,
        since=check_day(since or None, "since"),
        until=check_day(until or None, "until"),
        min_outlets=min_outlets,
        sort=sort,
        offset=offset,
        limit=limit,
    )


@router.get("/healthz", summary="Is the server up, and what does its store hold")
def healthz(request: Request) -> dict[str, Any]:
    from storyweave.model import SCHEMA_ID

    ctx = ctx_of(request)
    counts = ctx.store.counts()
    return {
        "status": "ok",
        "schema": SCHEMA_ID,
        "stories": counts["stories"],
        "articles": counts["articles"],
        "writes": ctx.settings.token is not None,
    }


@router.get("/stories", summary="Stories, paged, filtered and sorted")
def list_stories(
    request: Request,
    q: Annotated[
        str | None, Query(max_length=200, description="Words in the title, facts, quotes or names")
    ] = None,
    outlet: Annotated[
        str | None, Query(max_length=200, description="Only stories this outlet covers")
    ] = None,
    since: Annotated[str | None, Query(description="Last report on or after (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, Query(description="First report on or before (YYYY-MM-DD)")] = None,
    min_outlets: Annotated[int, Query(ge=0, le=10_000)] = 0,
    sort: Annotated[str, Query(description="newest or size")] = "newest",
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    query = story_filter(q, outlet, since, until, min_outlets, sort, offset, limit)
    total, page = ctx_of(request).queries.list_stories(query)
    return {"total": total, "offset": offset, "limit": limit, "stories": page}


def _report_text(ctx: Context, story_id: str) -> str:
    raw = ctx.queries.report_json(story_id)
    if raw is None:
        if ctx.store.story_state(story_id) is None:
            raise ApiError(404, f"no story {story_id}")
        raise ApiError(409, f"story {story_id} is not analysed yet")
    return raw


def story_dict(ctx: Context, story_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_report_text(ctx, story_id))
    return data


@router.get(
    "/stories/{story_id}",
    summary="A story's report: the same object as its entry in report.json's stories",
    response_class=Response,
)
def get_story(request: Request, story_id: StoryId) -> Response:
    return Response(_report_text(ctx_of(request), story_id), media_type="application/json")


@router.get("/stories/{story_id}/version", summary="Changes when the story grows or is analysed again")
def story_version(request: Request, story_id: StoryId) -> dict[str, Any]:
    version = ctx_of(request).queries.version(story_id)
    if version is None:
        raise ApiError(404, f"no story {story_id}")
    return version


def _one_story_report(story: dict[str, Any]) -> dict[str, Any]:
    from storyweave.model import SCHEMA_ID

    corpus = {"articles": len(story.get("articles", [])), "stories": 1, "skipped": []}
    return {"schema": SCHEMA_ID, "corpus": corpus, "stories": [story]}


@router.get(
    "/stories/{story_id}/report.md",
    summary="The story's report as Markdown",
    response_class=PlainTextResponse,
)
def story_markdown(request: Request, story_id: StoryId) -> PlainTextResponse:
    from storyweave.render.markdown import render_markdown

    text = render_markdown(_one_story_report(story_dict(ctx_of(request), story_id)))
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")


@router.get("/stories/{story_id}/report.html", summary="The story's self-contained HTML report")
def story_html(request: Request, story_id: StoryId) -> Response:
    from storyweave.render.html import render_html

    page = render_html(_one_story_report(story_dict(ctx_of(request), story_id)))
    # report.html carries its own stricter policy (no script at all, inline styles only).
    headers = {"content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:"}
    return Response(page, media_type="text/html; charset=utf-8", headers=headers)


@router.get("/articles/{article_id}", summary="An article: metadata, cleaned text, removed lines, its story")
def get_article(request: Request, article_id: ArticleId) -> dict[str, Any]:
    ctx = ctx_of(request)
    found = ctx.store.articles([article_id])
    if not found:
        raise ApiError(404, f"no article {article_id}")
    a = found[0]
    return {
        "id": a.id,
        "story": ctx.store.story_of([a.id]).get(a.id),
        "path": a.path,
        "url": a.url,
        "source": a.source,
        "label": a.label,
        "title": a.title,
        "author": a.author,
        "published": a.published,
        "published_from": a.published_from,
        "language": a.language,
        "duplicate_of": a.duplicate_of,
        "text": a.text,
        "removed": [{"text": r.text, "reason": r.reason} for r in a.removed],
        "flags": a.flags,
    }


@router.get("/search", summary="Facts, quotes and entities matching every word of q")
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    kind: Annotated[str | None, Query(description="fact, quote or entity")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    if kind is not None and kind not in KINDS:
        raise ApiError(422, f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    if not q.strip():
        raise ApiError(422, "q: empty query")
    hits = ctx_of(request).queries.search(q, kind=kind, limit=limit)
    return {
        "q": q,
        "hits": [{"story": h.story, "kind": h.kind, "id": h.item, "text": h.text} for h in hits],
    }


def _request_body(schemas: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``openapi_extra`` for a required body with one object schema per media type: these handlers read
    the request themselves, so FastAPI cannot describe the body from their signatures."""
    return {
        "requestBody": {
            "required": True,
            "content": {media: {"schema": {"type": "object", **schema}} for media, schema in schemas.items()},
        }
    }


ARTICLE_BODY = _request_body(
    {
        "application/json": {
            "properties": {
                name: {"type": "string"}
                for name in ("text", "html", "url", "source", "title", "published", "author")
            },
            "description": "One article: text or html, with optional metadata.",
        },
        "multipart/form-data": {
            "properties": {
                "file": {"type": "string", "format": "binary"},
                "published": {"type": "string", "description": "YYYY-MM-DD for undated inputs"},
            },
            "required": ["file"],
        },
    }
)


def _answer(ctx: Context, intake: Intake) -> JSONResponse:
    if intake.failed and not intake.stored:
        raise ApiError(500, f"analysis failed: {intake.failed[0]['reason']}")
    if not intake.stored:
        first = intake.skipped[0] if intake.skipped else {"path": "input", "reason": "nothing to store"}
        raise ApiError(422, f"{first['path']}: {first['reason']}")
    ctx.queries.refresh(intake.stories)
    ctx.page_cache.clear()
    status = 201 if any(s["new"] for s in intake.stored) else 200
    return JSONResponse(intake.as_dict(), status_code=status)


async def _json_body(request: Request) -> Any:
    body = await request.body()
    if not body.strip():
        raise BadRequest("empty request body", 400)
    try:
        return json.loads(body)
    except UnicodeDecodeError:
        raise BadRequest("request body is not UTF-8 JSON", 400) from None
    except json.JSONDecodeError as exc:
        raise BadRequest(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", 400) from None


@router.post(
    "/articles",
    summary="Store an article (JSON or a file upload), group it and re-analyse its story",
    openapi_extra=ARTICLE_BODY,
    status_code=201,
)
async def post_article(request: Request) -> JSONResponse:
    ctx = ctx_of(request)
    ctx.check_token(request)
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type == "application/json":
        items = await run_in_threadpool(read_posted, await _json_body(request))
    elif content_type == "multipart/form-data":
        try:
            form = await request.form(max_files=1, max_fields=10)
        except Exception as exc:  # noqa: BLE001 - a malformed multipart body is the client's error
            raise BadRequest(f"malformed multipart body: {exc}", 400) from None
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise BadRequest("multipart body needs a 'file' field with the article file", 422)
        published = form.get("published")
        published = check_day(published.strip() or None, "published") if isinstance(published, str) else None
        data = await upload.read()
        if not data:
            raise BadRequest(f"{upload.filename or 'upload'}: empty file", 422)
        items = await run_in_threadpool(read_upload, data, upload.filename, published)
    else:
        raise BadRequest(
            f"unsupported Content-Type {content_type or '(none)'}: "
            "send application/json or multipart/form-data",
            415,
        )
    intake = await run_in_threadpool(ctx.writer.ingest, items)
    return _answer(ctx, intake)


@router.post(
    "/ingest",
    summary="Fetch pages or feeds by URL, store, group and analyse them",
    openapi_extra=_request_body(
        {
            "application/json": {
                "properties": {
                    "urls": {"type": "array", "items": {"type": "string"}},
                    "published": {"type": "string"},
                },
                "required": ["urls"],
            }
        }
    ),
    status_code=201,
)
async def post_ingest(request: Request) -> JSONResponse:
    from storyweave.ingest import read_urls
    from storyweave.ingest.url import fetch_settings

    ctx = ctx_of(request)
    ctx.check_token(request)
    if request.headers.get("content-type", "").split(";", 1)[0].strip().lower() != "application/json":
        raise BadRequest('send application/json: {"urls": [...]}', 415)
    body = await _json_body(request)
    if not isinstance(body, dict) or set(body) - {"urls", "published"}:
        raise BadRequest('expected a JSON object {"urls": [...], "published": "YYYY-MM-DD"}')
    urls = body.get("urls")
    if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
        raise BadRequest("urls: a non-empty list of http(s) URLs")
    limit = ctx.settings.max_urls
    if len(urls) > limit:
        raise BadRequest(f"urls: at most {limit} URLs a request, got {len(urls)}", 413)
    published = body.get("published")
    if published is not None and not isinstance(published, str):
        raise BadRequest("published: a date string (YYYY-MM-DD)")
    published = check_day(published, "published")
    settings = ctx.settings

    def fetch_all() -> list[Any]:
        # The CLI's fetch path and address policy, set in the worker thread (settings are per context).
        allowed = settings.allowed_networks
        with fetch_settings(allow_private=settings.allow_private_urls, allowed_networks=allowed):
            return list(read_urls(list(dict.fromkeys(u.strip() for u in urls)), published=published))

    items = await run_in_threadpool(fetch_all)
    intake = await run_in_threadpool(ctx.writer.ingest, items)
    if not intake.stored and intake.skipped:
        # Nothing could be stored: the first reason answers, all of them are listed.
        first = intake.skipped[0]
        return JSONResponse(
            {"error": f"{first['path']}: {first['reason']}", "skipped": intake.skipped}, status_code=422
        )
    return _answer(ctx, intake)
