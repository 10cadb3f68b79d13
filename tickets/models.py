"""Ticket data. The life cycle (Ticket, TicketEvent, Deadline, …) is added by the life-cycle issue."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class Category(MP_Node):
    """What a request is about, as a tree: 城市管理 › 占道经营."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name
