"""Look inside a finished run: one document's diff, the run report, the run statistics.

Everything here reads the dataset folder alone. The raw text is rebuilt from the clean text
and the edit record (:func:`corpus_tools.edits.revert`), and the figures are folded again
from the same record (:class:`corpus_tools.stats.RunStats`), so what the tools show is what
the dataset holds, never a second bookkeeping kept on the side.
"""
