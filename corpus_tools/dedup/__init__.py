"""Corpus-level deduplication without documents or configs: normalised keys, MinHash, LSH
banding, the pass's rows (``rows``), pair verification (``verify``) and the clusters it
decides (``clusters``).

The step that wires them into a chain, :mod:`corpus_tools.steps.dedup`, is an adapter: its
options, and summarize/combine/merge/finish/process calling these modules, so the benchmark
and the tests use them directly.
"""
