"""A ticket's words for the index are jieba's search-mode words exactly, though jieba-rs cuts most of them: a word
indexed differently from the way a query is cut would never be found."""

from __future__ import annotations

import jieba
import rjieba

from tickets.search.words import cut_for_search, document_words

TEXTS = [
    "",
    "   \t\n",
    "A3区含浦镇马路卫生很差，请问0731-88888888是哪个部门的电话？",
    "2019-04-08 08:37:20 反映：楚江新区规划面积1.86km2，GDP增长12.5%，C++和C#课程费用500元。",
    "买的T恤有问题，去医院做B超、拍X光，小区卡拉OK噪音扰民到凌晨2点",
    "网友“UU0081431”您好！来信收悉。现回复如下：1、关于职称问题。《关于印发<西地省深化中小学教师职称制度改革实施方案（试行）>的通知》",
    "中华人民共和国国家知识产权局办公室电话１３８１２３４５６７８，ＡＢＣ全角字母",
    "第一行\r\n第二行\r第三行\n\n 望江路12号滨江花园3栋2单元   物业不作为",
    "email: someone@example.com, http://www.example.gov.cn/a_b?c=d&e=f 更多说明",
    "长江大桥南京市长江大桥研究生命起源北京大学生前来应聘",
    "嗯嗯嗯啊啊哈哈哈哈，呃……？！",
]


def test_the_fast_cut_gives_jiebas_search_mode_words_in_jiebas_order() -> None:
    for text in TEXTS:
        assert cut_for_search(text) == list(jieba.cut_for_search(text)), text


def test_the_texts_cover_where_jieba_rs_alone_differs_from_jieba() -> None:
    """The check above would prove little if jieba-rs gave jieba's words for every one of these texts anyway."""
    differing = [t for t in TEXTS if rjieba.cut_for_search(t, True) != list(jieba.cut_for_search(t))]
    assert len(differing) >= 3


def test_a_ticket_is_indexed_by_its_content_and_address_words_once_each() -> None:
    words = document_words("小区物业不作为，物业电话0731-88888888", "望江路12号滨江花园")
    assert len(words) == len(set(words))
    assert {"物业", "0731", "88888888", "滨江", "花园"} <= set(words)
    assert "，" not in words and "-" not in words
