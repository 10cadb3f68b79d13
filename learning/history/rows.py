"""Checking one row of a history file: a ready ticket or the reason it is refused (in the user's language)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django_stubs_ext import StrOrPromise

from hotline.phones import phone_key
from learning.times import parse_local
from org.models import Area, Department
from tickets.models import Category, Ticket

MOBILE = re.compile(r"^1[3-9]\d{9}$")  # already in the stored form: no need to parse it
CONTENT_MAX = 20_000  # old systems keep long letters; the console's 4,000 is for new calls
# Words old systems use for our channels and kinds (beside our own codes and labels in Chinese and English).
SYNONYMS = {
    "电话": "phone", "热线": "phone", "12345": "phone", "网站": "web", "网络": "web", "网上": "web", "网页": "web",
    "信箱": "mailbox", "市长信箱": "mailbox", "微信": "wechat", "app": "app", "客户端": "app",
    "咨询": "consultation", "求助": "help", "投诉": "complaint", "举报": "report", "建议": "suggestion",
    "表扬": "praise", "感谢": "praise",
}  # fmt: skip
# Names of fields in a refusal, translated only when a row is refused (a million rows need no translation).
TIME_RECEIVED, REPLY_TIME = gettext_lazy("time received"), gettext_lazy("reply time")
CHANNEL, KIND = gettext_lazy("channel"), gettext_lazy("kind")
RATINGS = {"非常满意": 5, "满意": 4, "基本满意": 3, "不满意": 2, "非常不满意": 1}


class Refused(ValueError):
    pass


@dataclass
class Row:
    line: int
    external_id: str
    created_at: datetime
    channel: str
    kind: str
    content: str
    address: str
    category: str
    area: str
    lead_department: str
    caller_name: str
    caller_phone: str
    reply_text: str
    replied_at: datetime | None
    rating: int | None


_CHOICES: dict[str, dict[str, str]] = {}


def _choice(value: str, choices: type[TextChoices], default: str, what: StrOrPromise) -> str:
    value = value.strip()
    if not value:
        return default
    known = _CHOICES.get(choices.__name__)
    if known is None:  # codes, labels in Chinese and English, and the synonyms: built once per process
        known = {code: code for code in choices.values}
        for code, label in choices.choices:
            known[str(label).lower()] = code
            with override("zh-hans"):
                known[str(label)] = code
            with override("en"):
                known[str(label).lower()] = code
        known.update({word: code for word, code in SYNONYMS.items() if code in choices.values})
        _CHOICES[choices.__name__] = known
    found = known.get(value) or known.get(value.lower())
    if found is None:
        raise Refused(_("unknown %(what)s %(value)s") % {"what": what, "value": value})
    return found


def _time(value: str, what: StrOrPromise, zone: tzinfo) -> datetime:
    try:
        return parse_local(value, zone)  # the zone looked up once per chunk, not once per row
    except (ValueError, OverflowError) as error:
        raise Refused(_("%(what)s is not a time: %(value)s") % {"what": what, "value": value[:40]}) from error


def row_check(line: int, fields: dict[str, str], now: datetime | None = None, zone: tzinfo | None = None) -> Row:
    """Raises Refused with the reason; names of categories and departments are resolved later, in bulk. ``now`` and
    ``zone``: the time the import checks against and the centre's time zone, taken once per chunk by the importer."""
    now = now or timezone.now()
    zone = zone or timezone.get_current_timezone()
    external_id = fields.get("external_id", "").strip()
    if not external_id:
        raise Refused(_("no external id"))
    if len(external_id) > 64:
        raise Refused(_("external id longer than 64 characters"))
    created_at = _time(fields.get("created_at", ""), TIME_RECEIVED, zone)
    if created_at > now:
        raise Refused(_("time received is in the future"))
    title, content = fields.get("title", "").strip(), fields.get("content", "").strip()
    text = f"{title}\n{content}" if title and not content.startswith(title) else content
    if not text:
        raise Refused(_("no content"))
    if len(text) > CONTENT_MAX:
        raise Refused(_("content longer than %(max)s characters") % {"max": CONTENT_MAX})
    address = fields.get("address", "").strip()
    if len(address) > 300:
        raise Refused(_("address longer than 300 characters"))
    raw_phone = fields.get("caller_phone", "").strip()
    phone = raw_phone if MOBILE.match(raw_phone) else (phone_key(raw_phone) if raw_phone else "")
    if phone is None:
        raise Refused(_("not a phone number: %(value)s") % {"value": raw_phone[:30]})
    replied_raw = fields.get("replied_at", "").strip()
    replied_at = _time(replied_raw, REPLY_TIME, zone) if replied_raw else None
    if replied_at is not None and replied_at < created_at:
        raise Refused(_("reply time before the time received"))
    return Row(
        line=line,
        external_id=external_id,
        created_at=created_at,
        channel=_choice(fields.get("channel", ""), Ticket.Channel, Ticket.Channel.PHONE, CHANNEL),
        kind=_choice(fields.get("kind", ""), Ticket.Kind, Ticket.Kind.COMPLAINT, KIND),
        content=text,
        address=address,
        category=fields.get("category", "").strip(),
        area=fields.get("area", "").strip(),
        lead_department=fields.get("lead_department", "").strip(),
        caller_name=fields.get("caller_name", "").strip()[:100],
        caller_phone=phone,
        reply_text=fields.get("reply_text", "").strip(),
        replied_at=replied_at,
        rating=_rating(fields.get("rating", "")),
    )


