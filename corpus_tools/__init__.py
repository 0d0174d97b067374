"""corpus_tools: scraped web dumps in, clean documented corpora out."""

__version__ = "0.1.0"
