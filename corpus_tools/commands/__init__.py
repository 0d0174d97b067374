"""CLI subcommands, one module each (see ``corpus_tools.cli``)."""
