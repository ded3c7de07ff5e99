import pytest

from redaktion import cli


def test_cli_maps_verbs_to_commands_and_passes_the_rest(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: calls.append(argv)
    )
    cli.main(["redaktion", "run", "127.0.0.1:9000"])
    cli.main(["redaktion", "worker", "--once"])
    cli.main(["redaktion", "rqworker", "default"])
    cli.main(["redaktion", "migrate", "--noinput"])
    assert calls == [
        ["redaktion", "runserver", "127.0.0.1:9000"],
        ["redaktion", "redaktion_worker", "--once"],
        ["redaktion", "redaktion_rqworker", "default"],
        ["redaktion", "migrate", "--noinput"],
    ]


def test_cli_rejects_unknown_commands(capsys):
    with pytest.raises(SystemExit):
        cli.main(["redaktion", "frobnicate"])
    assert "Unknown command: 'frobnicate'" in capsys.readouterr().err


def test_every_verb_names_a_command_that_exists():
    """The README's `redaktion <verb>` commands: each alias leads to a real command."""
    from django.core.management import get_commands

    from redaktion.cli import ALIASES

    commands = get_commands()
    assert {verb: name for verb, name in ALIASES.items() if name not in commands} == {}
    assert ALIASES["pipeline"] == "redaktion_pipeline"
