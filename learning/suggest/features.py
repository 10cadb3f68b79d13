"""What the suggestion model reads in a ticket: jieba's words of the title and content, and character n-grams.

Chinese has no spaces, and a centre's texts carry masked names, numbers and boiler plate (您好, 请相关部门…). Words
from jieba carry the meaning (噪音, 施工, 医保); character bigrams and trigrams catch what jieba's dictionary splits
badly (new place names, typos); the title, when there is one, says the problem in a few words and weighs extra.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import rjieba
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils._sparse import _align_api_if_sparse

SPACES = re.compile(r"\s+")
NOT_A_WORD = re.compile(r"^[\W_\d]+$|^[a-z]?\d+[a-z\d]*$", re.IGNORECASE)
# Masked names and numbers are noise, not signal: A市, A5区, user ids, dates and phone numbers.
MASKS = re.compile(r"[A-Z]\d{4,}|\d+")
# Bounded vocabularies keep the weights small (labels × features) and a suggestion fast, whatever the history's size.
MAX_WORDS = 60_000
MAX_CHARS = 60_000
MAX_TITLE_WORDS = 15_000
# A long letter says what it is about in its first paragraphs; reading only those keeps the slowest suggestions fast.
CONTENT_READ = 1200


def clean(text: str) -> str:
    return SPACES.sub(" ", MASKS.sub("0", text or "")).strip()


def words(text: str) -> list[str]:
    """jieba's dictionary words (without its HMM guesses at unknown words: faster, and character n-grams cover them),
    cut by jieba-rs (rjieba): the same words as ``jieba.cut(text, HMM=False)`` from the same dictionary, in a
    twentieth of the time, which was half of training and most of a suggestion."""
    return [w for w in rjieba.cut(text, False) if _a_word(w)]


@lru_cache(maxsize=200_000)
def _a_word(word: str) -> bool:
    """Whether a piece jieba cut is a word to learn from: asked once per distinct piece (a few ten thousand in ten
    thousand tickets) rather than for each of the millions it cuts."""
    word = word.strip()
    return bool(word) and not NOT_A_WORD.match(word)


class Tfidf(TfidfVectorizer):
    """scikit-learn's TfidfVectorizer, giving the same matrices and vocabulary, counting faster: a document's terms
    are counted by ``Counter`` (in C) and only its distinct terms go through the vocabulary, and character n-grams
    are sliced by list comprehensions. Counting was three quarters of the features' time in training."""

    def _count_vocab(self, raw_documents: Iterable[str], fixed_vocab: bool) -> tuple[dict[str, int], Any]:
        known: Callable[[str], int | None]
        if fixed_vocab:
            vocabulary: dict[str, int] = self.vocabulary_
            known = vocabulary.get
        else:
            growing: defaultdict[str, int] = defaultdict()
            growing.default_factory = growing.__len__  # a new term takes the next column
            vocabulary, known = growing, growing.__getitem__
        analyze = self.build_analyzer()
        columns: list[int] = []
        values: list[int] = []
        indptr = [0]
        for doc in raw_documents:
            for term, count in Counter(analyze(doc)).items():  # first-seen order, as scikit-learn's loop
                column = known(term)
                if column is not None:
                    columns.append(column)
                    values.append(count)
            indptr.append(len(columns))
        vocabulary = dict(vocabulary)
        if not vocabulary:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        index = np.int64 if indptr[-1] > np.iinfo(np.int32).max else np.int32
        matrix = sparse.csr_array(
            (np.asarray(values, dtype=np.intc), np.asarray(columns, dtype=index), np.asarray(indptr, dtype=index)),
            shape=(len(indptr) - 1, len(vocabulary)),
            dtype=self.dtype,
        )
        matrix.sort_indices()
        return vocabulary, _align_api_if_sparse(matrix)

    def _char_ngrams(self, text_document: str) -> list[str]:
        text = self._white_spaces.sub(" ", text_document)
        size = len(text)
        low, high = self.ngram_range
        ngrams: list[str] = []
        for n in range(low, min(high, size) + 1):
            if n == 1:
                ngrams += text
            else:
                ngrams += [text[i : i + n] for i in range(size - n + 1)]
        return ngrams


@lru_cache(maxsize=64)
def _words_of_one(text: str) -> tuple[str, ...]:
    """A suggestion asks the category model and the department model about the same text: jieba cuts it once."""
    return tuple(words(text))


def _split(doc: str) -> list[str]:
    return doc.split(" ") if doc else []


