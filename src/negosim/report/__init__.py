"""Self-contained HTML reports of a run, a sweep or a comparison (``negosim report``).

One file, images embedded, no network needed to open it; it prints to PDF from a browser.
Everything in it is read from the saved results (never by re-running the model).
"""
