"""Text a service stores is written in the site's language, whoever clicked.

A history row's reason, an ended assignment's reason, a spending entry's description, a mail sent in the
center's name: colleagues read them later, in the center's language (settings.LANGUAGE_CODE), and a clerk who
switched the interface to English must not leave English behind for them. So the service builds such text
under `site_language()`. What it tells the user who clicked (a ValidationError, a message) stays in that
user's language: only what is kept, or sent on, is written in the site's.

The site's language is the one a printed document is written in (core.issued), so this is that one.
"""

from __future__ import annotations

from .issued import document_language as site_language

__all__ = ["site_language"]
