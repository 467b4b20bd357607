"""Ticket tagger: customer text of a conversation -> its primary tag.

TF-IDF of word 1-2 grams + one-vs-rest logistic regression (balanced class
weights). Trained on the kept conversations agents tagged; evaluated on a
stratified hold-out split; then refitted on every tagged conversation and
applied to the untagged ones.

Primary tag: the agent's first tag (lowest tag_position, then name). In
the data, topic tags (kyc, deposit, login, ...) come first and attribute
tags (vip, bug, complaint) follow them when both are present.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import train_test_split
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

from finstack.ml.sentiment import customer_messages

MACRO_AVG = "macro avg"
# The tag columns primary_tags() reads from stg_helpscout__conversation_tags.
TAG_COLUMNS = ["conversation_id", "tag_name", "tag_position"]
EVALUATION_COLUMNS = ["tag", "precision", "recall", "f1_score", "support", "is_average"]
PREDICTION_COLUMNS = [
    "conversation_id",
    "predicted_tag",
    "predicted_tag_probability",
    "has_customer_text",
]


def conversation_texts(threads: pd.DataFrame, conversations: pd.DataFrame) -> pd.Series:
    """Customer text of each kept conversation (its customer messages in
    time order, joined by newlines), indexed by conversation_id."""
    messages = customer_messages(threads, conversations)
    messages = messages.sort_values(["conversation_id", "created_at", "thread_id"])
    return messages.groupby("conversation_id")["text"].agg("\n".join)


def primary_tags(tags: pd.DataFrame, conversations: pd.DataFrame) -> pd.Series:
    """Primary tag of each tagged kept conversation, indexed by id."""
    kept = set(conversations["conversation_id"].astype(str))
    t = tags.assign(conversation_id=tags["conversation_id"].astype(str))
    t = t[t["conversation_id"].isin(kept) & t["tag_name"].notna()]
    t = t.sort_values(["conversation_id", "tag_position", "tag_name"])
    return t.groupby("conversation_id")["tag_name"].first()


def build_pipeline(random_state: int) -> Pipeline:
    return Pipeline(
        [
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
            (
                "clf",
                OneVsRestClassifier(
                    LogisticRegression(
                        class_weight="balanced", max_iter=1000, random_state=random_state
                    )
                ),
            ),
        ]
    )


def training_set(texts: pd.Series, labels: pd.Series, min_examples: int) -> pd.DataFrame:
    """Tagged conversations with customer text whose primary tag has at
    least ``min_examples`` such conversations (a stratified split needs
    several per class)."""
    df = pd.DataFrame({"text": texts}).join(labels.rename("tag"), how="inner")
    df = df[df["text"].str.strip() != ""]
    counts = df["tag"].value_counts()
    return df[df["tag"].isin(counts[counts >= min_examples].index)].sort_index()


def evaluate(train: pd.DataFrame, test_size: float = 0.25, random_state: int = 42) -> pd.DataFrame:
    """Per-tag precision, recall, f1 and support on a stratified hold-out
    split of ``train`` (text, tag), plus a 'macro avg' row (support = the
    hold-out size)."""
    x_train, x_test, y_train, y_test = train_test_split(
        train["text"],
        train["tag"],
        test_size=test_size,
        random_state=random_state,
        stratify=train["tag"],
    )
    model = build_pipeline(random_state).fit(x_train, y_train)
    predicted = model.predict(x_test)
    tags = sorted(train["tag"].unique())
    p, r, f, s = precision_recall_fscore_support(y_test, predicted, labels=tags, zero_division=0)
    rows = pd.DataFrame(
        {"tag": tags, "precision": p, "recall": r, "f1_score": f, "support": s, "is_average": False}
    )
    macro = pd.DataFrame(
        {
            "tag": [MACRO_AVG],
            "precision": [float(np.mean(p))],
            "recall": [float(np.mean(r))],
            "f1_score": [float(np.mean(f))],
            "support": [int(np.sum(s))],
            "is_average": [True],
        }
    )
    out = pd.concat([rows, macro], ignore_index=True)
    return _typed(
        out,
        {
            "precision": "float64",
            "recall": "float64",
            "f1_score": "float64",
            "support": "int64",
            "is_average": "bool",
        },
    )[EVALUATION_COLUMNS]


def predict_untagged(
    train: pd.DataFrame,
    texts: pd.Series,
    conversations: pd.DataFrame,
    labels: pd.Series,
    random_state: int = 42,
) -> pd.DataFrame:
    """One row per kept conversation without any tag: the predicted primary
    tag and its probability from a model fitted on all of ``train``; NULL
    both when the conversation has no customer text."""
    ids = conversations["conversation_id"].astype(str)
    untagged = sorted(set(ids) - set(labels.index))
    out = pd.DataFrame({"conversation_id": untagged})
    text = out["conversation_id"].map(texts).fillna("")
    out["has_customer_text"] = text.str.strip() != ""
    out["predicted_tag"] = None
    out["predicted_tag_probability"] = np.nan
    if out["has_customer_text"].any() and train["tag"].nunique() >= 2:
        model = build_pipeline(random_state).fit(train["text"], train["tag"])
        mask = out["has_customer_text"]
        proba = model.predict_proba(text[mask])
        classes = model.classes_
        out.loc[mask, "predicted_tag"] = classes[proba.argmax(axis=1)]
        out.loc[mask, "predicted_tag_probability"] = proba.max(axis=1)
    out = _typed(out, {"predicted_tag_probability": "float64", "has_customer_text": "bool"})
    out["predicted_tag"] = out["predicted_tag"].astype(object)
    return out[PREDICTION_COLUMNS]


def evaluate_tagger(
    threads: pd.DataFrame,
    tags: pd.DataFrame,
    conversations: pd.DataFrame,
    min_examples: int = 5,
    test_size: float = 0.25,
    random_state: int = 42,
) -> pd.DataFrame:
    """rpt_ticket_tagger_evaluation from the model's inputs."""
    texts = conversation_texts(threads, conversations)
    labels = primary_tags(tags, conversations)
    return evaluate(training_set(texts, labels, min_examples), test_size, random_state)


def predict_tags(
    threads: pd.DataFrame,
    tags: pd.DataFrame,
    conversations: pd.DataFrame,
    min_examples: int = 5,
    random_state: int = 42,
) -> pd.DataFrame:
    """int_support__conversation_tags_predicted from the model's inputs."""
    texts = conversation_texts(threads, conversations)
    labels = primary_tags(tags, conversations)
    train = training_set(texts, labels, min_examples)
    return predict_untagged(train, texts, conversations, labels, random_state)


def _typed(df: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    return df.astype(dtypes)
