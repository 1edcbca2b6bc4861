"""Briefing-dossier generator: a folder of news articles becomes a published dossier."""

__version__ = "0.1.0"
