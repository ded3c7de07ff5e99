"""The surrogate key of every response that shows a most-read list: purged when editors
exclude an article or take an exclusion back. The lists also refresh by themselves every
``MOST_READ_REFRESH_SECONDS``."""

MOST_READ = "most-read"
