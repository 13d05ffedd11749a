"""Without MAIL_SERVER, email is printed to the console with its links."""


from .support.accounts import register


def test_without_mail_server_the_email_and_its_link_are_printed(app, client, capsys):
    """Can a developer without SMTP see the verification email and its link?"""
    assert not app.config["MAIL_SERVER"]
    register(client, "konsol@example.com")
    out = capsys.readouterr().out
    assert "EMAIL to konsol@example.com" in out
    assert "http://localhost/account/verify/" in out
