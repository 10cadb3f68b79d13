"""Demo data for ``make run``: a city hotline centre, two districts, departments, categories, a user per role.

Idempotent: running it again updates the same rows. Refused where settings.DEMO_DATA_ALLOWED is off (production).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from treebeard.mp_tree import MP_Node

from org.models import Area, Department, Street, User
from org.services import calendar_year_confirm, calendar_year_seed
from tickets import services
from tickets.models import Category, Ticket

DEMO_PASSWORD = "hotline-demo"  # noqa: S105 - the published demo password, refused in production
K = Department.Kind

# (code, name, kind, children)
DEPARTMENTS = (
    (
        "city",
        "江城市人民政府",
        K.CITY,
        (
            ("centre", "江城市12345政务服务便民热线中心", K.CENTRE, ()),
            (
                "cgj",
                "市城市管理局",
                K.CITY_DEPARTMENT,
                (("cgj-zfzd", "市城市管理综合执法支队", K.CITY_DEPARTMENT, ()),),
            ),
            ("zjj", "市住房和城乡建设局", K.CITY_DEPARTMENT, ()),
            ("sthjj", "市生态环境局", K.CITY_DEPARTMENT, ()),
            ("scjgj", "市市场监督管理局", K.CITY_DEPARTMENT, ()),
            ("jyj", "市教育局", K.CITY_DEPARTMENT, ()),
            (
                "jiangnan",
                "江南区人民政府",
                K.DISTRICT,
                (
                    ("jiangnan-cgj", "江南区城市管理局", K.DISTRICT_DEPARTMENT, ()),
                    ("jiangnan-zjj", "江南区住房和城乡建设局", K.DISTRICT_DEPARTMENT, ()),
                    ("jiangnan-scjgj", "江南区市场监督管理局", K.DISTRICT_DEPARTMENT, ()),
                    (
                        "jiangnan-binjiang",
                        "江南区滨江街道",
                        K.TOWN,
                        (("jiangnan-binjiang-hx", "滨江街道和谐社区", K.COMMUNITY, ()),),
                    ),
                    ("jiangnan-taoyuan", "江南区桃源镇", K.TOWN, ()),
                ),
            ),
            (
                "jiangbei",
                "江北区人民政府",
                K.DISTRICT,
                (
                    ("jiangbei-cgj", "江北区城市管理局", K.DISTRICT_DEPARTMENT, ()),
                    ("jiangbei-sthj", "江北区生态环境分局", K.DISTRICT_DEPARTMENT, ()),
                    ("jiangbei-jyj", "江北区教育局", K.DISTRICT_DEPARTMENT, ()),
                    ("jiangbei-wangjiang", "江北区望江街道", K.TOWN, ()),
                    ("jiangbei-liuwan", "江北区柳湾镇", K.TOWN, ()),
                ),
            ),
        ),
    ),
)

A = Area.Kind
# The places of the demo city (code, name, kind, children), separate from the offices above.
AREAS = (
    (
        "jn",
        "江南区",
        A.DISTRICT,
        (
            (
                "jn-bj",
                "滨江街道",
                A.TOWN,
                (("jn-bj-hx", "和谐社区", A.COMMUNITY, ()), ("jn-bj-bx", "滨兴社区", A.COMMUNITY, ())),
            ),
            ("jn-rm", "人民街道", A.TOWN, (("jn-rm-dh", "东湖社区", A.COMMUNITY, ()),)),
            ("jn-ty", "桃源镇", A.TOWN, (("jn-ty-ty", "桃源村", A.COMMUNITY, ()),)),
        ),
    ),
    (
        "jb",
        "江北区",
        A.DISTRICT,
        (
            ("jb-wj", "望江街道", A.TOWN, (("jb-wj-wj", "望江社区", A.COMMUNITY, ()),)),
            ("jb-lw", "柳湾镇", A.TOWN, (("jb-lw-lw", "柳湾村", A.COMMUNITY, ()),)),
        ),
    ),
)
# (street or compound name, kind, area code): 人民路 runs through both districts.
STREETS = (
    ("人民路", Street.Kind.ROAD, "jn-rm"),
    ("人民路", Street.Kind.ROAD, "jb-wj"),
    ("滨江路", Street.Kind.ROAD, "jn-bj"),
    ("中心街", Street.Kind.ROAD, "jn-ty"),
    ("望江路", Street.Kind.ROAD, "jb-wj"),
    ("柳湾大道", Street.Kind.ROAD, "jb-lw"),
    ("和谐家园", Street.Kind.COMPOUND, "jn-bj-hx"),
    ("东湖花园", Street.Kind.COMPOUND, "jn-rm-dh"),
    ("望江名苑", Street.Kind.COMPOUND, "jb-wj-wj"),
)

CATEGORIES = (
    (
        "cscg",
        "城市管理",
        (("zdjy", "占道经营"), ("zsrm", "噪音扰民"), ("hjws", "环境卫生"), ("wzdj", "违章搭建"), ("hwgg", "户外广告")),
    ),
    ("zfjs", "住房建设", (("wygl", "物业管理"), ("fwzl", "房屋质量"), ("rqgy", "燃气供应"), ("sgrm", "施工扰民"))),
    ("sthj", "生态环境", (("dqwr", "大气污染"), ("sswr", "水污染"), ("gyzs", "工业噪声"))),
    ("scjg", "市场监管", (("spaq", "食品安全"), ("jgts", "价格投诉"), ("xfwq", "消费维权"))),
    ("jy", "教育", (("zsrx", "招生入学"), ("xwpx", "校外培训"), ("xxsf", "学校收费"))),
)

# (username, full name, role, department code)
USERS = (
    ("operator", "王话务", User.Role.OPERATOR, "centre"),
    ("reviewer", "李审核", User.Role.REVIEWER, "centre"),
    ("handler", "张承办", User.Role.HANDLER, "cgj"),
    ("head", "赵局长", User.Role.HEAD, "cgj"),
    ("unit", "孙队员", User.Role.HANDLER, "cgj-zfzd"),  # a handler of the child unit the head sub-dispatches to
    ("supervisor", "陈督办", User.Role.SUPERVISOR, "city"),
    ("admin", "刘管理", User.Role.ADMIN, "centre"),
)


def _ensure_node(model: type[MP_Node], parent: MP_Node | None, code: str, **fields: Any) -> MP_Node:
    node = model.objects.filter(code=code).first()
    if node is None:
        create = {"code": code, **fields}
        if parent is None:
            return model.objects.add_root(create_kwargs=create)
        return model.objects.add_child(parent, create_kwargs=create)
    model.objects.filter(pk=node.pk).update(**fields)
    return node


def _ensure_departments(parent: Department | None, specs: tuple) -> None:
    for code, name, kind, children in specs:
        node = _ensure_node(Department, parent, code, name=name, kind=kind)
        _ensure_departments(node, children)


def _ensure_areas(parent: Area | None, specs: tuple) -> None:
    for code, name, kind, children in specs:
        node = _ensure_node(Area, parent, code, name=name, kind=kind)
        _ensure_areas(node, children)


def _ensure_streets() -> None:
    for name, kind, area in STREETS:
        Street.objects.update_or_create(name=name, area=Area.objects.get(code=area), defaults={"kind": kind})


# (category code, kind, address, content, caller phone, how far it gets)
SAMPLES = (
    (
        "zdjy",
        "complaint",
        "江南区滨江路 88 号",
        "小区门口每天傍晚有流动摊贩占道经营，影响通行。",
        "13812345678",
        "dispatched",
    ),
    (
        "zsrm",
        "complaint",
        "江北区望江路 12 号",
        "工地夜间施工噪音扰民，晚上十一点后仍在作业。",
        "13900001111",
        "in_progress",
    ),
    ("hjws", "help", "江南区桃源镇中心街", "垃圾桶满溢多日无人清运。", "13700002222", "replied"),
    ("wzdj", "report", "江北区柳湾镇", "有人在农田上违章搭建厂房。", "13600003333", "received"),
    ("zsrx", "consultation", "", "咨询小学新生入学需要准备哪些材料。", "13500004444", "answered"),
    ("wygl", "complaint", "江南区和谐社区 3 栋", "物业长期不维修电梯。", "13400005555", "awaiting_survey"),
)


ROUTES = (  # category code → lead department code (any area)
    ("zdjy", "cgj"),
    ("zsrm", "cgj"),
    ("hjws", "cgj"),
    ("wzdj", "cgj"),
    ("hwgg", "cgj"),
    ("wygl", "zjj"),
    ("fwzl", "zjj"),
    ("rqgy", "zjj"),
    ("sgrm", "zjj"),
    ("dqwr", "sthjj"),
    ("sswr", "sthjj"),
    ("gyzs", "sthjj"),
    ("spaq", "scjgj"),
    ("jgts", "scjgj"),
    ("xfwq", "scjgj"),
    ("zsrx", "jyj"),
    ("xwpx", "jyj"),
    ("xxsf", "jyj"),
)
AREA_ROUTES = (("zdjy", "jn", "jiangnan-cgj"), ("zdjy", "jb", "jiangbei-cgj"))
ARTICLES = (
    (
        "zsrx",
        "小学新生入学需要哪些材料",
        "户口簿、房产证明或租赁备案、儿童出生证明、预防接种证。具体以学区公告为准。",
        "入学 材料 报名",
    ),
    ("spaq", "如何投诉食品安全问题", "保留购物凭证和问题食品，拨打 12345 或到市场监管部门现场投诉。", "食品 投诉 凭证"),
    ("rqgy", "燃气停气如何查询", "停气通知在燃气公司网站和小区公告栏公布，抢修电话 24 小时值守。", "燃气 停气 抢修"),
)


def _routing_and_knowledge() -> None:
    """The 派单目录 and a few knowledge articles; kept as edited once they exist."""
    from tickets.models import KnowledgeArticle, RoutingRule

    for category, lead in ROUTES:
        RoutingRule.objects.get_or_create(
            category=Category.objects.get(code=category),
            area=None,
            defaults={"lead": Department.objects.get(code=lead)},
        )
    for category, area, lead in AREA_ROUTES:
        RoutingRule.objects.get_or_create(
            category=Category.objects.get(code=category),
            area=Area.objects.get(code=area),
            defaults={"lead": Department.objects.get(code=lead)},
        )
    for category, title, body, keywords in ARTICLES:
        KnowledgeArticle.objects.get_or_create(
            title=title, defaults={"body": body, "keywords": keywords, "category": Category.objects.get(code=category)}
        )


def _sample_tickets() -> None:
    """A handful of tickets at different stages, made through the same services as real ones."""
    users = {u.username: u for u in User.objects.all()}
    cgj = Department.objects.get(code="cgj")
    for category, kind, address, content, phone, stage in SAMPLES:
        ticket = services.ticket_receive(
            actor=users["operator"],
            channel="phone",
            kind=kind,
            content=content,
            address=address,
            category_id=Category.objects.get(code=category).pk,
            caller_name="市民",
            caller_phone=phone,
            confidential=kind == "report",
        )
        tid = ticket.pk
        if stage == "answered":
            services.ticket_answer(ticket_id=tid, actor=users["operator"], answer="已告知所需材料清单。")
        if stage in ("received", "answered"):
            continue
        services.ticket_dispatch(ticket_id=tid, actor=users["operator"], department_id=cgj.pk)
        if stage == "dispatched":
            continue
        services.ticket_sign(ticket_id=tid, actor=users["handler"])
        services.ticket_contact(ticket_id=tid, actor=users["handler"], channel="phone", note="已电话联系市民。")
        if stage == "in_progress":
            continue
        services.ticket_reply(ticket_id=tid, actor=users["handler"], outcome="solved", text="已现场处理完毕。")
        if stage == "awaiting_survey":
            services.ticket_approve_reply(ticket_id=tid, actor=users["reviewer"])


class Command(BaseCommand):
    help = "Load the demo city (departments, categories, one user per role). Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--without-tickets", action="store_true", help="only the city, categories and users")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is not allowed here (HOTLINE_ENV=production).")
        _ensure_departments(None, DEPARTMENTS)
        _ensure_areas(None, AREAS)
        _ensure_streets()
        for code, name, children in CATEGORIES:
            group = _ensure_node(Category, None, code, name=name)
            for child_code, child_name in children:
                _ensure_node(Category, group, child_code, name=child_name)
        for username, full_name, role, dept in USERS:
            user, _created = User.objects.update_or_create(
                username=username,
                defaults={
                    "full_name": full_name,
                    "role": role,
                    "department": Department.objects.get(code=dept),
                    "is_superuser": role == User.Role.ADMIN,
                    "is_active": True,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        this_year = timezone.localdate().year
        for year in (this_year, this_year + 1):
            calendar_year_seed(year=year)
        # The demo centre's admin has checked this year against the State Council notice; next year waits.
        calendar_year_confirm(year=this_year, actor=User.objects.get(username="admin"))
        _routing_and_knowledge()
        if not options["without_tickets"] and not Ticket.objects.exists():
            _sample_tickets()
        self.stdout.write(
            f"demo data: {Department.objects.count()} departments, {Area.objects.count()} areas, "
            f"{Category.objects.count()} categories, "
            f"{len(USERS)} users (password {DEMO_PASSWORD}), {Ticket.objects.count()} tickets"
        )
