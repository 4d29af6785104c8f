"""Reading the TOML configuration: defaults, the token's sources, one clear error per key."""

import logging
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import TOKEN_ENV, ConfigError, find_config_path, load_config

TOKEN = "123456:SECRET-token-value-which-must-never-be-logged"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_is_valid_apart_from_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    config = load_config(Path("config.example.toml"))
    assert config.library.timezone.key == "Asia/Ho_Chi_Minh"
    assert config.telegram.base_url == "https://api.telegram.org/bot"
    assert config.database_path.name == "thuvien.db"


def test_defaults_fill_missing_keys(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, f'[telegram]\ntoken = "{TOKEN}"\n'))
    assert config.library.librarians == frozenset()
    assert config.database_path == tmp_path / "thuvien.db"


def test_token_comes_from_the_environment_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "999:FROM-ENV")
    config = load_config(write(tmp_path, '[telegram]\ntoken = "1:FROM-FILE"\n'))
    assert config.telegram.token.reveal() == "999:FROM-ENV"


def test_token_never_shows_in_repr(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, f'[telegram]\ntoken = "{TOKEN}"\n'))
    assert TOKEN not in repr(config)
    assert TOKEN not in str(config.telegram.token)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[telegram]\n", "telegram.token"),
        ('[telegram]\ntoken = "1:x"\nbase_url = "ftp://x"\n', "telegram.base_url"),
        ('[telegram]\ntoken = "1:x"\n[library]\ntimezone = "Mars/Olympus"\n', "library.timezone"),
        ('[telegram]\ntoken = "1:x"\n[library]\nlibrarians = ["cô Lan"]\n', "library.librarians"),
        ("[telegram]\ntoken = 5\n", "telegram.token"),
        ('telegram = "x"\n', "telegram"),
        ("[telegram\n", "--config"),
    ],
)
def test_a_wrong_key_is_named(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text))
    assert error.value.key == key
    assert key in str(error.value)


def test_config_path_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THUVIEN_CONFIG", raising=False)
    assert find_config_path(None) == Path("config.toml")
    monkeypatch.setenv("THUVIEN_CONFIG", str(tmp_path / "env.toml"))
    assert find_config_path(None) == tmp_path / "env.toml"
    assert find_config_path("cli.toml") == Path("cli.toml")


def test_cli_stops_with_one_line_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    path = write(tmp_path, "[telegram]\n")
    assert main(["run", "--config", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "telegram.token" in err[0]


def test_cli_accepts_config_after_the_subcommand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path, '[database]\npath = "lib.db"\n')
    with caplog.at_level(logging.INFO):
        assert main(["migrate", "--config", str(path)]) == 0
    assert (tmp_path / "lib.db").exists()
    assert "lib.db" in capsys.readouterr().out
