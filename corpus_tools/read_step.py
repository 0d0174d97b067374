"""What the readers record for an input entry they do not make a document of, and the mark
they leave on a document whose text is still a page's markup.

The readers reject such an entry under ``READ_STEP``; the WARC reader rolls up the records it
counts instead of keeping (requests, redirects, images...) into one row per file, whose
``extra`` holds ``{WARC_SKIPPED_KEY: {kind: count}}``. The statistics read both back.

An HTML page is read as its markup, with ``meta[MARKUP_KEY] = HTML_MARKUP``: the
``extract_html`` step makes it the article and takes the mark away, so a text step never sees
markup and an extracted text is never extracted again.
"""

READ_STEP = "read"
WARC_SKIPPED_RULE = "warc_records_skipped"
WARC_SKIPPED_KEY = "warc_records_skipped"
MARKUP_KEY = "markup"  # a meta key no dataset column has: it never reaches the output
HTML_MARKUP = "html"