def _rating(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if value in RATINGS:
        return RATINGS[value]
    if value.isascii() and value.isdigit() and 1 <= int(value) <= 5:
        return int(value)
    raise Refused(_("rating must be 1–5 or 非常满意…非常不满意: %(value)s") % {"value": value[:20]})


class Names:
    """Categories and departments by name or path (城乡建设/市政设施 or 城乡建设 › 市政设施), looked up once each."""

    def __init__(self, *, create_missing: bool) -> None:
        self.create_missing = create_missing
        self.created: list[str] = []
        self.categories: dict[str, int | None] = {}
        self.departments: dict[str, int | None] = {}
        self.areas: dict[str, int | None] = {}
        self._category_names: dict[str, list[Category]] | None = None

    def category(self, text: str) -> int | None:
        if not text:
            return None
        if text not in self.categories:
            self.categories[text] = self._category(text)
        found = self.categories[text]
        if found is None:
            raise Refused(_("unknown category %(name)s") % {"name": text})
        return found

    def _category(self, text: str) -> int | None:
        parts = [p.strip() for p in text.replace("›", "/").replace(">", "/").split("/") if p.strip()]
        if self._category_names is None:
            self._category_names = {}
            for node in Category.objects.all():
                self._category_names.setdefault(node.name, []).append(node)
        candidates = [c for c in self._category_names.get(parts[-1], []) if _path_matches(c, parts)]
        if len(candidates) == 1:
            return candidates[0].pk
        if len(candidates) > 1:
            raise Refused(_("category %(name)s is ambiguous: write its path") % {"name": text})
        if not self.create_missing:
            return None
        node = None
        for depth, name in enumerate(parts, start=1):
            existing = [c for c in self._category_names.get(name, []) if _path_matches(c, parts[:depth])]
            if existing:
                node = existing[0]
                continue
            code = f"imported-{_digest('/'.join(parts[:depth]))}"
            node = Category.add_root(name=name, code=code) if node is None else node.add_child(name=name, code=code)
            self._category_names.setdefault(name, []).append(node)
            self.created.append(_("category %(name)s") % {"name": "/".join(parts[:depth])})
        return node.pk if node else None

    def department(self, text: str, kind: str) -> int | None:
        if not text:
            return None
        if text not in self.departments:
            matches = list(Department.objects.filter(name=text).values_list("pk", flat=True)[:2])
            if len(matches) > 1:
                raise Refused(_("department %(name)s is ambiguous") % {"name": text})
            if not matches and self.create_missing:
                root = Department.objects.filter(depth=1).order_by("path").first()
                code = f"imported-d-{_digest(text)}"
                created = (
                    root.add_child(name=text, code=code, kind=kind)
                    if root
                    else Department.add_root(name=text, code=code, kind=kind)
                )
                self.created.append(_("department %(name)s") % {"name": text})
                matches = [created.pk]
            self.departments[text] = matches[0] if matches else None
        found = self.departments[text]
        if found is None:
            raise Refused(_("unknown department %(name)s") % {"name": text})
        return found

    def area(self, text: str) -> int | None:
        """A place (org.Area: 区/县, 街道/乡镇, 社区/村) by its name; created as a district with --create-missing."""
        if not text:
            return None
        if text not in self.areas:
            # An old system often names the district by its government (江南区人民政府): the place is 江南区.
            names = {text, text.removesuffix("人民政府")}
            matches = list(Area.objects.filter(name__in=names).values_list("pk", flat=True)[:2])
            if len(matches) > 1:
                raise Refused(_("area %(name)s is ambiguous") % {"name": text})
            if not matches and self.create_missing:
                created = Area.add_root(name=text, code=f"imported-a-{_digest(text)}", kind=Area.Kind.DISTRICT)
                self.created.append(_("area %(name)s") % {"name": text})
                matches = [created.pk]
            self.areas[text] = matches[0] if matches else None
        found = self.areas[text]
        if found is None:
            raise Refused(_("unknown area %(name)s") % {"name": text})
        return found


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


def _path_matches(category: Category, parts: list[str]) -> bool:
    """A name alone matches anywhere; a path must match the category's ancestors, nearest first."""
    if len(parts) == 1:
        return True
    names = [a.name for a in category.get_ancestors()] + [category.name]
    return names[-len(parts) :] == parts
