"""`texcv validate`: the checks of `build` without typesetting, the same messages, exit 0 or 1."""

from __future__ import annotations

from helpers import LOCATED, PROFILES, cli


def test_valid_profiles_say_ok(capsys):
    profiles = sorted(PROFILES.glob("*.yaml"))
    status, out, err = cli(capsys, "validate", *profiles)
    assert status == 0, err
    assert err.splitlines() == [f"texcv: {p}: ok" for p in profiles]
    assert out == ""


def test_same_messages_as_build(capsys, bad, tmp_path):
    status, _, validate_err = cli(capsys, "validate", bad)
    assert status == 1
    _, _, build_err = cli(capsys, "build", bad, "-o", tmp_path)
    assert validate_err == build_err
    lines = validate_err.splitlines()
    assert len(lines) == 2 and all(LOCATED.match(line) for line in lines)
    assert not (tmp_path / "bad.pdf").exists()


def test_goes_on_after_an_invalid_profile(capsys, bad, mini):
    status, out, err = cli(capsys, "validate", bad, mini)
    assert status == 1
    assert f"texcv: {mini}: ok" in err and "2020-13" in err
    assert f"{bad}: ok" not in err


def test_missing_file_and_unknown_language(capsys, tmp_path):
    status, _, err = cli(capsys, "validate", tmp_path / "nope.yaml")
    assert status == 1 and "no such file" in err
    unknown = tmp_path / "xx.yaml"
    unknown.write_text("languages: [xx]\nname: A B\n", encoding="utf-8")
    status, _, err = cli(capsys, "validate", unknown)
    assert status == 1 and "no words for language 'xx'" in err


def test_quiet_prints_nothing_for_valid_profiles(capsys, mini):
    status, out, err = cli(capsys, "validate", "-q", mini)
    assert (status, out, err) == (0, "", "")
