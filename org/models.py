"""Departments, people with roles, the working-day calendar and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from treebeard.mp_tree import MP_Node


class Department(MP_Node):
    """A unit in the tree: the centre, a district, a city department, a town or street, a community…

    A user's scope is the subtree below their department (a path prefix, so one indexed range scan).
    """

    class Kind(models.TextChoices):
        CITY = "city", _("City government")
        CENTRE = "centre", _("Hotline centre")
        CITY_DEPARTMENT = "city_department", _("City department")
        DISTRICT = "district", _("District")
        DISTRICT_DEPARTMENT = "district_department", _("District department")
        TOWN = "town", _("Town or street")
        COMMUNITY = "community", _("Community or village")

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Area(MP_Node):
    """A place, not an office: 区/县 › 街道/乡镇 › 社区/村 (DESIGN.md section 2). Tickets and routing rules use it."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District or county")
        TOWN = "town", _("Street office or town")
        COMMUNITY = "community", _("Community or village")

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name


class Street(models.Model):
    """A road or a residential compound (道路/小区) and the area it lies in; one name may lie in several areas."""

    class Kind(models.TextChoices):
        ROAD = "road", _("Road")
        COMPOUND = "compound", _("Residential compound")

    name = models.CharField(_("name"), max_length=100, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ROAD)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="streets")

    class Meta:
        verbose_name = _("street or compound")
        verbose_name_plural = _("streets and compounds")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "area"], name="one_street_name_per_area")]

    def __str__(self) -> str:
        return f"{self.name} ({self.area})"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **fields: object) -> User:
        user = self.model(username=self.model.normalize_username(username), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **fields: object) -> User:
        fields.update(role=User.Role.ADMIN, is_superuser=True)
        return self.create_user(username, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]  # knox is untyped
    """A person who logs in. What they may see and do follows from ``role`` and ``department``."""

    class Role(models.TextChoices):
        OPERATOR = "operator", _("Operator")
        REVIEWER = "reviewer", _("Centre reviewer")
        HANDLER = "handler", _("Handler")
        HEAD = "head", _("Department head")
        SUPERVISOR = "supervisor", _("Supervisor")
        ADMIN = "admin", _("Administrator")

    CENTRE_ROLES = frozenset({Role.OPERATOR, Role.REVIEWER, Role.SUPERVISOR, Role.ADMIN})
    DEPARTMENT_ROLES = frozenset({Role.HANDLER, Role.HEAD})

    username = models.CharField(_("username"), max_length=150, unique=True, validators=[UnicodeUsernameValidator()])
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]  # createsuperuser asks for nothing more

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["handler", "head"]) | Q(department__isnull=False),
                name="department_role_has_department",
                violation_error_message=_("Handlers and department heads must belong to a department."),
            ),
            models.CheckConstraint(
                condition=Q(is_superuser=False) | Q(role="admin"),
                name="only_admins_are_superusers",
                violation_error_message=_("Only administrators may be superusers."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_staff(self) -> bool:
        """Only the admin role opens the Django admin."""
        return self.is_active and self.role == self.Role.ADMIN

    @property
    def sees_everything(self) -> bool:
        """Centre roles and supervisors see every department; handlers and heads see their subtree."""
        return self.role in self.CENTRE_ROLES


class CalendarYear(models.Model):
    """One year of the working-day calendar. Until the admin confirms it, deadlines in it are provisional."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), on_delete=models.PROTECT, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the plain rule (Monday–Friday work): a holiday, or an adjusted working day 调休."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (day off)")
        WORKDAY = "workday", _("Adjusted working day")

    year = models.ForeignKey(CalendarYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date__year=models.F("year_id")),
                name="calendar_day_in_its_year",
                violation_error_message=_("The date must lie in the calendar year it belongs to."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class AuditEntry(models.Model):
    """Append-only record of sensitive actions: permission changes, unmasked views, exports, calendar changes."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=50)
    target = models.CharField(_("target"), max_length=200)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target}"


class LoginThrottle(models.Model):
    """How many password checks an account has had in its lock period (org/auth.py).

    The count is taken with one conditional UPDATE before the password is checked, so however many attempts arrive at
    once, at most settings.AXES_FAILURE_LIMIT of them are evaluated per period.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="+")
    evaluations = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.evaluations}"


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox): only its SHA-512 digest is stored; it expires like a session (30 minutes idle,
    12 hours at most) and dies with the password it was issued under (the fingerprint Django uses for sessions)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="auth_token_set")  # the name knox uses
    password_fingerprint = models.CharField(max_length=128, default="")

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")


class ReferenceStamp(models.Model):
    """One row whose number changes, by a trigger in the same transaction, with every change to the tables that an
    intake reads and the admin edits (departments, areas, categories, routing rules, deadline policies, the calendar):
    what each process cached of them stays good while the number is the same (org/reference.py)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    stamp = models.BigIntegerField()

    class Meta:
        verbose_name = _("reference stamp")
        verbose_name_plural = _("reference stamps")

    def __str__(self) -> str:
        return str(self.stamp)
