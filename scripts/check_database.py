"""Exit 1 with one plain line when the database named by DATABASE_URL does not answer."""

import os
import sys
from urllib.parse import urlsplit

DEFAULT = "postgres://postgres@127.0.0.1:5432/psc_portal"


def main() -> int:
    url = os.environ.get("DATABASE_URL", DEFAULT)
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return 0
    import psycopg2

    try:
        # Connect to the maintenance database: the test run creates its own test database.
        psycopg2.connect(
            host=parts.hostname or "localhost",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg2.OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        sys.stderr.write(
            f"Cannot reach PostgreSQL at {parts.hostname}:{parts.port or 5432} ({reason}). "
            "Start it, or set DATABASE_URL to a reachable server.\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
