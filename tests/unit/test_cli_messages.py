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


def test_a_moved_or_copied_home_keeps_its_event_log_in_itself(tmp_path, monkeypatch):
    """The home's dagster.yaml names its event log folder by absolute path: a copy (or a moved home)
    went on recording its data versions in the original's folder, so the two read each other's and
    one skipped work the other had done. The copy's file now names the copy's own folder; the rest of
    the file (an operator's edit too) is kept."""
    import shutil

    from assets.settings import Settings
    from pipelines.cli import _dagster_home
    from pipelines.event_log import event_log_dir

    monkeypatch.setenv("DAGSTER_HOME", "restored at teardown")
    monkeypatch.delenv("DAGSTER_HOME")
    original, copy = tmp_path / "build", tmp_path / "build-copy"
    _dagster_home(Settings.from_env({"INCLUSION_HOME": str(original)}))
    config = original / "dagster_home" / "dagster.yaml"
    assert event_log_dir(config.parent.resolve()) in config.read_text()
    config.write_text(config.read_text() + "compute_logs:\n  config:\n    base_dir: /var/logs/operator\n")
    shutil.copytree(original, copy)

    monkeypatch.delenv("DAGSTER_HOME")
    _dagster_home(Settings.from_env({"INCLUSION_HOME": str(copy)}))
    text = (copy / "dagster_home" / "dagster.yaml").read_text()
    assert event_log_dir((copy / "dagster_home").resolve()) in text
    assert event_log_dir(config.parent.resolve()) not in text
    assert text.endswith("compute_logs:\n  config:\n    base_dir: /var/logs/operator\n")  # the operator's edit kept
    assert text.replace(str(copy), str(original)) == config.read_text()
