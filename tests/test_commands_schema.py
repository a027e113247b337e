"""`texcv schema`: the JSON Schema is derived from the validator's specs and agrees with it."""

from __future__ import annotations

import json
import textwrap

import jsonschema
import pytest
from helpers import PROFILES, cli

from texcv import loader, schema
from texcv.errors import ProfileError


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    document = schema.json_schema()
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document)


def texcv_accepts(text: str) -> bool:
    try:
        schema.validate(loader.parse(textwrap.dedent(text), "test.yaml"))
    except ProfileError:
        return False
    return True


def schema_accepts(validator: jsonschema.Draft202012Validator, text: str) -> bool:
    return validator.is_valid(loader.parse(textwrap.dedent(text), "test.yaml").data)


@pytest.mark.parametrize("profile", sorted(PROFILES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_profile_matches_the_schema(validator, profile):
    errors = [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in validator.iter_errors(loader.load(profile).data)
    ]
    assert not errors, "\n".join(errors)


VALID = {
    "minimal": "name: Ada Lovelace",
    "per-language text": """\
        languages: [zh, en]
        name: {given: {zh: 侃, en: Kan}, family: {zh: 吴, en: Wu}}
        headline: {zh: 博士生, en: PhD student}
        sections:
          - title: {zh: 教育, en: Education}
            entries:
              - {zh: 一条, en: a bullet}
              - title: {zh: 中山大学, en: Sun Yat-sen University}
                start: 2018-09
                end: present
        """,
    "every entry kind, tags and page hints": """\
        name: A B
        sections:
          - title: S
            tags: [academic]
            page_break: before
            entries:
              - {title: T, start: 2019-05-31, end: present, bullets: [x], keep_together: true}
              - {title: P, authors: [A, B], tags: [research, "数据"]}
              - {label: L, text: x}
              - {date: 2020, text: y}
              - {text: z}
              - {kind: bullet, text: w}
              - a bullet
              - {subsection: Sub, tags: [x], entries: [b]}
        """,
    "empty values count as left out": """\
        name: A B
        headline:
        sections:
          - title: S
            entries:
              - {title: T, end: , organization: }
        """,
    "nested design values": "name: A\ndesign: {margins: {top: 1cm}, font_size: 12, icons: false}",
    "a link with an icon": "name: A\ncontact: {links: [{label: Lab, url: 'https://lab.example.org', icon: flask}]}",
}

INVALID = {
    "unknown top-level key": "name: A\nheadlin: x",
    "a number for text": "name: A\nheadline: 42",
    "missing name": "headline: x",
    "unknown colour": "name: A\ndesign: {color: gren}",
    "font size as text": "name: A\ndesign: {font_size: '11'}",
    "a length without unit": "name: A\ndesign: {margins: '2'}",
    "bad email": "name: A\ncontact: {email: nobody}",
    "javascript URL": "name: A\ncontact: {homepage: 'javascript:alert(1)'}",
    "unknown social network": "name: A\nsocial: {myspace: x}",
    "a link icon per language": (
        "languages: [en, de]\nname: A\ncontact: {links: [{label: L, url: 'https://l.org', icon: {en: book, de: book}}]}"
    ),
    "a Font Awesome 6 icon": "name: A\ncontact: {links: [{label: X, url: 'https://x.org', icon: x-twitter}]}",
    "an entry of no kind": "name: A\nsections: [{title: S, entries: [{organization: O}]}]",
    "keys of two kinds": "name: A\nsections: [{title: S, entries: [{label: L, text: x, date: 2020}]}]",
    "a kind that contradicts the keys": (
        "name: A\nsections: [{title: S, entries: [{kind: experience, authors: [A], title: T}]}]"
    ),
    "unknown kind": "name: A\nsections: [{title: S, entries: [{kind: award, text: x}]}]",
    "nested subsections": (
        "name: A\nsections: [{title: S, entries: [{subsection: X, entries: [{subsection: Y, entries: [a]}]}]}]"
    ),
    "a section without entries": "name: A\nsections: [{title: S, entries: []}]",
    "a tag with a space": "name: A\nsections: [{title: S, tags: [two words], entries: [a]}]",
    "page break after": "name: A\nsections: [{title: S, entries: [{text: a, page_break: after}]}]",
    "keep_together as text": "name: A\nsections: [{title: S, entries: [{text: a, keep_together: 'yes'}]}]",
    "an empty required value": "name:",
    "an experience without title": "name: A\nsections: [{title: S, entries: [{kind: experience, organization: O}]}]",
}


@pytest.mark.parametrize("text", VALID.values(), ids=VALID.keys())
def test_valid_for_both(validator, text):
    assert texcv_accepts(text)
    assert schema_accepts(validator, text)


@pytest.mark.parametrize("text", INVALID.values(), ids=INVALID.keys())
def test_invalid_for_both(validator, text):
    assert not texcv_accepts(text)
    assert not schema_accepts(validator, text)


def test_schema_is_described_for_editors():
    document = schema.json_schema()
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["title"] == "texcv profile"
    design = document["$defs"]["design"]
    assert design["properties"]["color"]["default"] == "blue"
    assert "moderncv" in json.dumps(design["properties"]["engine"]) or design["properties"]["engine"]["description"]
    experience = document["$defs"]["experience_entry"]
    assert experience["title"] == "experience entry"
    assert experience["properties"]["keep_together"]["description"]
    assert "markdown" in document["$defs"]["line"]["description"]
    assert {
        "experience_entry",
        "publication_entry",
        "item_entry",
        "dated_entry",
        "bullet_entry",
        "text_entry",
        "subsection",
    } <= set(document["$defs"])


def test_command_prints_the_schema(capsys):
    status, out, err = cli(capsys, "schema")
    assert status == 0, err
    assert json.loads(out) == schema.json_schema()


def test_command_writes_a_file(capsys, tmp_path):
    target = tmp_path / "deep" / "texcv.schema.json"
    status, out, err = cli(capsys, "schema", "-o", target)
    assert status == 0, err
    assert out == ""
    assert json.loads(target.read_text(encoding="utf-8")) == schema.json_schema()
    assert f"wrote {target}" in err
