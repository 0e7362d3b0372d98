"""A database backend that starts an embedded PostgreSQL (pgserver) on first connection.

Used when DATABASE_URL is unset, so that a machine with no PostgreSQL server can still run
the portal and its tests. The data folder (settings.EMBEDDED_POSTGRES_DIR, git-ignored)
survives between runs and the server is left running to be reused by the next process.
"""
