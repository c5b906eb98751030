"""Dates and numbers in Vietnamese form wherever CKAN formats them."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import pytest

WHEN = datetime.datetime(2026, 11, 26, 14, 5, 9)


def _in(app, lang: str):
    return app.flask_app.test_request_context("/", environ_overrides={"CKAN_LANG": lang})


@pytest.mark.usefixtures("with_plugins")
class TestVietnameseFormats:
    def test_dates_are_day_month_year(self, app) -> None:
        with _in(app, "vi"):
            assert tk.h.render_datetime(WHEN) == "26/11/2026"
            assert tk.h.render_datetime("2026-11-26T14:05:09") == "26/11/2026"
            assert tk.h.render_datetime(WHEN, with_hours=True) == "26/11/2026 14:05 (UTC)"
            assert tk.h.render_datetime(WHEN, with_seconds=True) == "26/11/2026 14:05:09 (UTC)"
            # an explicit format from a template still wins
            assert tk.h.render_datetime(WHEN, date_format="%Y-%m-%d") == "2026-11-26"
            assert tk.h.render_datetime(None) == ""

    def test_numbers_use_dot_thousands_and_comma_decimals(self, app) -> None:
        with _in(app, "vi"):
            assert tk.h.localised_number(1234.5) == "1.234,5"
            assert tk.h.localised_number(1234567) == "1.234.567"
            assert tk.h.localised_filesize(1536) == "1,5 KiB"

    def test_relative_times_are_vietnamese(self, app) -> None:
        with _in(app, "vi"):
            two_days_ago = datetime.datetime.utcnow() - datetime.timedelta(days=2, minutes=1)
            assert tk.h.time_ago_from_timestamp(two_days_ago.isoformat()) == "2 ngày trước"

    @pytest.mark.ckan_config("ckan.display_timezone", "Asia/Ho_Chi_Minh")
    def test_display_timezone_for_vietnam(self, app) -> None:
        with _in(app, "vi"):
            assert tk.h.render_datetime(WHEN, with_hours=True) == "26/11/2026 21:05 (+07)"

    def test_english_keeps_ckans_formats(self, app) -> None:
        with _in(app, "en"):
            assert tk.h.render_datetime(WHEN) == "November 26, 2026"
            assert tk.h.localised_number(1234.5) == "1,234.5"
