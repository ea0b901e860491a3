"""App: the chat page's logic (chat.py: turns, follow-ups, filters), its HTML and Markdown (render.py)
and the thumbs up/down it records (feedback.py). ``app.py`` at the project root only renders."""
