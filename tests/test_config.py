"""Configuration: read from the environment once, typed, and a bad value stops start-up
with the variable's name instead of a traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

import config
from app import create_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("name", "value"), [
    ("MAX_ATTACHMENT_SIZE", "abc"),
    ("MAX_CONTENT_LENGTH", "0"),
    ("MAIL_PORT", "25.5"),
    ("MAIL_USE_TLS", "maybe"),
    ("TRUST_PROXY", "-1"),
    ("TIMEZONE", "Mars/Olympus_Mons"),
    ("BASE_URL", "aspirasi.kaltimprov.go.id"),
    ("APP_ENV", "staging"),
])
def test_bad_value_stops_start_up_naming_the_variable(tmp_path, name, value):
    """Does a malformed setting stop the app with one line naming the variable?"""
    environ = {"INSTANCE_PATH": str(tmp_path), name: value}
    with pytest.raises(SystemExit) as stopped:
        create_app(environ=environ)
    message = str(stopped.value)
    assert name in message and value in message
    assert "\n" not in message


def test_command_line_start_up_names_the_bad_variable(tmp_path):
    """Does `flask aspirasi` started with a bad variable print its name and exit non-zero,
    without a traceback?"""
    environ = {"PATH": "/usr/bin:/bin", "INSTANCE_PATH": str(tmp_path),
               "MAX_ATTACHMENT_SIZE": "lima megabyte"}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "aspirasi", "--help"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode != 0
    assert "MAX_ATTACHMENT_SIZE must be a whole number" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_environment_values_arrive_typed(tmp_path):
    """Do numbers, switches and addresses from the environment become real settings?"""
    app = create_app(environ={
        "INSTANCE_PATH": str(tmp_path), "MAX_ATTACHMENT_SIZE": "1048576",
        "MAIL_USE_TLS": "yes", "MAIL_PORT": "587", "TRUST_PROXY": "1",
        "BASE_URL": "https://aspirasi.example.go.id/", "ADMIN_EMAIL": "kepala@example.test",
    })
    assert app.config["MAX_ATTACHMENT_SIZE"] == 1048576
    assert app.config["MAIL_USE_TLS"] is True and app.config["MAIL_PORT"] == 587
    assert app.config["BASE_URL"] == "https://aspirasi.example.go.id"
    assert app.config["ADMIN_EMAIL"] == "kepala@example.test"
    assert app.config["UPLOAD_FOLDER"] == str(tmp_path / "uploads")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'aspirasi.db'}"


def test_postgres_urls_use_psycopg_3(tmp_path):
    """Is a plain postgresql:// DATABASE_URL driven by psycopg 3?"""
    app = create_app(environ={"INSTANCE_PATH": str(tmp_path),
                              "DATABASE_URL": "postgres://aspirasi@db.internal/aspirasi"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://aspirasi@db.internal/aspirasi"
    )


def test_tests_ignore_the_developers_environment(monkeypatch):
    """Does the testing configuration ignore a developer's shell, even broken values?"""
    monkeypatch.setenv("MAIL_SERVER", "smtp.developer.example")
    monkeypatch.setenv("MAX_ATTACHMENT_SIZE", "abc")
    monkeypatch.setenv("APP_ENV", "production")
    app = create_app({"APP_ENV": "testing"})
    assert app.config["TESTING"] is True
    assert app.config["MAIL_SERVER"] is None
    assert app.config["MAX_ATTACHMENT_SIZE"] == config.Config.MAX_ATTACHMENT_SIZE


def test_dotenv_file_is_read_and_the_environment_wins(monkeypatch, tmp_path):
    """Does a `.env` file supply settings, with the process environment taking precedence?"""
    (tmp_path / ".env").write_text("MAIL_SERVER=smtp.from-dotenv.example\nMAIL_PORT=2525\n")
    monkeypatch.setattr(config, "BASE_DIR", tmp_path)
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    monkeypatch.setenv("MAIL_PORT", "465")
    found = config.from_environment(config.environment())
    assert found["MAIL_SERVER"] == "smtp.from-dotenv.example"
    assert found["MAIL_PORT"] == 465
