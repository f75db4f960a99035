"""The JSON API (``/api/``, django-ninja): areas, indicators, figures, profiles, hotspots and
urgency matrices with the same roles, municipality scoping and small-number rules as the pages.
See docs/api.md."""
