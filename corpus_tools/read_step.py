"""What the readers record for an input entry they do not make a document of.

The readers reject such an entry under ``READ_STEP``; the WARC reader rolls up the records it
counts instead of keeping (requests, redirects, images...) into one row per file, whose
``extra`` holds ``{WARC_SKIPPED_KEY: {kind: count}}``. The statistics read both back.
"""

READ_STEP = "read"
WARC_SKIPPED_RULE = "warc_records_skipped"
WARC_SKIPPED_KEY = "warc_records_skipped"
