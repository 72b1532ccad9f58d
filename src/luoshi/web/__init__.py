"""Web app (FastAPI + server-rendered Jinja2 pages, zh-CN). Built by a factory, never at import."""
