"""`edubot probe`: walk a flow against the live portal, changing nothing there.

The login runs (its POST and the organisation choice); every other step is only resolved: the
fields a step would fill, the buttons it would press, the texts it waits for. A route on the
browser context (`guard`) aborts every request other than a GET outside the login, so a
mistake in the walk cannot save, upload or confirm anything. Modules import one way:
guard, candidates, sanitise ← capture ← resolve ← walk ← session ← report.
"""
