"""Helpers for the permission tables: every URL × every persona → expected status."""

from __future__ import annotations

from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

PERSONAS = ["anonymous", "admin", "director", "clerk", "reviewer", "finance", "handler", "staff_a", "staff_b",
            "outsider"]
TESTS_DIR = Path(__file__).resolve().parent


def expect(default: int, **overrides: int) -> dict[str, int]:
    """Expected status per persona: `default` for every logged-in persona with a role, anonymous → 302 (login),
    the outsider (logged in, no role, no station) → 403 unless the row says otherwise."""
    table = {p: default for p in PERSONAS}
    table["anonymous"] = 302
    table["outsider"] = 403
    table.update(overrides)
    return table


def check(client_for, method: str, url: str, expected: dict[str, int], data: dict | None = None, *,
          anonymous_to_login: bool = True) -> list[str]:
    """Return a list of mismatches, e.g. ['clerk: GET /x expected 403 got 200']."""
    problems = []
    for persona, status in expected.items():
        client = client_for(persona)
        response = getattr(client, method.lower())(url, data or {})
        if response.status_code != status:
            problems.append(f"{persona}: {method} {url} expected {status} got {response.status_code}")
        elif (anonymous_to_login and persona == "anonymous" and status == 302
              and "/accounts/login/" not in response["Location"]):
            problems.append(f"anonymous: {method} {url} redirected to {response['Location']}, not to login")
    return problems


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                if p.namespace == "admin":
                    continue
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns)
    return names


def names_in_permission_tables() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in TESTS_DIR.rglob("test_permissions*.py"))
