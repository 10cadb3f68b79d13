"""The suggestion model on its own: one ticket asked alone scores as in a batch, and its words are jieba's."""

from __future__ import annotations

import jieba
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from learning.suggest.classifier import classifier_fit
from learning.suggest.features import NOT_A_WORD, TicketText, words

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


def test_the_faster_vectorizers_give_scikit_learns_vocabulary_and_matrices() -> None:
    """features.Tfidf counts its own way: the vocabulary, the matrix learnt and a matrix of new texts must be
    TfidfVectorizer's, for every block of features (words with bigrams, character n-grams, title words)."""
    features = TicketText()
    train = features._docs(SAMPLES * 2)
    test = features._docs([("", "公交车司机拒载，医院挂号难 2024年"), ("学校", "  幼儿园\t收费  ")])
    for ours, train_docs, test_docs in zip(features._vectorizers(), train, test, strict=False):
        if not any(train_docs):
            continue
        theirs = TfidfVectorizer(**ours.get_params())
        for fitted_ours, fitted_theirs in (
            (ours.fit_transform(train_docs), theirs.fit_transform(train_docs)),
            (ours.transform(test_docs), theirs.transform(test_docs)),
        ):
            assert type(fitted_ours) is type(fitted_theirs)
            assert np.array_equal(fitted_ours.indptr, fitted_theirs.indptr)
            assert np.array_equal(fitted_ours.indices, fitted_theirs.indices)
            assert np.allclose(fitted_ours.data, fitted_theirs.data)
        assert ours.vocabulary_ == theirs.vocabulary_ and np.array_equal(ours.idf_, theirs.idf_)
        assert ours.transform(train_docs).nnz > 0  # not a comparison of two empty matrices
