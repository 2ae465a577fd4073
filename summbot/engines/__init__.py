"""Engines: what turns a prompt (or, offline, the article itself) into an answer.

``base.Engine`` is the one interface; ``openai`` talks to any OpenAI-compatible server,
``extractive`` works offline from the article's own sentences, and ``replay`` answers from
recorded exchanges. Engines are built by ``summbot.config.make_engine`` and passed into the core.
"""
