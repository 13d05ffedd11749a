"""Password rules: common passwords and simple patterns are refused, as are passwords
made of the person's own email or name, and every form says why."""

import pytest

from app.accounts.passwords import password_problem

from .factories import make_user
from .support.accounts import register

# Passwords the security probe had accepted, and a few more of the same kinds.
WEAK = ["password1234", "qwerty12345", "abcde12345", "1q2w3e4r5t6y", "iloveyou2024",
        "katasandi123", "Aspirasi2026"]


@pytest.mark.parametrize("password", WEAK)
def test_common_passwords_and_patterns_are_refused(app, password):
    """Is a password from the lists of common passwords, or a keyboard or number
    pattern, refused even though it is long enough?"""
    with app.test_request_context():
        assert password_problem(password) is not None


@pytest.mark.parametrize("password", ["Kaltim-rahasia-2026", "pesut mahakam berenang pagi",
                                      "Tepian-kota-1668"])
def test_long_unusual_passwords_of_any_composition_are_accepted(app, password):
    """Is a passphrase accepted whatever its characters (no composition rule)?"""
    with app.test_request_context():
        assert password_problem(password, email="siti@warga.example", name="Siti Rahma") is None


@pytest.mark.parametrize("password", ["siti.rahma@warga.example", "Siti.Rahma-2026!",
                                      "Rahmawati#Kuat-88", "xx-sitirahma-2026"])
def test_password_with_the_email_or_name_is_refused(app, password):
    """Is a password equal to the email, or containing its local part or the name, refused?"""
    with app.test_request_context():
        problem = password_problem(password, email="siti.rahma@warga.example",
                                   name="Siti Rahmawati")
    assert problem is not None and "nama" in problem


def test_registration_form_says_why_a_password_is_refused(app, client):
    """Does the sign-up form refuse password1234 and a password made of the email, saying why?"""
    weak = register(client, "budi@warga.example", password="password1234").get_data(as_text=True)
    assert "mudah ditebak" in weak
    mine = register(client, "budi.santoso@warga.example", name="Budi Santoso",
                    password="Budi.Santoso-2026").get_data(as_text=True)
    assert "email atau nama Anda" in mine


def test_password_change_refuses_the_own_name(app, client, auth):
    """Does changing one's password to one containing one's name fail with the reason,
    leaving the old password working?"""
    with app.app_context():
        make_user(email="ganti.sandi@example.test", name="Dewi Lestari")
    auth.login("ganti.sandi@example.test")
    page = client.post("/profile/password", data={
        "current_password": "Kaltim-rahasia-2026", "password": "Lestari-kuat-2026",
        "confirm": "Lestari-kuat-2026",
    }).get_data(as_text=True)
    assert "email atau nama Anda" in page
    again = app.test_client().post("/login/", data={"username": "ganti.sandi@example.test",
                                                    "password": "Kaltim-rahasia-2026"})
    assert again.status_code == 302
