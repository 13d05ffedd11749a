"""Helpers for the language tests: what a user reads on a page."""

from html.parser import HTMLParser

# Words of Flask-AppBuilder's screens that must not be left in English on an
# Indonesian page (compared with whole text pieces, so "OPD" or names do not match).
ENGLISH_UI_WORDS = {
    "Login", "Logout", "Sign In", "Username", "Password", "Search", "Add Filter",
    "Record Count", "Actions", "Add", "Edit", "Delete", "Show", "Back", "Save",
    "Cancel", "Security", "List Users", "List Roles", "Name", "Active", "True",
    "False", "None", "No records found", "User confirmation needed", "Detail",
    "Edit record", "Delete record", "Show record", "Add a new record", "Language",
    "Enter your login and password below", "Page size", "Order by",
    # ...and of our own screens.
    "Sign in", "Create an account", "Forgot your password?", "Send a message", "My messages",
    "Inbox", "Title", "Sent", "Sender", "Location", "Attachments", "Timeline", "Progress",
    "Resolution", "Forward", "Escalate", "Reject", "Send", "Internal note", "Staff only",
}


class _VisibleText(HTMLParser):
    """Text nodes and the attributes a user reads (title, placeholder, button value)."""

    def __init__(self):
        super().__init__()
        self.pieces = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("title", "placeholder", "alt", "aria-label", "data-placeholder"):
                self.pieces.append(value or "")
            if name == "value" and tag == "input" and ("type", "submit") in attrs:
                self.pieces.append(value or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.pieces.append(data.strip())


def visible_text(html):
    """Each piece of text a user sees on the page, stripped, trailing colons dropped."""
    parser = _VisibleText()
    parser.feed(html)
    return [piece.strip().rstrip(":").strip() for piece in parser.pieces if piece.strip()]


def english_leftovers(html):
    """The English UI words still visible on a page that should be Indonesian."""
    return sorted(set(visible_text(html)) & ENGLISH_UI_WORDS)
