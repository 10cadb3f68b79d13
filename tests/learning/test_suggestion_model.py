"""The suggestion model on its own: one ticket asked alone scores as in a batch, and its words are jieba's."""

from __future__ import annotations

import jieba
import numpy as np

from learning.suggest.classifier import classifier_fit
from learning.suggest.features import NOT_A_WORD, words

TEXTS = {
    "交通运输": [
        "公交车晚点严重，等了一个小时",
        "地铁站早高峰拥挤不堪",
        "出租车司机拒载还绕路",
        "公交线路调整后不方便",
    ],
    "教育文体": ["学校乱收费补课费", "幼儿园入学难名额少", "体育馆周末不开放", "中考招生政策咨询"],
    "卫生计生": ["医院看病难挂号难", "医保报销太慢", "疫苗接种时间咨询", "社区诊所收费高"],
}
SAMPLES = [
    (f"标题{i}" if i % 2 else "", f"{text}（第{i}次反映）") for i, texts in enumerate(TEXTS.values()) for text in texts
]
LABELS = [label for label, texts in TEXTS.items() for _text in texts]


def test_one_ticket_asked_alone_gets_the_probabilities_of_a_batch() -> None:
    model = classifier_fit(SAMPLES * 3, LABELS * 3)
    asked = [("", "晚上公交车太少了，等车很久"), ("学校", "孩子学校收费不透明"), ("", "医院排队三小时")]
    batch = model.probabilities(asked)
    for i, sample in enumerate(asked):
        assert np.allclose(model.probabilities([sample])[0], batch[i], atol=1e-5)
    assert model.top(asked[0])[0][0] == "交通运输"


def test_the_words_are_jiebas_dictionary_words() -> None:
    text = "A市A5区望江路菜市场门口小贩占道经营，早晚高峰堵得走不动，希望城管来管一管"
    expected = [w for w in jieba.cut(text, HMM=False) if w.strip() and not NOT_A_WORD.match(w.strip())]
    assert words(text) == expected and "菜市场" in expected and "走不动" in expected
