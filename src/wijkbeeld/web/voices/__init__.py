"""Voices in the web application (app label ``voices_web``): storage, import and pages."""
