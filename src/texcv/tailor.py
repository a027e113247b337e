"""Tailoring: one profile, several versions for different applications, chosen by tags.

`--only TAG` keeps the entries that carry one of the tags; `--skip TAG` drops the entries that carry
one. A section's (or subsection's) tags count as tags of every entry in it, and a section or
subsection left without entries is dropped. Letters are kept or dropped by their own tags, as entries
are. A tag that nothing in the profile has is an error.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from .errors import UserError, suggest


def select(profile: dict, only: Collection[str] = (), skip: Collection[str] = ()) -> dict:
    """The validated profile with the sections and entries the tags select (a new dict; the input is kept)."""
    if not only and not skip:
        return profile
    used = sorted(set(tags_in([*profile["sections"], *profile["letters"]])))
    # A tag found nowhere is a typo or a stale option: it would silently give a CV without it (or an empty one).
    unknown = [
        f"{option} {tag}: no section, entry or letter in {profile['source']} has this tag{suggest(tag, used)}"
        for option, tags in (("--only", only), ("--skip", skip))
        for tag in tags
        if tag not in used
    ]
    if unknown:
        raise UserError("\n".join(unknown))
    kept = (_select(section, set(only), set(skip), set()) for section in profile["sections"])
    letters = [letter for letter in profile["letters"] if _chosen(set(letter["tags"]), set(only), set(skip))]
    return {**profile, "sections": [section for section in kept if section is not None], "letters": letters}


def _chosen(tags: set[str], only: set[str], skip: set[str]) -> bool:
    return not tags & skip and (not only or bool(tags & only))


def tags_in(items: list) -> Iterator[str]:
    for item in items:
        yield from item["tags"]
        yield from tags_in(item.get("entries", []))


def _select(item: dict, only: set[str], skip: set[str], inherited: set[str]) -> dict | None:
    tags = inherited | set(item["tags"])
    if tags & skip:
        return None
    if "entries" not in item:  # an entry
        return item if _chosen(tags, only, skip) else None
    entries = (_select(entry, only, skip, tags) for entry in item["entries"])
    kept = [entry for entry in entries if entry is not None]
    return {**item, "entries": kept} if kept else None
