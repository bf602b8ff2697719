"""The store: SQL schema and the functions that read and write it."""

from storyweave.store.repository import DEFAULT_URL, Store, StoreError, open_store

__all__ = ["DEFAULT_URL", "Store", "StoreError", "open_store"]
