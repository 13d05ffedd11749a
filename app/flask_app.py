"""The app's Flask class: Flask, remembering which of its functions are plain `def`s.

Flask asks `ensure_sync` about every request hook, view and handler it calls, on every
request (about sixteen times for a page), and `inspect.iscoroutinefunction` unwraps
each function anew to answer. A function's answer never changes, so it is worked out
once per function (Flask documents `ensure_sync` as the method to override).
"""

from flask import Flask

# Functions remembered; a callable made anew for each request would otherwise pile up.
_REMEMBERED = 1024


class AspirasiFlask(Flask):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._plain = set()

    def ensure_sync(self, func):
        try:
            if func in self._plain:
                return func
        except TypeError:  # unhashable: asked anew each time
            return super().ensure_sync(func)
        synchronous = super().ensure_sync(func)
        if synchronous is func:  # an `async def` is wrapped anew each time, as by Flask
            if len(self._plain) >= _REMEMBERED:
                self._plain.clear()
            self._plain.add(func)
        return synchronous
