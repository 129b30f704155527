"""WSGI entry point."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkbrug.settings")
application = get_wsgi_application()


def _warm_matching() -> None:
    """Build every region's matching index now, so the first suggestion a user asks for does
    not pay for it (the index then follows the change journal; see matching/index.py)."""
    from django.db import connections

    from werkbrug.matching import index

    try:
        index.warm()
    except Exception:  # a database that is not migrated yet: build on first use instead
        logging.getLogger(__name__).warning("Matching index not built at start.", exc_info=True)
    finally:
        connections.close_all()


if os.environ.get("WERKBRUG_WARM_MATCHING", "1") == "1":
    _warm_matching()
