"""Fetching meeting reports from the web: `manage.py fetch_articles` (see run.py).

- `urls`: cleaning an address (scheme, host, encoding) with an error that names it.
- `client`: HTTP GET with per-host delays, timeouts, retries with backoff, size limits,
  conditional requests and redirects checked against robots.txt.
- `robots`: robots.txt as RFC 9309 reads it (groups, longest match, wildcards) and Crawl-delay.
- `sources`: the TOML sources file (sites, their feeds and sitemaps, province, rate).
- `listings`: sitemaps, sitemap indexes, RSS and Atom feeds → addresses with their dates.
- `article`: a page's HTML → the article (trafilatura): text, headline, date, byline, address.
- `run`: the crawl itself, one transaction per page, and `ingest_articles --reextract`.
"""
