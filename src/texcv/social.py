"""The social networks a profile can name: moderncv 2.3.1's `\\social` types, each with the name
people write it by and the profile address moderncv builds from a username."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Network:
    label: str  # "LinkedIn"
    profile_url: str  # without the scheme; "{}" stands for the username; "" when no public page


NETWORKS = {
    "linkedin": Network("LinkedIn", "www.linkedin.com/in/{}"),
    "xing": Network("XING", "www.xing.com/profile/{}"),
    "twitter": Network("Twitter", "twitter.com/{}"),
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
