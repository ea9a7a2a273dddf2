"""Signs that an email is hostile: orders aimed at OS1, money, look-alike senders, tricks.

An email can never command OS1 (its text is never routed to a skill), but the user
should still know when one tries: these checks say why, in a line each.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from os1.mail.html import link_domain, target_domain
from os1.mail.people import People
from os1.mail.store import MailRow

# Well-known senders people get imitated as (the domain each really writes from).
BRANDS: dict[str, str] = {
    "paypal": "paypal.com", "apple": "apple.com", "icloud": "icloud.com",
    "google": "google.com", "gmail": "gmail.com", "microsoft": "microsoft.com",
    "outlook": "outlook.com", "amazon": "amazon.com", "netflix": "netflix.com",
    "facebook": "facebook.com", "instagram": "instagram.com", "linkedin": "linkedin.com",
    "dropbox": "dropbox.com", "docusign": "docusign.net", "chase": "chase.com",
    "wellsfargo": "wellsfargo.com", "bankofamerica": "bankofamerica.com",
    "dhl": "dhl.com", "fedex": "fedex.com", "ups": "ups.com", "irs": "irs.gov",
    "coinbase": "coinbase.com", "ebay": "ebay.com", "yahoo": "yahoo.com",
}  # fmt: skip
_ORDERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (why, re.compile(pattern, re.IGNORECASE))
    for why, pattern in (
        (
            "it tries to give orders to an AI",
            r"\b(ignore|disregard|forget|override)\b.{0,40}\b(previous|prior|above|earlier|all|"
            r"your|any)\b.{0,25}\b(instructions?|prompts?|rules|directives|guidelines)\b"
            r"|\b(you are|as) an? (AI|language model|LLM|chatbot)\b"
            r"|\b(AI|AI assistant|language model|LLM|chatbot|OS1|assistant)s? (reading|"
            r"processing|summari[sz]ing|parsing) (this|these)\b"
            r"|\b(dear|attention|hey|note to( the)?|message for( the)?)\s+(AI|assistant|bot|"
            r"language model|LLM|OS1)\b"
            r"|\b(system prompt|new instructions|developer mode|jailbreak)\b",
        ),
        (
            "it asks for mail to be forwarded",
            r"\b(forward|send|copy|bcc|export|upload)\b.{0,40}\b(all|every|entire|each)\b"
            r".{0,30}\b(e-?mails?|messages?|inbox|mail|correspondence|contacts|files|"
            r"documents|photos|passwords?)\b"
            r"|\bset up (a )?forwarding\b",
        ),
        (
            "it asks for files or mail to be deleted",
            r"\b(delete|erase|wipe|remove|destroy|format|rm -rf)\b.{0,30}\b(all|every|entire|"
            r"the user'?s?|his|her|their|your)\b.{0,30}\b(files?|folders?|documents|home|"
            r"hard drive|disk|e-?mails?|inbox|backups?|memor(y|ies)|photos|data)\b",
        ),
        (
            "it asks for private memories or secrets",
            r"\b(reveal|tell|share|send|list|dump|disclose|print|summari[sz]e|repeat)\b.{0,40}"
            r"\b(memor(y|ies)|what (he|she|they|the user) (has )?(told|said)|system prompt|"
            r"secrets?|passwords?|credentials|api keys?|private (notes|conversations|data))\b",
        ),
        (
            "it asks for money",
            r"\b(wire|transfer|send|pay|deposit)\b.{0,40}(\bmoney\b|\bfunds\b|[$€£]\s?\d[\d,.]*|"
            r"\b\d[\d,.]* ?(usd|eur|gbp|dollars|euros|pounds)\b|\bbitcoin\b|\bbtc\b|"
            r"\bcrypto|\bgift ?cards?\b|\bwestern union\b)"
            r"|\bgift ?cards?\b.{0,60}\b(buy|purchase|codes?|scratch)\b"
            r"|\b(bank|account|payment) (details|information|number)\b.{0,40}\b(changed|new|"
            r"updated)\b",
        ),
        (
            "it asks for settings to be changed",
            r"\b(change|update|disable|turn off|modify|reset)\b.{0,40}\b(settings?|"
            r"configuration|config|quiet hours|security|forwarding rules?|filters?|2fa|"
            r"two-factor|password)\b.{0,40}\b(now|immediately|for me|on (his|her|their) "
            r"behalf|without)\b",
        ),
        (
            "it asks to keep something from you",
            r"\b(don'?t|do not|never)\s+(tell|inform|mention|show|notify)\b.{0,30}\b(the user|"
            r"him|her|them|anyone|your owner)\b"
            r"|\bwithout (telling|informing|asking|notifying)\b.{0,20}\b(the user|him|her|them)\b",
        ),
        (
            "it asks you to confirm your password or account",
            r"\b(verify|confirm|update|validate|unlock|reactivate)\b.{0,30}\b(your )?(account|"
            r"password|identity|login|credentials|billing)\b.{0,60}\b(click|link|here|within|"
            r"suspend|locked|closed)",
        ),
    )
)
_RISKY = re.compile(
    r"\.(exe|scr|com|pif|bat|cmd|vbs|vbe|js|jse|jar|msi|msp|ps1|hta|lnk|reg|iso|img|"
    r"docm|xlsm|pptm|dotm|wsf|cpl|apk|dmg|app)$",
    re.IGNORECASE,
)
_SERVICE = (
    r"(\s+(support|security|service|services|team|account|accounts|billing|id|alerts?|"
    r"customer \w+|notifications?|help ?desk|payments?|verification))*"
)
_CONFUSABLE = str.maketrans(
    {
        "0": "o", "1": "l", "i": "l", "|": "l", "5": "s", "3": "e", "$": "s",
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s",
        "і": "l", "ј": "j", "ԁ": "d", "ɡ": "g", "ո": "n", "ν": "v", "ο": "o", "α": "a",
    }
)  # fmt: skip


_BRAND_DOMAINS = frozenset(BRANDS.values())


def orders_in(text: str) -> list[str]:
    """Why a text reads as orders or a scam, one reason per kind (with its words)."""
    found = []
    for why, pattern in _ORDERS:
        if match := pattern.search(text):
            words = " ".join(match.group(0).split())[:60]
            found.append(f"{why} (\u201c{words}\u201d)")
    return found


@functools.lru_cache(maxsize=4096)
def _skeleton(label: str) -> str:
    text = unicodedata.normalize("NFKC", label.lower()).translate(_CONFUSABLE)
    return text.replace("rn", "m").replace("vv", "w").replace("-", "")


@functools.lru_cache(maxsize=4096)
def _registered(domain: str) -> str:
    parts = domain.split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in ("co", "com", "org", "ac"):
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def _close(a: str, b: str) -> bool:
    """One edit apart (a typo-squatted name), for names long enough to matter."""
    if a == b or min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def imitated(domain: str, trusted: frozenset[str]) -> str:
    """The trusted domain `domain` imitates, or ''."""
    domain = domain.lower()
    if not domain or domain in trusted:
        return ""
    try:
        shown = domain.encode("ascii").decode("idna") if "xn--" in domain else domain
    except UnicodeError:
        shown = domain
    mine = _registered(shown)
    for real in trusted:
        theirs = _registered(real)
        if mine == theirs:
            return ""
        a, b = mine.split(".")[0], theirs.split(".")[0]
        same_name_elsewhere = a == b and real in _BRAND_DOMAINS  # paypal.co for paypal.com
        if same_name_elsewhere or (a != b and (_skeleton(a) == _skeleton(b) or _close(a, b))):
            return real
    tokens = set(re.split(r"[.-]", _skeleton(shown)))
    for brand, real in BRANDS.items():
        if len(brand) >= 4 and _skeleton(brand) in tokens and mine != _registered(real):
            return real
    return ""


def sender_tricks(row: MailRow, people: People) -> list[str]:
    """Ways the sender pretends to be someone else."""
    reasons: list[str] = []
    addr = row.sender.addr
    domain = addr.rsplit("@", 1)[-1] if "@" in addr else ""
    trusted = people.domains | _BRAND_DOMAINS
    if real := imitated(domain, trusted):
        reasons.append(f"it comes from {domain}, a look-alike of {real}")
    if any(ord(c) > 127 for c in domain) or "xn--" in domain:
        reasons.append(f"its address uses look-alike letters ({domain})")
    shown = re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", row.sender.name)
    if shown and shown[0].lower() != addr:
        reasons.append(f"its name shows {shown[0]} but it was sent from {addr}")
    person = people.match(row.sender)
    if person and person.addresses and addr not in person.addresses:
        known = {a.rsplit("@", 1)[-1] for a in person.addresses}
        if domain not in known:
            reasons.append(f"it uses {person.name}'s name but not their address ({addr})")
    for brand, real in BRANDS.items():
        pretends = re.fullmatch(rf"\W*{brand}\b{_SERVICE}\W*", row.sender.name, re.IGNORECASE)
        if pretends and not domain.endswith(_registered(real)):
            reasons.append(f"it calls itself {brand.title()} but writes from {domain}")
            break
    return reasons


def content_tricks(row: MailRow) -> list[str]:
    """Hidden orders, disguised links, programs sent as attachments, failed sender checks."""
    reasons = orders_in(f"{row.subject}\n{row.body}")
    hidden = row.hidden
    if hidden and (orders_in(hidden) or len(hidden) > 300):
        reasons.append("it hides text from you in its HTML, written for a machine to read")
    for text, href in row.links:
        shown, real = link_domain(text), target_domain(href)
        if shown and real and _registered(shown) != _registered(real):
            reasons.append(f"a link shows {shown} but leads to {real}")
            break
    for attachment in row.attachments:
        name = str(attachment.get("name", ""))
        if _RISKY.search(name):
            reasons.append(f"it carries a program or macro ({name}); I will never open it")
            break
    if any(p.startswith("its parts are nested") for p in row.details.get("problems", [])):
        reasons.append("its parts are nested deeper than any mail program writes them")
    checks = row.headers.get("authentication-results", "").lower()
    if re.search(r"\b(dmarc|spf|dkim)=fail\b", checks):
        reasons.append("its sender failed the mail servers' identity checks")
    return reasons
