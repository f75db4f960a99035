"""urgency: see DESIGN.md §4 (not built yet)."""

__all__: list[str] = []
