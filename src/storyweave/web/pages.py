"""The web pages: the story list, a story, search results, the upload and URL forms, the API reference.

Server-rendered with Jinja2, autoescaped everywhere, so article text from hostile pages is shown and
never run; the only script is the server's own /static/app.js (the Content-Security-Policy allows no
other). A rendered story page is kept until the story's version changes.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from storyweave.store.queries import KINDS, SORTS
from storyweave.web.api import StoryId, ctx_of, story_dict, story_filter
from storyweave.web.app import ApiError

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
# Rendered story pages kept (about 125 KB each for a 5-report story); bench/serve.py times hits and misses.
CACHED_PAGES = 256


@lru_cache(maxsize=1)
def env() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("storyweave", "web/templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["sorts"] = SORTS
    return environment


def render(name: str, code: int = 200, **values: Any) -> HTMLResponse:
    return HTMLResponse(env().get_template(name).render(**values), status_code=code)


def render_error(status: int, reason: str) -> HTMLResponse:
    return render("error.html.j2", status, status=status, reason=" ".join(reason.split()))


@router.get("/", response_class=HTMLResponse)
def story_list(
    request: Request,
    q: Annotated[str | None, Query(max_length=200)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    since: str | None = None,
    until: str | None = None,
    min_outlets: Annotated[int, Query(ge=0, le=10_000)] = 0,
    sort: str = "newest",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    query = story_filter(q, outlet, since, until, min_outlets, sort, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    total, stories = ctx_of(request).queries.list_stories(query)
    pages = max(1, -(-total // PAGE_SIZE))
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}
    return render(
        "list.html.j2",
        stories=stories,
        total=total,
        page=page,
        pages=pages,
        params=params,
        form={
            "q": query.q or "",
            "outlet": query.outlet or "",
            "since": query.since or "",
            "until": query.until or "",
            "min_outlets": query.min_outlets or "",
            "sort": query.sort,
        },
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: StoryId) -> HTMLResponse:
    from storyweave.web.view import story_page as view

    ctx = ctx_of(request)
    version = ctx.queries.version(story_id)
    if version is None:
        raise ApiError(404, f"no story {story_id}")
    key = (story_id, str(version["version"]))
    cached = ctx.page_cache.get(key)
    if cached is None:
        story = view(story_dict(ctx, story_id))
        cached = (
            env()
            .get_template("story.html.j2")
            .render(st=story, version=version["version"], poll=ctx.settings.poll_seconds)
        )
        if len(ctx.page_cache) >= CACHED_PAGES:
            ctx.page_cache.pop(next(iter(ctx.page_cache)))
        ctx.page_cache[key] = cached
    return HTMLResponse(cached)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    kind: str | None = None,
) -> HTMLResponse:
    ctx = ctx_of(request)
    if kind is not None and kind not in KINDS:
        kind = None
    hits = ctx.queries.search(q, kind=kind, limit=100) if q.strip() else []
    titles = {row["id"]: row["title"] for row in ctx.store.stories()} if hits else {}
    grouped: dict[str, list[Any]] = {}
    for hit in hits:
        grouped.setdefault(hit.story, []).append(hit)
    return render(
        "search.html.j2",
        q=q,
        kind=kind or "",
        kinds=KINDS,
        total=len(hits),
        groups=[{"id": s, "title": titles.get(s, s), "hits": h} for s, h in grouped.items()],
    )


@router.get("/add", response_class=HTMLResponse)
def add_page(request: Request) -> HTMLResponse:
    return render("add.html.j2", writes=ctx_of(request).settings.token is not None)


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API reference, read from the app's OpenAPI document (served offline, unlike Swagger UI)."""
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "params": [
                        {
                            "name": p.get("name"),
                            "in": p.get("in"),
                            "required": bool(p.get("required")),
                            "description": p.get("description") or "",
                        }
                        for p in op.get("parameters", [])
                    ],
                    "body": sorted((op.get("requestBody") or {}).get("content", {})),
                }
            )
    return render("docs.html.j2", endpoints=endpoints, info=spec.get("info", {}))
