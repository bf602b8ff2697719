"""The analyses of one story: entities, quotes, claims, contradictions, timeline, events, sources, summary.

One module each; :mod:`storyweave.analysis.story` runs them in order. (The package is named
``analysis`` so that ``storyweave.analyze``, the public function, is never shadowed by it.)
"""
