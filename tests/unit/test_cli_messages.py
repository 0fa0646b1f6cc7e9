"""Every command meets a bad setting, a bad argument or an unwritable folder with one plain line and
exit code 2, never a traceback."""

from __future__ import annotations

import pytest

from pipelines.cli import main as cli_main

BAD_SETTINGS = [
    ("INCLUSION_HTTP_TIMEOUT", "abc"),
    ("INCLUSION_HTTP_TIMEOUT", "-5"),
    ("INCLUSION_HTTP_TIMEOUT", "nan"),
    ("INCLUSION_DUCKDB_MEMORY", "abc"),
    ("INCLUSION_RETENTION_DAYS", "-1"),
    ("INCLUSION_TARGET_VINTAGE", "abc"),
]
COMMANDS = [["refresh"], ["serve"], ["accept-shrink", "population"], ["records", "check", "."], ["sql"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(("name", "value"), BAD_SETTINGS, ids=lambda v: str(v))
def test_a_bad_setting_is_named_by_every_command(command, name, value, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no inclusion.env of the checkout's
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path / "home"))
    monkeypatch.setenv(name, value)
    assert cli_main(command) == 2
    err = capsys.readouterr().err
    assert f"{name} {value!r}" in err and "Traceback" not in err
    assert not (tmp_path / "home" / "work").exists()  # nothing started


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["serve", "--port", "99999"], "'99999' is not a port number from 0 to 65535"),
        (["serve", "--port", "-1"], "'-1' is not a port number from 0 to 65535"),
        (["serve", "--port", "eighty"], "'eighty' is not a port number from 0 to 65535"),
        # TEST-NET-1 (RFC 5737): an address no machine here has, refused without any name lookup
        (["serve", "--host", "192.0.2.1", "--port", "0"], "Cannot serve on 192.0.2.1:0: "),
    ],
)
def test_serve_refuses_an_address_it_cannot_use_in_plain_words(args, said, tmp_path, monkeypatch, capsys):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html></html>")
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path))
    try:
        code = cli_main(args)
    except SystemExit as exc:  # argparse's own refusal of an argument
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_records_help_is_the_records_commands_help(capsys):
    """The top-level help sends the reader to `inclusion records --help`: it must answer."""
    assert cli_main(["records", "--help"]) == 0
    out = capsys.readouterr().out
    assert "usage: inclusion records" in out and "template" in out and "check" in out


def test_records_template_into_a_folder_that_cannot_be_made(tmp_path, capsys):
    (tmp_path / "a_file").write_text("")
    assert cli_main(["records", "template", str(tmp_path / "a_file" / "out")]) == 2
    err = capsys.readouterr().err
    assert "Nothing written" in err and "Traceback" not in err
