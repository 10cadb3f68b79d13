"""Group tickets about the same problem at the same place within a sliding window (热点).

Two tickets are linked when they were created within ``window`` of each other, their words are alike (cosine of
TF-IDF over jieba's words, boiler plate such as 您好, 请求, 相关部门 weighed down by IDF and a stop list) and they
name the same place (a compound, street, building, school… found in the address or the text), or their words are
so alike that the place hardly matters. Groups are the connected parts of that graph, each kept only while its
members also resemble the group as a whole (no chain of loosely similar tickets becomes one hot spot).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import jieba
import jieba.analyse
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from learning.suggest.features import NOT_A_WORD, clean

PLACE_SUFFIXES = (
    "小区|花园|花苑|家园|公寓|大厦|广场|新村|新城|社区|村|路|大道|街|巷|镇|乡|中学|小学|幼儿园|学校|大学|学院|"
    "医院|市场|工地|楼盘|商场|酒店|宾馆|餐馆|饭店|公园|车站|桥|隧道|苑|湾|工业园|产业园|景区|湖|驾校"
)
# A place: 2–6 characters (Chinese, or a masked A1-style code) ending in one of the suffixes.
PLACE = re.compile(rf"([\u4e00-\u9fa5A-Za-z0-9]{{2,6}}(?:{PLACE_SUFFIXES}))")
# Leading words that are not part of a name (位于, 我们, 请问…) and masked city / district names that say little.
PLACE_NOISE = re.compile(
    r"^(?:位于|我们|我是|我家|我想|请问|关于|反映|投诉|举报|咨询|请求|建议|希望|要求|对于|对|在|的|和|与|是|从|到|把|给)+"
)
# Masked administrative areas (A市, A5区, K7县) and the province: two tickets naming different ones are not one place.
# A district or city written before the place (江南区滨江花园 is 滨江花园), kept when too little would remain.
DISTRICT_PREFIX = re.compile(r"^.{1,4}?[市区县](?=.{3,})")
AREA = re.compile(r"[A-Z]\d{0,2}[市区县]|西地省")
GENERIC_PLACES = frozenset(
    [
        "小区",
        "社区",
        "学校",
        "医院",
        "公司",
        "项目",
        "市场",
        "工地",
        "楼盘",
        "街道",
        "道路",
        "马路",
        "公路",
        "农村",
        "城市",
        "本村",
        "我村",
        "我们村",
        "该小区",
        "本小区",
        "我们小区",
        "我小区",
        "这个小区",
        "该公司",
        "本公司",
        "县城",
        "市区",
        "城区",
        "全市",
        "全省",
        "乡镇",
        "乡村",
        "公园",
        "车站",
        "政府",
        "所在小区",
        "整个小区",
        "附近小区",
        "周边小区",
        "的小区",
        "个小区",
        "一条路",
        "这条路",
        "条马路",
    ]
)
STOP_WORDS = frozenset(
    [
        "咨询",
        "建议",
        "请求",
        "关于",
        "长期",
        "存在",
        "您好",
        "你好",
        "尊敬",
        "领导",
        "书记",
        "市长",
        "请问",
        "请求",
        "希望",
        "谢谢",
        "感谢",
        "相关",
        "部门",
        "有关",
        "问题",
        "反映",
        "投诉",
        "举报",
        "情况",
        "现在",
        "目前",
        "我们",
        "你们",
        "他们",
        "自己",
        "一个",
        "这个",
        "那个",
        "什么",
        "怎么",
        "为什么",
        "没有",
        "已经",
        "还是",
        "就是",
        "但是",
        "因为",
        "所以",
        "如果",
        "可以",
        "能够",
        "进行",
        "处理",
        "解决",
        "要求",
        "政府",
        "市民",
        "居民",
        "业主",
        "一直",
        "非常",
        "严重",
        "尽快",
        "多次",
        "今年",
        "去年",
        "时间",
        "期间",
        "以来",
        "之后",
        "以后",
        "网友",
        "留言",
    ]
)


_IDF = jieba.analyse.default_tfidf


@dataclass(frozen=True)
class Message:
    id: str
    title: str
    content: str
    created_at: datetime
    address: str = ""
    caller: str = ""


@dataclass
class Group:
    members: list[Message]
    places: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return " ".join([*self.places[:1], *self.words[:3]])


def areas(text: str) -> set[str]:
    return {a for a in AREA.findall(text) if a != "西地省"}


def places(text: str) -> set[str]:
    found = set()
    # No place name runs across 的: matched whole, 社区旁边的工地 would be a place (its words 旁边, 的, 工地 then find
    # half the city's repeats), and 幸福小区的路灯 would hide 幸福小区 inside 幸福小区的路.
    for match in (m for part in text.split("的") for m in PLACE.findall(part)):
        name = DISTRICT_PREFIX.sub("", PLACE_NOISE.sub("", AREA.split(match)[-1]))
        if len(name) >= 3 and name not in GENERIC_PLACES:
            found.add(name)
    return found


def _meaningful(text: str) -> list[str]:
    """Search-mode words (烧烤店 → 烧烤, 烧烤店), so that two ways of saying it share their parts."""
    return [
        w
        for w in jieba.cut_for_search(text)
        if len(w.strip()) >= 2 and w not in STOP_WORDS and not NOT_A_WORD.match(w.strip())
    ]


def group(
    messages: Sequence[Message],
    *,
    window: timedelta = timedelta(days=60),
    similar: float = 0.20,
    very_similar: float = 0.50,
    coherence: float = 0.20,
) -> list[Group]:
    """Groups of two or more messages, largest first."""
    if len(messages) < 2:
        return []
    where = [places(clean(f"{m.address} {m.title} {m.content}")) for m in messages]
    docs = [
        " ".join(w for w in _meaningful(clean(f"{m.title} {m.title} {m.content}")) if not any(w in p for p in spots))
        for m, spots in zip(messages, where, strict=True)
    ]  # the problem's words: the place's own words (锦绣, 小区) say where, not what
    vectorizer = TfidfVectorizer(
        tokenizer=str.split, token_pattern=None, lowercase=False, sublinear_tf=True, use_idf=False, norm=None
    )
    counts = vectorizer.fit_transform(docs)
    terms = np.asarray(vectorizer.get_feature_names_out())
    # Weights from jieba's IDF of general Chinese, not from the window's few tickets: stable whatever the window holds.
    idf = np.array([_IDF.idf_freq.get(t, _IDF.median_idf) for t in terms])
    matrix = normalize(counts.multiply(idf).tocsr())
    order = sorted(range(len(messages)), key=lambda i: messages[i].created_at)
    parent = list(range(len(messages)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    districts = [areas(clean(f"{m.address} {m.title} {m.content}")) for m in messages]
    similarity = (matrix @ matrix.T).tocoo()
    keep = (similarity.row < similarity.col) & (similarity.data >= similar)
    area_of = {i: set(d) for i, d in enumerate(districts)}  # a group's districts, kept at its root
    for i, j, score in zip(similarity.row[keep], similarity.col[keep], similarity.data[keep], strict=True):
        if abs(messages[i].created_at - messages[j].created_at) > window:
            continue
        if not (score >= very_similar or where[i] & where[j]):
            continue
        a, b = root(int(i)), root(int(j))
        if a == b or (area_of[a] and area_of[b] and not area_of[a] & area_of[b]):
            continue  # the same words about two different districts: two problems, even through a third ticket
        parent[a] = b
        area_of[b] |= area_of[a]
    members: dict[int, list[int]] = defaultdict(list)
    for i in order:
        members[root(i)].append(i)
    groups = []
    for indexes in members.values():
        kept = _coherent(matrix, indexes, coherence)
        if len(kept) < 2:
            continue
        centroid = np.asarray(matrix[kept].mean(axis=0)).ravel()
        top_words: list[str] = []
        for k in np.argsort(-centroid)[:8]:
            word = str(terms[k])
            if centroid[k] > 0 and not any(word in w or w in word for w in top_words):
                top_words.append(word)  # 公积金, not also 公积 and 积金
        place_counts = Counter(p for k in kept for p in where[k])
        shared = [p for p, n in sorted(place_counts.items(), key=lambda pn: (-pn[1], len(pn[0]))) if n >= 2]
        groups.append(Group([messages[k] for k in kept], shared, top_words))
    groups.sort(key=lambda g: (-len(g.members), g.members[0].created_at))
    return groups


def _coherent(matrix: object, indexes: list[int], threshold: float) -> list[int]:
    """Drop members that do not resemble the group's centroid (the end of a chain), until all do."""
    kept = list(indexes)
    while len(kept) >= 2:
        block = matrix[kept]  # type: ignore[index]
        centroid = np.asarray(block.mean(axis=0)).ravel()
        norm = np.linalg.norm(centroid) or 1.0
        scores = np.asarray(block @ centroid).ravel() / norm
        worst = int(np.argmin(scores))
        if scores[worst] >= threshold:
            break
        kept.pop(worst)
    return kept
