import pytest

from api.core.config import ApiSettings
from buocmoi.settings import SettingsError, load_settings
from tests.cli import run_cli


def test_defaults_are_sqlite_under_var_and_can_tho(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "BUOCMOI_PROVINCE", "BUOCMOI_HOST", "BUOCMOI_PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(ApiSettings)
    assert settings.database_url == "sqlite:///var/buocmoi.db"
    assert settings.is_sqlite
    assert (settings.province, settings.host, settings.port) == (92, "127.0.0.1", 8000)


def test_plain_postgresql_url_uses_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p%40ss@db:5432/bm")
    settings = load_settings(ApiSettings)
    assert settings.database_url.startswith("postgresql+psycopg://u:p%40ss@db:5432/bm")
    assert not settings.is_sqlite


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("DATABASE_URL", "not a url", "DATABASE_URL"),
        ("DATABASE_URL", "mysql://root@localhost/x", "only sqlite"),
        ("BUOCMOI_PORT", "eighty", "BUOCMOI_PORT"),
        ("BUOCMOI_PORT", "70000", "BUOCMOI_PORT"),
        ("BUOCMOI_PROVINCE", "94", "not an official province code"),
    ],
)
def test_bad_values_name_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, says: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as err:
        load_settings(ApiSettings)
    assert name in str(err.value)
    assert says in str(err.value)


def test_cli_refuses_bad_setting_with_clear_message() -> None:
    result = run_cli("db", "upgrade", env={"DATABASE_URL": "mysql://x"})
    assert result.returncode == 2
    assert "setting DATABASE_URL" in result.stderr
    result = run_cli("serve", env={"BUOCMOI_PORT": "-1"})
    assert result.returncode == 2
    assert "setting BUOCMOI_PORT" in result.stderr
