"""The same stages past one process: ``storyweave ingest --engine ray``.

:mod:`.transport` turns annotated articles into bytes and back (spaCy docs as ``Doc.to_bytes``), so
they can travel between Ray workers and the driver; :mod:`.ray_engine` runs reading, cleaning,
annotation and story analysis on Ray Data and hands grouping, the one pass that must see every
article in order, to the same code the local engine runs. Nothing here is imported by the local
engine, and Ray is imported only when the Ray engine runs.
"""
