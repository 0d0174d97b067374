"""Pure parts of corpus-level deduplication: normalisation, MinHash, LSH banding, clusters.

The step that wires them into a chain lives in :mod:`corpus_tools.steps.dedup`; these
modules know nothing of documents or configs, so the benchmark and the tests use them
directly.
"""
