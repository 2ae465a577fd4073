"""summbot's prompt templates, shipped inside the wheel as ``summbot.prompts``.

The templates are the plain-text files in this folder; ``summbot.prompts_loader`` reads them
through ``importlib.resources`` and lets a user override any one of them.
"""
