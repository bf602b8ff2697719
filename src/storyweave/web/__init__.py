"""``storyweave serve``: the HTTP API (/api/v1) and the web UI over the store.

:mod:`.app` builds the FastAPI app, :mod:`.api` and :mod:`.pages` hold its routes, :mod:`.view` turns a
story's report dict into what its page shows, :mod:`.intake` stores posted articles through the CLI's
pipeline and :mod:`.server` runs uvicorn. URLs are fetched by the CLI's fetcher under its address policy
(:mod:`storyweave.ingest.url`, :mod:`storyweave.ingest.netpolicy`).
"""