class TicketText(BaseEstimator, TransformerMixin):
    """(title, content[, area]) → one sparse row of word, character, title and area features, each block TF-IDF
    weighted. The area (an id or a name) is one token: the lead department of a problem depends on where it is."""

    def __init__(
        self,
        word_ngrams: int = 2,
        char_ngrams: int = 3,
        title_weight: float = 1.0,
        area_weight: float = 1.0,
    ):
        self.area_weight = area_weight
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.title_weight = title_weight

    def _docs(self, samples: Iterable[Sequence[str]], cut: Callable[[str], Sequence[str]] = words) -> list[list[str]]:
        word_docs, char_docs, title_docs, area_docs = [], [], [], []
        for sample in samples:
            title, content = clean(sample[0]), clean(sample[1])[:CONTENT_READ]
            title_words = list(cut(title))
            word_docs.append(" ".join(title_words + list(cut(content))))
            char_docs.append(f"{title} {content}")
            title_docs.append(" ".join(title_words))
            area = str(sample[2]).strip() if len(sample) > 2 and sample[2] else ""
            area_docs.append(f"area:{area.replace(' ', '_')}" if area else "")
        return [word_docs, char_docs, title_docs, area_docs]

    def _vectorizers(self) -> list[TfidfVectorizer]:
        common: dict[str, Any] = {"sublinear_tf": True, "dtype": np.float32}
        split: dict[str, Any] = {"tokenizer": _split, "token_pattern": None, "lowercase": False}
        return [
            Tfidf(ngram_range=(1, self.word_ngrams), max_features=MAX_WORDS, **split, **common),
            Tfidf(analyzer="char", ngram_range=(1, self.char_ngrams), min_df=2, max_features=MAX_CHARS, **common),
            Tfidf(max_features=MAX_TITLE_WORDS, **split, **common),
            Tfidf(**split, **common),
        ]

    def fit(self, samples: Sequence[Sequence[str]], y: Any = None) -> TicketText:
        self.fit_transform(samples)
        return self

    def fit_transform(self, samples: Sequence[Sequence[str]], y: Any = None, **fit_params: Any) -> sparse.csr_matrix:
        docs = self._docs(samples)
        self.vectorizers_: list[TfidfVectorizer | None] = []
        blocks = []
        for vectorizer, block_docs in zip(self._vectorizers(), docs, strict=True):
            if not any(block_docs):  # no titles or no areas at all: nothing to learn from that block
                self.vectorizers_.append(None)
                continue
            blocks.append(vectorizer.fit_transform(block_docs))
            self.vectorizers_.append(vectorizer)
        return self._stack(blocks)

    def transform(self, samples: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        docs = self._docs(samples)
        blocks = [v.transform(d) for v, d in zip(self.vectorizers_, docs, strict=True) if v is not None]
        return self._stack(blocks)

    def transform_one(self, sample: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """One ticket's non-zero features as (columns, values): the row ``transform`` gives, computed directly from
        the vocabularies and IDF weights (sublinear TF, L2 norm per block), without scikit-learn's per-call checks
        and sparse matrices, which cost more than the arithmetic for a single suggestion in the console."""
        analyzers = self.__dict__.get("_analyzers")
        if analyzers is None:
            analyzers = [v.build_analyzer() if v is not None else None for v in self.vectorizers_]
            self.__dict__["_analyzers"] = analyzers
        columns, values = [], []
        offset = 0
        weights = [1.0, 1.0, self.title_weight, self.area_weight]
        docs = self._docs([sample], cut=_words_of_one)
        for vectorizer, analyze, block, weight in zip(self.vectorizers_, analyzers, docs, weights, strict=True):
            if vectorizer is None or analyze is None:
                continue
            vocabulary = vectorizer.vocabulary_
            known = [(vocabulary[t], c) for t, c in Counter(analyze(block[0])).items() if t in vocabulary]
            if known:
                index = np.fromiter((i for i, _c in known), dtype=np.intp, count=len(known))
                tf = 1.0 + np.log(np.fromiter((c for _i, c in known), dtype=np.float64, count=len(known)))
                scaled = tf * vectorizer.idf_[index]
                columns.append(index + offset)
                values.append(scaled * (weight / np.sqrt(scaled @ scaled)))
            offset += len(vocabulary)
        if not columns:
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        return np.concatenate(columns), np.concatenate(values)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_analyzers", None)  # rebuilt on first use: not part of the stored model
        return state

    def _stack(self, blocks: list[sparse.csr_matrix]) -> sparse.csr_matrix:
        weights = [1.0, 1.0, self.title_weight, self.area_weight]
        kept = [w for v, w in zip(self.vectorizers_, weights, strict=True) if v is not None]
        return sparse.hstack([b * w for b, w in zip(blocks, kept, strict=True)], format="csr")
