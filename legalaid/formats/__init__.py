"""Date formats of every language (FORMAT_MODULE_PATH): one way a date is written, 2026-12-02.

Pages write dates through the `local_date` / `local_time` filters (core.display). What Django formats by
itself — the admin's lists and read-only fields, a date printed without a filter — uses these, so it
reads the same: 2026-12-02 and 2026-12-02 00:30, never 2026年12月2日 or Dec. 2, 2026. Date inputs show
and accept 2026-12-02 first. Printed documents write 2026年12月2日 with an explicit format.
"""
