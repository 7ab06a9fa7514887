"""Configuration comes from the environment and fails loudly on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from navigator.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7#kq2-" * 10,
    "ALLOWED_HOSTS": "navigator.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/navigator",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "FIELD_ENCRYPTION_KEYS": "ODtnztgoW7p3Nqa14GKYLZB4TtyYqTvn6Up_hmYJ4lA=",
    "SITE_URL": "https://navigator.example.org",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    # A throwaway var/ so a demo-default check never touches the developer's files.
    clean.setdefault("NAVIGATOR_VAR_DIR", str(ROOT / "var" / "settings-test"))
    return subprocess.run(  # our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("Off", False), ("1", True)])
def test_booleans_are_read_strictly(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", default=not expected) is expected


@pytest.mark.parametrize(
    ("reader", "raw"),
    [
        (lambda: env_bool("SOME_FLAG", default=False), "maybe"),
        (lambda: env_int("SOME_FLAG", 5), "five"),
        (lambda: env_int("SOME_FLAG", 5, minimum=1), "0"),
    ],
)
def test_bad_values_stop_the_service(monkeypatch: pytest.MonkeyPatch, reader, raw: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        reader()


def test_required_values_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOME_FLAG", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be set"):
        env_str("SOME_FLAG")
    monkeypatch.setenv("SOME_FLAG", " a.example, b.example ,")
    assert env_list("SOME_FLAG", []) == ["a.example", "b.example"]


def test_production_settings_pass_the_deploy_check_without_warnings() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("site_url", "problem"),
    [
        ("https://navigator.example.org", None),
        ("https://navigator.example.org:8443/", None),
        ("http://127.0.0.1:8000", "SITE_URL (http://127.0.0.1:8000) is not https"),
        ("http://navigator.example.org", "SITE_URL (http://navigator.example.org) is not https"),
        ("https://localhost", "SITE_URL (https://localhost) names this machine"),
        ("https://[::1]:8000", "SITE_URL (https://[::1]:8000) names this machine"),
    ],
)
def test_site_url_must_be_where_people_and_partners_reach_navigator(
    site_url: str, problem: str | None
) -> None:
    from navigator.checks import site_url_problem

    assert site_url_problem(site_url) == problem


def test_the_deploy_check_warns_while_webhook_links_would_name_this_machine() -> None:
    # The default, http://127.0.0.1:8000, would send partners' systems to themselves.
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, "SITE_URL": ""}
    )
    assert result.returncode != 0
    assert "navigator.W001" in result.stderr + result.stdout
    assert "data.url" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "short"}, "at least 50 characters"),
        ({"SECRET_KEY": "demo-only-" + "x" * 50}, "at least 50 characters"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is not set"),
        ({"DATABASE_URL": ""}, "DATABASE_URL is not set"),
        ({"CELERY_BROKER_URL": ""}, "CELERY_BROKER_URL is not set"),
        ({"FIELD_ENCRYPTION_KEYS": ""}, "FIELD_ENCRYPTION_KEYS is not set"),
        (
            {"FIELD_ENCRYPTION_KEYS": "ZGVtby1vbmx5LWtleS1uZXZlci11c2UtaW4tcHJvZCE="},
            "FIELD_ENCRYPTION_KEYS holds the demo key",
        ),
        (
            {"FIELD_ENCRYPTION_KEYS": "ODtnztgoW7p3Nqa14GKYLZB4TtyYqTvn6Up_hmYJ4lA=,not-a-key"},
            "Key 2 of FIELD_ENCRYPTION_KEYS is not a Fernet key",
        ),
        ({"DEBUG": "perhaps"}, "DEBUG='perhaps' is not a boolean"),
    ],
)
def test_production_refuses_to_start_with_bad_configuration(
    override: dict[str, str], message: str
) -> None:
    result = run_manage("check", env={**PRODUCTION_ENV, **override})
    assert result.returncode != 0
    assert message in result.stderr


def test_a_bad_encryption_key_is_named_by_position_and_never_echoed() -> None:
    almost_a_key = "ODtnztgoW7p3Nqa14GKYLZB4TtyYqTvn6Up_hmYJ4l"  # two characters short
    result = run_manage("check", env={**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEYS": almost_a_key})
    assert result.returncode != 0
    assert "Key 1 of FIELD_ENCRYPTION_KEYS" in result.stderr
    assert almost_a_key not in result.stderr


def test_a_start_with_nothing_set_is_refused_and_says_what_is_missing() -> None:
    # A deployment that forgets DEBUG must not get tracebacks, a known key or SQLite.
    result = run_manage("check", env={"DEBUG": ""})
    assert result.returncode != 0
    for name in (
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "FIELD_ENCRYPTION_KEYS",
    ):
        assert f"{name} is not set" in result.stderr
    assert "DEBUG=true" in result.stderr


def test_the_demo_defaults_need_debug_on_explicitly() -> None:
    result = run_manage("check", env={"DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_compose_file_parses_and_names_the_services() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert services["db"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    # Every variable a production start requires is passed to the app's containers.
    for name in ("worker", "beat", "web"):
        assert set(PRODUCTION_ENV) <= set(services[name]["environment"]), name


def test_time_zone_is_london() -> None:
    from django.conf import settings

    assert settings.TIME_ZONE == "Europe/London"
    assert settings.USE_TZ


def test_a_new_encryption_key_can_be_made_before_the_settings_can_load() -> None:
    from cryptography.fernet import Fernet

    result = subprocess.run(
        [sys.executable, "-m", "navigator.keys"],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "")},  # nothing set: DEBUG off, no keys
        capture_output=True,
        text=True,
        check=True,
    )
    Fernet(result.stdout.strip().encode())  # a valid key
