"""The seminar page's logic: per-student sessions over the model, with no user interface.

Everything a page shows or does is a call into this package (presets, controls applied as
scenario overrides, stepping and rewinding a run, the per-round view, a person's seat,
injected events, role briefs, the baseline comparison, downloads); the page itself
(:mod:`negosim.seminar.page`) only lays it out. The package is tested without a browser.
"""
