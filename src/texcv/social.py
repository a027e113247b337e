"""The social networks a profile can name — one table for validation, the LaTeX families, the
Markdown/text exports and JSON Resume: each network's name, its profile address built from a
username (and the username read back from an address), and for networks moderncv 2.3.1 has no
`\\social` type of its own, the fontawesome5 icon that stands for it. Also the names of every
fontawesome5 icon, which a website of the profile's own (contact.links) may choose from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

FEDIVERSE = "{host}/@{user}"  # Mastodon and its kin: the account is written @user@host


@dataclass(frozen=True)
class Network:
    label: str  # "LinkedIn"
    profile_url: str  # without the scheme; "{}" stands for the username; "" when no public page
    icon: str = ""  # a fontawesome5 command for a network moderncv has no symbol for; "" when it has one

    def address(self, username: str) -> str:
        """The profile page's address without its scheme ("" when the network has no public page)."""
        if self.profile_url == FEDIVERSE:
            user, _, host = username.removeprefix("@").partition("@")
            return FEDIVERSE.format(user=user, host=host)
        return self.profile_url.format(username) if self.profile_url else ""

    def username(self, address: str) -> str | None:
        """The username in a profile page's address (without scheme), if it is one of this network's."""
        if not self.profile_url:
            return None
        pattern = re.escape(self.profile_url.removeprefix("www.")).replace(r"\{\}", r"(?P<user>[^/?&#]+)")
        pattern = pattern.replace(r"\{host\}", r"(?P<host>[^/?&#@]+)").replace(r"\{user\}", r"(?P<user>[^/?&#@]+)")
        found = re.match(pattern + r"(?:[/?&#]|$)", address.removeprefix("www."))
        if found is None:
            return None
        return f"@{found['user']}@{found['host']}" if "host" in found.groupdict() else found["user"]


NETWORKS = {
    "linkedin": Network("LinkedIn", "www.linkedin.com/in/{}"),
    "xing": Network("XING", "www.xing.com/profile/{}"),
    "twitter": Network("Twitter", "twitter.com/{}"),
    "x": Network("X", "x.com/{}", r"\textbf{\upshape X}"),  # fontawesome5 predates X's logo
    "bluesky": Network("Bluesky", "bsky.app/profile/{}", r"\faCloud"),  # nor has it Bluesky's
    "mastodon": Network("Mastodon", FEDIVERSE, r"\faMastodon"),
    "instagram": Network("Instagram", "www.instagram.com/{}", r"\faInstagram"),
    "youtube": Network("YouTube", "www.youtube.com/@{}", r"\faYoutube"),
    "github": Network("GitHub", "github.com/{}"),
    "gitlab": Network("GitLab", "gitlab.com/{}"),
    "stackoverflow": Network("Stack Overflow", "stackoverflow.com/users/{}"),
    "bitbucket": Network("Bitbucket", "bitbucket.org/{}"),
    "skype": Network("Skype", ""),
    "orcid": Network("ORCID", "orcid.org/{}"),
    "researchgate": Network("ResearchGate", "www.researchgate.net/profile/{}"),
    "researcherid": Network("ResearcherID", "www.researcherid.com/rid/{}"),
    "telegram": Network("Telegram", "t.me/{}"),
    "whatsapp": Network("WhatsApp", "wa.me/{}"),
    "signal": Network("Signal", ""),
    "matrix": Network("Matrix", "matrix.to/#/{}"),
    "googlescholar": Network("Google Scholar", "scholar.google.com/citations?user={}"),
}


@lru_cache(maxsize=1)
def icon_names() -> frozenset[str]:
    """The names \\faIcon{name} of fontawesome5 takes ("gitlab", "book", "flask"): a table in the
    package, since validation runs without TeX too and Font Awesome 5 has had its last release."""
    text = files("texcv").joinpath("data/fontawesome5-icons.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))
